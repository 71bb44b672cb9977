import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PresetError, UsageError } from '../../src/errors.js';
import { loadPresets, validatePresetDir } from '../../src/presets/load.js';
import { presetSources, userConfigPresetsDir } from '../../src/presets/sources.js';
import { clusterFixture, gpuFixture } from '../helpers/presets.js';

const all = (): boolean => true;
const none = (): boolean => false;

/** Makes a presets directory with one GPU preset (label distinguishes the directories). */
function presetDir(label: string, extra: Record<string, object> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-src-'));
  const files: Record<string, object> = {
    'gpus/h100.json': gpuFixture('h100', { label }, 900),
    ...extra,
  };
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof data === 'string' ? data : JSON.stringify(data));
  }
  return dir;
}

describe('userConfigPresetsDir', () => {
  it('prefers an absolute $XDG_CONFIG_HOME, else ~/.config, else none', () => {
    expect(userConfigPresetsDir({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe(join('/x', 'llmcost', 'presets'));
    expect(userConfigPresetsDir({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe(join('/h', '.config', 'llmcost', 'presets'));
    expect(userConfigPresetsDir({ XDG_CONFIG_HOME: '', HOME: '/h' })).toBe(join('/h', '.config', 'llmcost', 'presets'));
    expect(userConfigPresetsDir({})).toBeUndefined();
  });
});

describe('presetSources: built-in < user config < LLMCOST_PRESETS < --presets-dir', () => {
  it('lists the directories lowest precedence first', () => {
    const env = { XDG_CONFIG_HOME: '/cfg', LLMCOST_PRESETS: ['/e1', '/e2'].join(delimiter) };
    const dirs = presetSources({ env, flagDirs: ['/f1', '/f2'] }, all).map((s) => s.dir);
    expect(dirs).toEqual([join('/cfg', 'llmcost', 'presets'), '/e1', '/e2', '/f1', '/f2']);
  });

  it('skips a missing user config dir, but a missing explicit dir is a usage error naming it', () => {
    expect(presetSources({ env: { HOME: '/h' } }, none)).toEqual([]);
    expect(() => presetSources({ env: {}, flagDirs: ['/no/such'] }, none)).toThrow(new UsageError('--presets-dir: no directory "/no/such"'));
    expect(() => presetSources({ env: { LLMCOST_PRESETS: '/gone' } }, none)).toThrow(new UsageError('LLMCOST_PRESETS: no directory "/gone"'));
    expect(() => presetSources({ env: {}, flagDirs: [' '] }, all)).toThrow(UsageError);
  });

  it('ignores empty LLMCOST_PRESETS entries; a directory named twice counts once, at its strongest place', () => {
    const env = { LLMCOST_PRESETS: `${delimiter}/a${delimiter}${delimiter}/b${delimiter}` };
    expect(presetSources({ env }, all).map((s) => s.dir)).toEqual(['/a', '/b']);
    const twice = presetSources({ env: { LLMCOST_PRESETS: '/a' }, flagDirs: ['/a/'] }, all);
    expect(twice.map((s) => s.origin)).toEqual(['--presets-dir /a/']);
  });
});

describe('loadPresets with user sources', () => {
  it('a later source overrides an earlier one by name, and every preset keeps its origin', () => {
    const first = presetDir('from first');
    const second = presetDir('from second');
    const sources = presetSources({ env: { LLMCOST_PRESETS: first }, flagDirs: [second] });
    const h100 = loadPresets(sources).gpus.get('h100');
    expect(h100?.label).toBe('from second');
    expect(h100?.origin).toBe(`--presets-dir ${second}`);
    expect(h100?.file).toBe(join(second, 'gpus', 'h100.json'));
    expect(loadPresets(sources).gpus.get('a100')?.origin).toBe('built-in');
  });

  it('a partial user defaults.json overrides only the keys it gives', () => {
    const dir = presetDir('x', { 'defaults.json': { mfu: { value: 0.55, source: 'our own runs' } } });
    const presets = loadPresets([{ dir, origin: dir }]);
    expect(presets.defaults.mfu).toEqual({ value: 0.55, source: 'our own runs' });
    expect(presets.defaults.cluster.value).toBe(loadPresets().defaults.cluster.value);
  });

  it('a broken user preset is one PresetError line naming file and JSON path', () => {
    const dir = presetDir('x', { 'gpus/bad.json': gpuFixture('bad', { memoryGb: { value: 0, source: 'abc' } }, -5) });
    let error: unknown;
    try {
      loadPresets([{ dir, origin: dir }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PresetError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`${join(dir, 'gpus', 'bad.json')}: peakTflops.bf16.value: expected a positive number, got -5; `);
    expect(message).toContain(`${join(dir, 'gpus', 'bad.json')}: memoryGb.value: expected a positive number, got 0`);
  });
});

describe('validatePresetDir', () => {
  it('reports every problem of the directory at once, cross-checked against the built-ins', () => {
    const dir = presetDir('x', {
      'clusters/ok.json': clusterFixture('ok', 'a100', 8),
      'clusters/dangling.json': clusterFixture('dangling', 'nope', 8),
      'models/empty.json': '',
      'models/code.json': 'module.exports = {}',
      'gpus/proto.json': '{"__proto__": {"x": 1}}',
      'gpus/upper.json': gpuFixture('UPPER'),
    });
    const { count, errors } = validatePresetDir(dir);
    expect(count).toBe(7);
    expect(errors).toHaveLength(5);
    expect(errors).toContain(`${join(dir, 'clusters', 'dangling.json')}: gpu: no GPU preset named "nope"`);
    expect(errors).toContain(`${join(dir, 'models', 'empty.json')}: empty file, expected a JSON object`);
    expect(errors.some((e) => e.startsWith(`${join(dir, 'models', 'code.json')}: not valid JSON`))).toBe(true);
    expect(errors).toContain(`${join(dir, 'gpus', 'proto.json')}: key "__proto__" is not allowed`);
    expect(errors.some((e) => e.startsWith(`${join(dir, 'gpus', 'upper.json')}: name: expected a lower-case name`))).toBe(true);
  });

  it('a clean directory has no errors; an empty one is a problem', () => {
    expect(validatePresetDir(presetDir('x'))).toEqual({ count: 1, errors: [] });
    const empty = mkdtempSync(join(tmpdir(), 'llmcost-empty-'));
    expect(validatePresetDir(empty).errors).toEqual([`${empty}: no preset files (expected gpus/*.json, models/*.json, clusters/*.json or defaults.json)`]);
  });

  it('a directory where a .json file should be, or a file where a kind folder should be, is named', () => {
    const dir = presetDir('x');
    mkdirSync(join(dir, 'models', 'folder.json'), { recursive: true });
    writeFileSync(join(dir, 'clusters'), 'not a folder');
    const { errors } = validatePresetDir(dir);
    expect(errors).toContain(`${join(dir, 'models', 'folder.json')}: cannot read: a directory, expected a regular file`);
    expect(errors).toContain(`${join(dir, 'clusters')}: cannot read: not a directory, expected a directory of .json files`);
  });
});
