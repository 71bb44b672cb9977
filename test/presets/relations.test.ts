// Relations between a preset's numbers (the "consistent with its neighbours" part of the rule set):
// a cluster's MFU inside its published range, checked only once the range itself is sound.
import { describe, expect, it } from 'vitest';
import { builtinPresetsDir, readPresetDir } from '../../src/presets/load.js';
import { parsePresets } from '../../src/presets/parse.js';

const S = 'a test source';
const errors = (kind: 'clusters' | 'gpus', doc: object): string[] =>
  parsePresets([...readPresetDir(builtinPresetsDir(), 'built-in'), { path: `u/${kind}/x.json`, kind, text: JSON.stringify(doc), origin: 'user' }]).errors;
const cluster = (extra: object) => ({ name: 'c', label: 'C', gpu: 'h100', gpus: { value: 16, source: S }, ...extra });
const range = (low: unknown, high: unknown) => ({ low, high, source: S });

describe('a cluster\'s MFU and its range (Llama 3 paper: 38-43 %)', () => {
  it.each([
    ['inside', 0.4, range(0.38, 0.43), []],
    ['on a one-point range', 0.4, range(0.4, 0.4), []],
    ['outside', 0.5, range(0.38, 0.43), ['u/clusters/x.json: mfu.value: expected a value inside mfuRange [0.38, 0.43], got 0.5']],
    ['off a one-point range', 0.5, range(0.4, 0.4), ['u/clusters/x.json: mfu.value: expected a value inside mfuRange [0.4, 0.4], got 0.5']],
    // An unordered or broken range is reported for itself, not again through the MFU.
    ['with an unordered range', 0.5, range(0.6, 0.43), ['u/clusters/x.json: mfuRange.low: expected low <= high, got 0.6 > 0.43']],
    ['with a broken range', 0.5, range('x', 0.43), ['u/clusters/x.json: mfuRange.low: expected a fraction in (0, 1], got "x"']],
  ] as const)('%s', (_, mfu, r, expected) => {
    expect(errors('clusters', cluster({ mfu: { value: mfu, source: S }, mfuRange: r }))).toEqual(expected);
  });

  it('a range without an MFU is fine', () => {
    expect(errors('clusters', cluster({ mfuRange: range(0.6, 0.7) }))).toEqual([]);
  });
});

describe('a GPU preset needs at least one peak', () => {
  it('none is an error; one is enough', () => {
    const gpu = (peakTflops: object) => ({ name: 'x', label: 'X', vendor: 'nvidia', family: 'hopper', peakTflops, memoryGb: { value: 80, source: S } });
    expect(errors('gpus', gpu({}))).toEqual(['u/gpus/x.json: peakTflops: expected at least one precision, got {}']);
    expect(errors('gpus', gpu({ fp8: { value: 100, source: S } }))).toEqual([]);
  });
});
