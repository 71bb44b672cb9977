import { describe, expect, it } from 'vitest';
import { builtinPresetsDir, readPresetDir } from '../../src/presets/load.js';
import { parseJsonData, parsePresets, type PresetFile } from '../../src/presets/parse.js';
import { clusterFixture, gpuFixture } from '../helpers/presets.js';

const builtin = (): PresetFile[] => readPresetDir(builtinPresetsDir(), 'built-in');
const user = (kind: PresetFile['kind'], text: string, name = 'test'): PresetFile => ({ path: `u/${kind}/${name}.json`, kind, text, origin: 'user' });
const gpu = (over: Record<string, unknown> = {}): Record<string, unknown> =>
  gpuFixture('testgpu', { memoryGb: { value: 80, source: 'test datasheet' }, ...over }, 100);
/** Errors about the user files only (the built-ins have their own test). */
const errorsWith = (...extra: PresetFile[]): string[] => parsePresets([...builtin(), ...extra]).errors.filter((e) => e.startsWith('u/'));

describe('preset parsing, hardened', () => {
  it('accepts a UTF-8 byte-order mark (Windows editors write one)', () => {
    expect(parseJsonData('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(errorsWith(user('gpus', `\uFEFF${JSON.stringify(gpu())}`))).toEqual([]);
  });

  it('a number beyond double precision is named as such, not as "null"', () => {
    const text = JSON.stringify(gpu()).replace('"value":100', '"value":1e999');
    expect(errorsWith(user('gpus', text))).toEqual(['u/gpus/test.json: peakTflops.bf16.value: expected a positive number, got a number too large for double precision']);
  });

  it('zod default messages become "expected X, got Y"', () => {
    const { memoryGb: _, ...noMemory } = gpu();
    expect(errorsWith(user('gpus', JSON.stringify({ ...noMemory, vendor: 'intel' })))).toEqual([
      'u/gpus/test.json: vendor: expected one of "nvidia"|"amd"|"google"|"other", got "intel"',
      'u/gpus/test.json: memoryGb: expected object, got nothing',
    ]);
    expect(errorsWith(user('gpus', 'null'))).toEqual(['u/gpus/test.json: (top level): expected object, got null']);
  });

  it('a JSON error message stays on one line', () => {
    const [error = ''] = errorsWith(user('gpus', 'nope\n'));
    expect(error).toMatch(/^u\/gpus\/test\.json: not valid JSON \(.+\)$/);
    expect(error).not.toContain('\n');
  });

  it('a reference to a preset whose own file is invalid is not reported a second time', () => {
    const badGpu = user('gpus', JSON.stringify(gpu({ memoryGb: { value: -1, source: 'test datasheet' } })));
    const cluster = user('clusters', JSON.stringify(clusterFixture('c', 'testgpu', 8)));
    expect(errorsWith(badGpu, cluster)).toEqual(['u/gpus/test.json: memoryGb.value: expected a positive number, got -1']);
    // ...but a reference to a name nobody defines still is.
    const dangling = user('clusters', JSON.stringify(clusterFixture('d', 'nogpu', 8)), 'd');
    expect(errorsWith(badGpu, dangling)).toContain('u/clusters/d.json: gpu: no GPU preset named "nogpu"');
  });

  it('an invalid defaults.json is reported once, not also as "missing"', () => {
    const files = builtin().map((f) => (f.kind === 'defaults' ? { ...f, text: '{}' } : f));
    const errors = parsePresets(files).errors;
    expect(errors.length).toBeGreaterThan(3);
    expect(errors.every((e) => e.startsWith('presets/defaults.json: '))).toBe(true);
  });

  it('a later defaults.json may be partial; its keys are still validated', () => {
    const partial = user('defaults', JSON.stringify({ mfu: { value: 0.5, source: 'our runs' } }));
    expect(parsePresets([...builtin(), partial]).presets?.defaults.mfu.value).toBe(0.5);
    const bad = user('defaults', JSON.stringify({ mfu: { value: 1.5, source: 'our runs' }, colour: 1 }));
    expect(errorsWith(bad)).toEqual(['u/defaults/test.json: mfu.value: expected a fraction in (0, 1], got 1.5', 'u/defaults/test.json: (top level): unknown key "colour"']);
  });
});
