// How messages name a value in play (src/presets/origin.ts): the flag as typed, or the value and where it came from.
import { describe, expect, it } from 'vitest';
import { namedValue, originWords } from '../../src/presets/origin.js';

const s = { model: { value: 'llama-405b', origin: 'flag' as const }, cluster: { value: 'colossus', origin: 'default' as const }, gpu: { value: 'h100', origin: 'preset:colossus' as const } };

describe('originWords and namedValue', () => {
  it.each([
    [{ origin: 'flag' as const }, undefined, '--global-batch 1000'],
    [{ origin: 'preset:llama-405b' as const }, 'from model preset llama-405b', 'global batch 2048 (from model preset llama-405b)'],
    [{ origin: 'preset:colossus' as const }, 'from cluster preset colossus, the default cluster', 'global batch 2048 (from cluster preset colossus, the default cluster)'],
    [{ origin: 'preset:h100' as const }, 'from GPU preset h100', 'global batch 2048 (from GPU preset h100)'],
    [{ origin: 'preset:other' as const }, 'from preset other', 'global batch 2048 (from preset other)'],
    [{ origin: 'default' as const }, 'the default', 'global batch 2048 (the default)'],
    [{ origin: 'derived' as const }, 'by a rule', 'global batch 2048 (by a rule)'],
    [{ origin: 'flag' as const, source: 'derived from --hf-config c.json' }, 'from --hf-config c.json', 'global batch 2048 (from --hf-config c.json)'],
  ])('%j', (input, words, named) => {
    const withCluster = input.origin === 'preset:h100' ? { ...s, gpu: { value: 'h100', origin: 'flag' as const } } : s;
    expect(originWords(withCluster, input, 'by a rule')).toBe(words);
    expect(namedValue(withCluster, input, 'global-batch', 'global batch', input.origin === 'flag' && !input.source ? '1000' : '2048', 'by a rule')).toBe(named);
  });
});
