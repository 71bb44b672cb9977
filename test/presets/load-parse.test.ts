// Reading and validating preset directories in process (test/cli/user-presets.test.ts checks the CLI):
// what a directory holds, each entry that cannot be read on its own line, the error texts of the
// schema (unknown keys, a bare number where a sourced one belongs), and the checks across files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinPresetsDir, directoryProblem, loadPresets, readPresetDir, scanPresetDir, validatePresetDir } from '../../src/presets/load.js';
import { formatIssue, parsePresets, type PresetFile } from '../../src/presets/parse.js';

const S = { source: 'a test datasheet' };
let root: string;
const dir = (name: string): string => join(root, name);
const write = (path: string, doc: unknown): void => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
};
const h100Clone = (name: string) => ({ name, label: name, vendor: 'nvidia', family: 'hopper', peakTflops: { bf16: { value: 989.4, ...S } }, memoryGb: { value: 80, ...S } });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'llmcost-presets-'));
  // A good directory: a GPU, a README that is not .json, and defaults overriding one key.
  write(join(dir('good'), 'gpus', 'b-gpu.json'), h100Clone('b-gpu'));
  write(join(dir('good'), 'gpus', 'a-gpu.json'), h100Clone('a-gpu'));
  write(join(dir('good'), 'gpus', 'README.md'), '# not a preset');
  write(join(dir('good'), 'defaults.json'), { mfu: { value: 0.35, ...S } });
  // Entries that cannot be read.
  mkdirSync(join(dir('bad'), 'models'), { recursive: true });
  symlinkSync(join(dir('bad'), 'nowhere.json'), join(dir('bad'), 'models', 'dangling.json'));
  mkdirSync(join(dir('bad'), 'models', 'folder.json'));
  execFileSync('mkfifo', [join(dir('bad'), 'models', 'fifo.json')]);
  write(join(dir('bad'), 'clusters'), 'a file where a folder belongs');
  symlinkSync(join(root, 'missing-defaults.json'), join(dir('bad'), 'defaults.json'));
  mkdirSync(dir('empty'));
  write(dir('a-file'), 'x');
  symlinkSync(dir('nothing'), dir('dangling-dir'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scanning a directory', () => {
  it('kinds as folders, .json files only, in name order; defaults.json optional', () => {
    const { files, errors } = scanPresetDir(dir('good'), 'user');
    expect(errors).toEqual([]);
    expect(files.map((f) => [f.kind, f.path, f.origin])).toEqual([
      ['defaults', join(dir('good'), 'defaults.json'), 'user'],
      ['gpus', join(dir('good'), 'gpus', 'a-gpu.json'), 'user'],
      ['gpus', join(dir('good'), 'gpus', 'b-gpu.json'), 'user'],
    ]);
    expect(scanPresetDir(dir('empty'), 'user')).toEqual({ files: [], errors: [] });
  });

  it('every entry that cannot be read is reported on its own, with the reason', () => {
    const { errors } = scanPresetDir(dir('bad'), 'user');
    expect(errors).toEqual([
      `${join(dir('bad'), 'defaults.json')}: cannot read: a dangling symbolic link (its target does not exist)`,
      `${join(dir('bad'), 'models', 'dangling.json')}: cannot read: a dangling symbolic link (its target does not exist)`,
      `${join(dir('bad'), 'models', 'fifo.json')}: cannot read: a FIFO (named pipe), expected a regular file`,
      `${join(dir('bad'), 'models', 'folder.json')}: cannot read: a directory, expected a regular file`,
      `${join(dir('bad'), 'clusters')}: cannot read: not a directory, expected a directory of .json files`,
    ]);
    expect(() => readPresetDir(dir('bad'), 'user')).toThrow(errors.join('; '));
  });

  it('the directory itself: missing, a file, a dangling link, a path through a file', () => {
    expect(directoryProblem(dir('good'))).toBeUndefined();
    expect(directoryProblem(dir('nothing'))).toBe('no such directory');
    expect(directoryProblem(dir('a-file'))).toBe('not a directory, expected a directory of .json files');
    expect(directoryProblem(dir('dangling-dir'))).toBe('a dangling symbolic link (its target does not exist)');
    expect(directoryProblem(join(dir('a-file'), 'sub'))).toBe('a path through something that is not a directory');
    expect(scanPresetDir(dir('nothing'), 'user')).toEqual({ files: [], errors: [`${dir('nothing')}: cannot read: no such directory`] });
  });

  it('built-in paths are shown relative to the package (presets/gpus/h100.json)', () => {
    const files = readPresetDir(builtinPresetsDir(), 'built-in');
    expect(files.find((f) => f.path === join('presets', 'gpus', 'h100.json'))?.kind).toBe('gpus');
    expect(files[0]?.path).toBe(join('presets', 'defaults.json'));
  });
});

describe('loading and validating', () => {
  it('a user directory adds its presets and overrides a default, keeping the others', () => {
    const p = loadPresets([{ dir: dir('good'), origin: 'user' }]);
    expect(p.gpus.get('a-gpu')?.file).toBe(join(dir('good'), 'gpus', 'a-gpu.json'));
    expect(p.defaults.mfu.value).toBe(0.35);
    expect(p.defaults.precision.value).toBe('bf16');
    expect(() => loadPresets([{ dir: dir('bad'), origin: 'user' }])).toThrow(/dangling\.json: cannot read: a dangling symbolic link.*; .*fifo\.json/);
  });

  it('validatePresetDir counts the files and never throws; an empty directory is a problem of its own', () => {
    expect(validatePresetDir(dir('good'))).toEqual({ count: 3, errors: [] });
    expect(validatePresetDir(dir('empty'))).toEqual({ count: 0, errors: [`${dir('empty')}: no preset files (expected gpus/*.json, models/*.json, clusters/*.json or defaults.json)`] });
    expect(validatePresetDir(dir('bad')).errors).toHaveLength(5);
  });
});

describe('checks across files', () => {
  const builtins = (): PresetFile[] => readPresetDir(builtinPresetsDir(), 'built-in');
  const user = (kind: PresetFile['kind'], doc: unknown, name = 'x'): PresetFile => ({ path: `u/${kind}/${name}.json`, kind, text: JSON.stringify(doc), origin: 'user' });
  const model = (run: Record<string, unknown>) => ({ name: 'x', label: 'X', params: { value: 1e9, ...S }, tokens: { value: 1e11, ...S }, run: { precision: 'bf16', ...run } });

  it('a run on an unknown GPU; a run faster than the GPU\'s highest peak allows (hours, or days on its GPUs)', () => {
    expect(parsePresets([...builtins(), user('models', model({ gpu: 'h999', gpuHours: { value: 1e6, ...S } }))]).errors).toEqual(['u/models/x.json: run.gpu: no GPU preset named "h999"']);
    // 6e20 FLOPs at H100's highest dense peak (FP8/INT8 1,978.9 TFLOP/s) take 84.2 GPU-hours.
    expect(parsePresets([...builtins(), user('models', model({ gpu: 'h100', gpuHours: { value: 80, ...S } }))]).errors).toEqual([
      'u/models/x.json: run.gpuHours.value: expected at least 84.2 (6 x params x tokens at the highest dense peak of presets/gpus/h100.json: an MFU above 1 otherwise), got 80',
    ]);
    expect(parsePresets([...builtins(), user('models', model({ gpu: 'h100', gpuHours: { value: 84.3, ...S } }))]).errors).toEqual([]);
    // On 2 GPUs, 84.2 hours are 1.75 days.
    expect(parsePresets([...builtins(), user('models', model({ gpu: 'h100', gpus: { value: 2, ...S }, wallClockDays: { value: 1.7, ...S } }))]).errors).toEqual([
      'u/models/x.json: run.wallClockDays.value: expected at least 1.75 on 2 GPUs (6 x params x tokens at the highest dense peak of presets/gpus/h100.json: an MFU above 1 otherwise), got 1.7',
    ]);
    expect(parsePresets([...builtins(), user('models', model({ gpu: 'h100', gpus: { value: 2, ...S }, wallClockDays: { value: 1.76, ...S } }))]).errors).toEqual([]);
  });

  it('a default cluster that does not exist; no defaults at all', () => {
    expect(parsePresets([...builtins(), user('defaults', { cluster: { value: 'nowhere', ...S } })]).errors).toEqual(['defaults.json: cluster.value: no cluster preset named "nowhere"']);
    expect(parsePresets(builtins().filter((f) => f.kind !== 'defaults')).errors).toEqual(['defaults.json: missing']);
    // A broken cluster is reported once, not again as the missing default.
    const broken = parsePresets([...builtins().filter((f) => f.path !== join('presets', 'clusters', 'colossus.json')), user('clusters', { name: 'colossus' }, 'colossus')]).errors;
    expect(broken.every((e) => e.startsWith('u/clusters/colossus.json: '))).toBe(true);
  });
});

describe('formatIssue: one readable line per schema issue', () => {
  it('unknown keys, at most five shown', () => {
    expect(formatIssue({ code: 'unrecognized_keys', path: [], message: 'x', keys: ['a'] }, {})).toBe('(top level): unknown key "a"');
    expect(formatIssue({ code: 'unrecognized_keys', path: ['run'], message: 'x', keys: ['a', 'b', 'c', 'd', 'e'] }, {})).toBe('run: unknown keys "a", "b", "c", "d", "e"');
    expect(formatIssue({ code: 'unrecognized_keys', path: ['run'], message: 'x', keys: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, {})).toBe('run: unknown keys "a", "b", "c", "d", "e" and 2 more');
  });

  it('zod\'s wording trimmed; what was there, or nothing', () => {
    expect(formatIssue({ code: 'invalid_type', path: ['label'], message: 'Invalid input: expected string, received number' }, { label: 5 })).toBe('label: expected string, got 5');
    expect(formatIssue({ code: 'invalid_value', path: ['vendor'], message: 'Invalid option: expected one of "nvidia"|"amd"' }, { vendor: 'x' })).toBe('vendor: expected one of "nvidia"|"amd", got "x"');
    expect(formatIssue({ code: 'invalid_type', path: ['a', 'b'], message: 'expected number' }, { a: null })).toBe('a.b: expected number, got nothing');
    expect(formatIssue({ code: 'invalid_type', path: ['a', 'b'], message: 'expected number' }, { a: 3 })).toBe('a.b: expected number, got nothing');
    expect(formatIssue({ code: 'invalid_type', path: ['a', 'b'], message: 'expected number' }, { a: {} })).toBe('a.b: expected number, got nothing');
    // A relation's message already says what it got.
    expect(formatIssue({ code: 'custom', path: ['x'], message: 'expected at most 3, got 4' }, { x: 4 })).toBe('x: expected at most 3, got 4');
    expect(formatIssue({ code: 'custom', path: ['x'], message: 'expected a source' }, { x: 4 })).toBe('x: expected a source, got 4');
  });

  it('in a preset, a bare number where a sourced one belongs shows the shape it takes', () => {
    const shape = (v: string) => `expected { "value": ${v}, "source": "where the number comes from" } (every preset number carries its source; "note" is optional)`;
    expect(formatIssue({ code: 'invalid_type', path: ['memoryGb'], message: 'expected object' }, { memoryGb: 80 }, true)).toBe(`memoryGb: ${shape('80')}, got 80`);
    expect(formatIssue({ code: 'invalid_type', path: ['memoryGb'], message: 'expected object' }, { memoryGb: '80' }, true)).toBe(`memoryGb: ${shape('...')}, got "80"`);
    expect(formatIssue({ code: 'invalid_type', path: ['memoryGb'], message: 'expected object' }, { memoryGb: true }, true)).toBe('memoryGb: expected object, got true');
    expect(formatIssue({ code: 'invalid_type', path: ['memoryGb'], message: 'expected object' }, { memoryGb: 80 })).toBe('memoryGb: expected object, got 80');
    // A file that is one number is not a preset number out of place.
    expect(formatIssue({ code: 'invalid_type', path: [], message: 'expected object' }, 80, true)).toBe('(top level): expected object, got 80');
  });

  it('a preset file\'s top-level "$schema" (for editors) is not an unknown key', () => {
    const files = readPresetDir(builtinPresetsDir(), 'built-in');
    const gpu = { $schema: '../schema/gpu.schema.json', ...h100Clone('with-schema') };
    expect(parsePresets([...files, { path: 'u/gpus/with-schema.json', kind: 'gpus', text: JSON.stringify(gpu), origin: 'user' }]).errors).toEqual([]);
    expect(parsePresets([...files, { path: 'u/gpus/with-schema.json', kind: 'gpus', text: JSON.stringify({ ...gpu, $schema: 5 }), origin: 'user' }]).errors).toEqual(['u/gpus/with-schema.json: (top level): unknown key "$schema"']);
  });
});

describe('parsePresets: what an outcome holds', () => {
  const builtins = (): PresetFile[] => readPresetDir(builtinPresetsDir(), 'built-in');
  const user = (kind: PresetFile['kind'], text: string, name = 'x'): PresetFile => ({ path: `u/${kind}/${name}.json`, kind, text, origin: 'user' });

  it('with any error there are no presets, only the errors', () => {
    const outcome = parsePresets([...builtins(), user('gpus', '{')]);
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.presets).toBeUndefined();
    expect(parsePresets(builtins()).presets?.gpus.has('h100')).toBe(true);
  });

  it('a preset that is not an object (null, a list, a number) is one error, not a crash', () => {
    for (const text of ['null', '[]', '5', '"h100"']) {
      expect(parsePresets([...builtins(), user('gpus', text)]).errors).toEqual([`u/gpus/x.json: (top level): expected object, got ${text}`]);
    }
  });

  it('in a preset file, a bare number where a sourced number goes is told the shape every preset number takes', () => {
    const gpu = JSON.parse(readFileSync(join(builtinPresetsDir(), 'gpus', 'h100.json'), 'utf8')) as Record<string, unknown>;
    expect(parsePresets([...builtins(), user('gpus', JSON.stringify({ ...gpu, name: 'x', tdpW: 700 }))]).errors).toEqual([
      'u/gpus/x.json: tdpW: expected { "value": 700, "source": "where the number comes from" } (every preset number carries its source; "note" is optional), got 700',
    ]);
  });
});
