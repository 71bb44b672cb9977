import { describe, expect, it } from 'vitest';
import { attentionFlopsPerToken, attentionShapeOf, trainingCompute, trainingFlopsPalm } from '../../src/core/compute.js';
import { crossedThresholds } from '../../src/core/thresholds.js';
import { amortizedCost, cloudCostUsd, co2Tonnes } from '../../src/core/cost.js';

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('architecture-aware FLOPs (PaLM paper, Chowdhery et al. 2022, Appendix B)', () => {
  it('PaLM 540B: attention is 12·118·48·256·2048 = 3.56e10 FLOPs per token', () => {
    expect(attentionFlopsPerToken({ layers: 118, heads: 48, headDim: 256, seqLen: 2048 })).toBe(12 * 118 * 48 * 256 * 2048);
  });

  it.each([
    // [model, params, tokens, architecture, reported FLOPs and its source]
    ['Llama 3.1 405B', 405e9, 15.6e12, { layers: 126, heads: 128, headDim: 128, seqLen: 8192, dModel: 16384, vocabSize: 128256, tiedEmbeddings: false }, 3.8e25, 'Llama 3 paper §3.2.1'],
    ['GPT-3 175B', 175e9, 300e9, { layers: 96, heads: 96, headDim: 128, seqLen: 2048, dModel: 12288, vocabSize: 50257, tiedEmbeddings: true }, 3.14e23, 'GPT-3 paper Table D.1'],
    ['PaLM 540B', 540.35e9, 780e9, { layers: 118, heads: 48, headDim: 256, seqLen: 2048, dModel: 18432, vocabSize: 256000, tiedEmbeddings: true }, 2.56e24, 'PaLM paper Table 20'],
  ])('%s: the default (6ND) lands within 3 %% of the reported FLOPs', (_, params, tokens, architecture, reported) => {
    const c = trainingCompute({ params, tokens, architecture, method: '6nd' });
    expect(c.flopsMethod).toBe('6nd');
    expect(rel(c.trainingFlops, reported)).toBeLessThan(0.03);
    expect(c.trainingFlopsPalm).toBeGreaterThan(0);
  });

  // PaLM counts N as the whole model, its shared embedding included: 540.35B (Table 20). With it the
  // paper's 2.56e24 FLOPs (Appendix B) and its 46.2 % MFU (Table 3: 238.3k tokens/s on 6,144
  // TPU v4 at 275 TFLOP/s bf16) reproduce to three digits; without the embedding they do not.
  const palm540 = { layers: 118, heads: 48, headDim: 256, seqLen: 2048 };
  it('PaLM 540B: N = 540.35B gives the paper\'s 2.56e24 FLOPs and 46.2 % MFU', () => {
    expect(trainingFlopsPalm(540.35e9, 780e9, palm540) / 1e24).toBeCloseTo(2.56, 2);
    const perToken = 6 * 540.35e9 + attentionFlopsPerToken(palm540);
    expect((238.3e3 * perToken) / (6144 * 275e12)).toBeCloseTo(0.462, 3);
    // N without the 4.72B embedding would say 45.8 %: not the paper's count.
    const nonEmbedding = 6 * (540.35e9 - 256_000 * 18_432) + attentionFlopsPerToken(palm540);
    expect((238.3e3 * nonEmbedding) / (6144 * 275e12)).toBeCloseTo(0.458, 3);
  });

  it('the same N whatever the vocabulary or embedding tying: only the attention term is added to 6ND', () => {
    const base = { layers: 32, heads: 32, headDim: 128, seqLen: 8192, dModel: 4096 };
    const counts = [
      { ...base },
      { ...base, vocabSize: 128_256, tiedEmbeddings: false },
      { ...base, vocabSize: 32_000, tiedEmbeddings: true },
    ].map((architecture) => trainingCompute({ params: 8.03e9, tokens: 15e12, architecture, method: 'palm' }).trainingFlops);
    expect(new Set(counts).size).toBe(1);
    // Llama 3.1 8B (Llama 3 paper Table 3: 8.03B params, 32 layers, 32 heads of 128, 8,192 tokens).
    expect(counts[0]).toBe((6 * 8.03e9 + 12 * 32 * 32 * 128 * 8192) * 15e12);
  });

  it('MLA (DeepSeek-V3): attention-times-V uses the value head size 128, QK^T the query/key size 192', () => {
    // DeepSeek-V3 technical report §4.2: 128 heads, qk_nope 128 + qk_rope 64 per head, v 128, 61 layers.
    const mla = { qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 };
    const arch = { layers: 61, heads: 128, seqLen: 4096, dModel: 7168, mla };
    const c = trainingCompute({ params: 671e9, activeParams: 37e9, tokens: 14.8e12, architecture: arch, method: 'palm' });
    const attention = 6 * 61 * 128 * 4096 * (192 + 128);
    expect(attention).toBe(12 * 61 * 128 * 4096 * 160);
    expect(c.trainingFlopsPalm).toBe((6 * 37e9 + attention) * 14.8e12);
    expect(attentionShapeOf(arch)).toEqual({ layers: 61, heads: 128, seqLen: 4096, headDim: 192, valueHeadDim: 128 });
  });

  it('MoE: 6ND uses the active parameters (DeepSeek-V3: 6 x 37e9 x 14.8e12)', () => {
    const c = trainingCompute({ params: 671e9, activeParams: 37e9, tokens: 14.8e12, method: '6nd' });
    expect(c.trainingFlops).toBe(6 * 37e9 * 14.8e12);
  });

  it('palm without an architecture is a programming error, not a silent fallback', () => {
    expect(() => trainingCompute({ params: 1e9, tokens: 1e9, method: 'palm' })).toThrow();
  });
});

describe('regulatory thresholds', () => {
  it.each([
    [3.8e25, [true, false]], // Llama 3.1 405B crosses the EU AI Act presumption
    [1e25, [false, false]], // "greater than 10^25" (AI Act Art. 51(2))
    [2e26, [true, true]],
    [3.14e23, [false, false]],
  ])('%d FLOPs → %j', (flops, crossed) => {
    expect(crossedThresholds(flops).map((t) => t.crossed)).toEqual(crossed);
  });
});

describe('cost views', () => {
  it('cloud cost: DeepSeek-V3 2.664M H800-hours at $2 = $5.328M (DeepSeek-V3 report, Table 1)', () => {
    expect(cloudCostUsd(2.664e6, 2)).toBe(5.328e6);
  });

  // Epoch AI's amortized hardware CapEx + energy (Cottier et al. 2024, arXiv:2405.21015; constants
  // from github.com/epoch-research/training-cost-trends): server = GPU x 1.64, interconnect 19 % of
  // the cluster, depreciation 0.14 OOM/year, r·ln 10 of the value a year over 8,766 h a year,
  // energy at 1.82 (DGX H100 per GPU / TDP) x 0.75 (average draw) x 1.1 (PUE) per W of TDP.
  const epoch = { depreciationOomPerYear: 0.14, serverCostOverhead: 1.64, interconnectCostFraction: 0.19, hardwareAgeYears: 0, powerPerTdp: 1.82 * 0.75 * 1.1 };

  it('amortized cost (Epoch AI): Llama 3.1 405B lies between Epoch\'s own two published estimates', () => {
    // 30.84M H100-hours (Llama 3.1 model card), $30k per H100 (the preset's MSRP), 700 W, $0.083/kWh.
    const c = amortizedCost(30_000, 30.84e6, 700, 0.083, epoch);
    const server = (30_000 * 1.64 * 0.14 * Math.LN10 * 30.84e6) / 8766;
    expect(c.amortizedGpuCapexUsd).toBeCloseTo(server / 1.64, 0);
    expect(c.amortizedCapexUsd).toBeCloseTo(server / 0.81, 0);
    expect(c.amortizedCapexUsd / 1e6).toBeCloseTo(68.9, 1);
    expect(c.amortizedEnergyUsd).toBeCloseTo(30.84e6 * 0.7 * 1.5015 * 0.083, 0); // $2.69M
    // training-cost-trends model_costs.csv: $51.0M (Hardware_Capex_Energy_Cost); model_costs_updated.csv: $73.4M.
    expect(c.amortizedCostUsd).toBeGreaterThan(51.0e6);
    expect(c.amortizedCostUsd).toBeLessThan(73.4e6);
  });

  it('the hardware\'s value falls 0.14 orders of magnitude a year between purchase and training', () => {
    const fresh = amortizedCost(30_000, 1e6, undefined, 0.083, epoch);
    const yearOld = amortizedCost(30_000, 1e6, undefined, 0.083, { ...epoch, hardwareAgeYears: 1 });
    expect(yearOld.amortizedCapexUsd / fresh.amortizedCapexUsd).toBeCloseTo(10 ** -0.14, 12); // 0.724
    expect(fresh.amortizedCostUsd).toBeUndefined();
  });

  it('CO2: kWh x kg/kWh / 1000', () => {
    expect(co2Tonnes(1e6, 0.366)).toBeCloseTo(366, 9);
  });
});
