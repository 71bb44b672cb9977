import { describe, expect, it } from 'vitest';
import { convertFlops, describeConvention, flopsPerToken, PALM, SIX_ND, type ConventionShape } from '../../src/core/conventions.js';

// A made-up model with round numbers: 1e9 parameters of which one 1e8-parameter embedding table,
// 1.2e8 full-attention FLOPs per token (12·L·H·Q·T).
const SHAPE: ConventionShape = { params: 1e9, embeddingTableParams: 1e8, tiedEmbeddings: false, attentionFlopsPerToken: 1.2e8 };

describe('flopsPerToken', () => {
  it.each([
    ['6ND: 6·N', SIX_ND, 6e9],
    ['PaLM: 6·N + 12·L·H·Q·T (PaLM paper, Appendix B)', PALM, 6e9 + 1.2e8],
    ['causal attention counts half the score matrix', { ...SIX_ND, attention: 'causal' as const }, 6e9 + 0.6e8],
    ['full recomputation: every forward pass twice, 8·N + A·4/3', { ...PALM, recomputation: 'full' as const }, 8e9 + 1.6e8],
    ['selective recomputation repeats only the attention forward (Korthikanti et al. 2022 §5)', { ...PALM, recomputation: 'selective' as const }, 6e9 + 1.6e8],
    ['non-embedding N leaves out both untied tables (Kaplan et al. 2020)', { ...SIX_ND, params: 'non-embedding' as const }, 6 * 0.8e9],
    ['no-input-embedding N leaves out the lookup table only (Megatron)', { ...SIX_ND, params: 'no-input-embedding' as const }, 6 * 0.9e9],
  ])('%s', (_, convention, expected) => {
    expect(flopsPerToken(SHAPE, convention)).toBeCloseTo(expected, -2);
  });

  it('with tied embeddings the Megatron count is all parameters, and non-embedding leaves out one table', () => {
    const tied = { ...SHAPE, tiedEmbeddings: true };
    expect(flopsPerToken(tied, { ...SIX_ND, params: 'no-input-embedding' })).toBe(flopsPerToken(tied, SIX_ND));
    expect(flopsPerToken(tied, { ...SIX_ND, params: 'non-embedding' })).toBeCloseTo(6 * 0.9e9, -2);
  });
});

describe('convertFlops', () => {
  it("takes Gopher's rematerialization out: x 3/4 whatever the shape (Gopher paper: +33 %)", () => {
    expect(convertFlops({ params: 280e9 }, { recomputation: 'full' }, SIX_ND).factor).toBeCloseTo(0.75, 12);
    expect(convertFlops(SHAPE, { recomputation: 'full', attention: 'full', params: 'total' }, PALM).factor).toBeCloseTo(0.75, 12);
  });

  it('takes the attention term out of a PaLM-convention MFU: 6N / (6N + A)', () => {
    const c = convertFlops(SHAPE, PALM, SIX_ND);
    expect(c.factor).toBeCloseTo(6e9 / (6e9 + 1.2e8), 12);
    expect(c.steps).toEqual(['attention full -> none']);
    expect(c.unknown).toEqual([]);
  });

  it('full -> causal attention subtracts half the attention term', () => {
    expect(convertFlops(SHAPE, PALM, { ...PALM, attention: 'causal' }).factor).toBeCloseTo((6e9 + 0.6e8) / (6e9 + 1.2e8), 12);
  });

  it('lists what the source does not state and leaves it as the target counts it', () => {
    const c = convertFlops(SHAPE, { recomputation: 'none' }, SIX_ND);
    expect(c.factor).toBe(1);
    expect(c.steps).toEqual([]);
    expect(c.unknown).toEqual(['attention', 'params']);
  });

  it('skips, and says so, a conversion that needs an architecture it does not have', () => {
    const c = convertFlops({ params: 1e9 }, { recomputation: 'full', attention: 'full', params: 'non-embedding' }, SIX_ND);
    expect(c.factor).toBeCloseTo(0.75, 12);
    expect(c.missing).toEqual(['attention full -> none (architecture unknown)', 'params non-embedding -> total (architecture unknown)']);
  });

  it('converting there and back is the identity', () => {
    const from = { recomputation: 'selective' as const, attention: 'causal' as const, params: 'non-embedding' as const };
    const there = convertFlops(SHAPE, from, PALM).factor;
    const back = convertFlops(SHAPE, PALM, { recomputation: 'selective', attention: 'causal', params: 'non-embedding' }).factor;
    expect(there * back).toBeCloseTo(1, 12);
  });
});

describe('describeConvention', () => {
  it('marks what is not stated', () => {
    expect(describeConvention({ recomputation: 'full' })).toBe('recompute full, attention ?, N ?');
    expect(describeConvention(PALM)).toBe('recompute none, attention full, N total');
  });
});
