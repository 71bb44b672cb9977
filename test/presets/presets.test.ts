import { describe, expect, it } from 'vitest';
import { builtinPresetsDir, loadPresets, readPresetDir } from '../../src/presets/load.js';
import { parseJsonData, parsePresets, type PresetFile } from '../../src/presets/parse.js';
import { closestNames } from '../../src/presets/suggest.js';

const builtin = (): PresetFile[] => readPresetDir(builtinPresetsDir(), 'built-in');
const errorsWith = (extra: PresetFile[]): string[] => parsePresets([...builtin(), ...extra]).errors;
const file = (kind: PresetFile['kind'], text: string, origin = 'user'): PresetFile => ({
  path: `x/${kind}/test.json`,
  kind,
  text,
  origin,
});
const gpu = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({
    name: 'testgpu',
    label: 'Test GPU',
    vendor: 'other',
    family: 'other',
    peakTflops: { bf16: { value: 100, source: 'test datasheet' } },
    memoryGb: { value: 80, source: 'test datasheet' },
    tdpW: { value: 500, source: 'test datasheet' },
    ...over,
  });

describe('shipped presets', () => {
  it('all validate, with the names the issues require', () => {
    const presets = loadPresets();
    for (const name of ['h100', 'h200', 'a100', 'b200', 'mi300x']) expect(presets.gpus.has(name)).toBe(true);
    for (const name of ['llama-405b', 'llama-70b', 'llama-8b', 'gpt-3']) expect(presets.models.has(name)).toBe(true);
    for (const name of ['h100x16k', 'colossus']) expect(presets.clusters.has(name)).toBe(true);
    expect(presets.defaults.cluster.value).toBe('colossus');
  });

  it('stores dense peaks: H100 SXM BF16 is 989.4 TFLOP/s (NVIDIA H100 datasheet, 1,979 with sparsity)', () => {
    expect(loadPresets().gpus.get('h100')?.peakTflops.bf16?.value).toBeCloseTo(989.4, 1);
  });

  it('a peak whose note quotes a figure "with sparsity" says it stores the dense one', () => {
    let checked = 0;
    for (const g of loadPresets().gpus.values()) {
      for (const peak of Object.values(g.peakTflops)) {
        if (peak && /with (2:4 )?sparsity/i.test(peak.note ?? '')) {
          checked++;
          expect(peak.note).toMatch(/dense/i);
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('Llama 3.1 405B preset: 405B params, 15.6T tokens, 3.8e25 FLOPs (Llama 3 paper)', () => {
    const m = loadPresets().models.get('llama-405b');
    expect(m?.params.value).toBe(405e9);
    expect(m?.tokens.value).toBe(15.6e12);
    expect(m?.reportedFlops?.value).toBe(3.8e25);
  });
});

describe('preset validation errors name file, path and what was expected', () => {
  it.each([
    ['a negative peak', gpu({ peakTflops: { bf16: { value: -5, source: 'x datasheet' } } }), 'x/gpus/test.json: peakTflops.bf16.value: expected a positive number, got -5'],
    ['an unknown key', gpu({ colour: 'green' }), 'x/gpus/test.json: (top level): unknown key "colour"'],
    ['a number without source', gpu({ tdpW: { value: 500 } }), 'x/gpus/test.json: tdpW.source:'],
    ['a string number', gpu({ memoryGb: { value: '80', source: 'x datasheet' } }), 'x/gpus/test.json: memoryGb.value: expected a positive number, got "80"'],
    ['not JSON', '{ name: ', 'x/gpus/test.json: not valid JSON'],
    ['an empty file', '', 'x/gpus/test.json: empty file, expected a JSON object'],
    ['a __proto__ key', '{"__proto__": {"polluted": true}}', 'x/gpus/test.json: key "__proto__" is not allowed'],
    ['a constructor key', gpu().replace('{', '{"constructor": 1,'), 'x/gpus/test.json: key "constructor" is not allowed'],
  ])('%s', (_, text, expected) => {
    const errors = errorsWith([file('gpus', text)]);
    expect(errors.some((e) => e.startsWith(expected))).toBe(true);
  });

  it('a cluster naming a missing GPU', () => {
    const cluster = JSON.stringify({ name: 'c', label: 'C', gpu: 'nope', gpus: { value: 8, source: 'test' } });
    expect(errorsWith([file('clusters', cluster)])).toContain('x/clusters/test.json: gpu: no GPU preset named "nope"');
  });

  it('a fractional GPU count in a cluster', () => {
    const cluster = JSON.stringify({ name: 'c', label: 'C', gpu: 'h100', gpus: { value: 8.5, source: 'test' } });
    expect(errorsWith([file('clusters', cluster)])).toContain('x/clusters/test.json: gpus.value: expected a positive whole number, got 8.5');
  });

  it('a duplicate name inside one source; a later source overrides', () => {
    const twice = [file('gpus', gpu()), { ...file('gpus', gpu()), path: 'x/gpus/again.json' }];
    expect(errorsWith(twice)).toEqual(['x/gpus/again.json: name: "testgpu" is already defined in x/gpus/test.json']);
    // With the h100's peak: a lower one would make the published runs on it faster than peak (an error).
    const override = file('gpus', gpu({ name: 'h100', label: 'Overridden', peakTflops: { bf16: { value: 989.4, source: 'test datasheet' } } }));
    expect(parsePresets([...builtin(), override]).presets?.gpus.get('h100')?.label).toBe('Overridden');
  });

  it('parseJsonData keeps data as data', () => {
    expect(parseJsonData('[1, 2]')).toEqual({ ok: true, value: [1, 2] });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('closestNames (did-you-mean)', () => {
  it.each([
    ['h10', ['h100', 'h200', 'a100'], 'h100'],
    ['lama-405b', ['llama-405b', 'llama-70b', 'gpt-3'], 'llama-405b'],
    ['colosus', ['colossus', 'h100x16k'], 'colossus'],
  ])('%s → %s first', (wanted, names, best) => {
    expect(closestNames(wanted, names)[0]).toBe(best);
  });
});
