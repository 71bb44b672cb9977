// Activation memory of a pipeline stage for a mixture-of-experts model (Korthikanti et al.
// 2022 §4.1 and §4.2.3, generalized as src/core/memory.ts documents), worked out by hand per token on
// a small architecture so that every term can be read off: tensor and sequence parallelism 2, context
// parallelism 2, micro-batch 2, dense and MoE layers, shared experts, interleaving, dropout, logits.
import { describe, expect, it } from 'vitest';
import { stageActivationBytes, type ActivationArchitecture, type ActivationPlan } from '../../src/core/memory.js';

// h = 256, 4 heads of 64, FFN 4h = 1,024 (not gated), 8 experts (2 per token, 2 shared, each 1,024 wide), the first 3 layers dense.
const moeArch: ActivationArchitecture = { layers: 8, dModel: 256, heads: 4, moe: { experts: 8, activeExperts: 2, sharedExperts: 2, denseLayers: 3 } };
const plan = (over: Partial<ActivationPlan>): ActivationPlan => ({
  seqLen: 64,
  microBatch: 2,
  tensorParallel: 2,
  sequenceParallel: true,
  pipelineParallel: 2,
  virtualStages: 1,
  microBatches: 4,
  contextParallel: 2,
  recompute: 'selective',
  ...over,
});
// Tokens of one micro-batch on one GPU: 64 x 2 / CP 2 = 64.
//
// Bytes per token of one layer (2-byte elements), t = 2, sequence parallel (the replicated part / t):
//   norm inputs and outputs, 4h x 2 = 2,048 replicated           -> 1,024
//   Q, attention output, K, V: 2 x 64 x (2 + 2 + 2 + 2 heads)     -> 1,024
//   dense FFN, pre- and post-GeLU: 2 x 2 x 1,024 / 2               -> 2,048     dense layer: 4,096
//   MoE: fp32 router scores 4 x 8 = 32 replicated                 -> 16
//        2 routed copies x (input and output 2 x 2 x 256 + GeLU 2 x 2 x 1,024) + 2 shared experts' GeLU (2 x 2 x 2,048), / 2
//                                                                 -> (2 x 5,120 + 8,192) / 2 = 9,216   MoE layer: 1,024 + 1,024 + 16 + 9,216 = 11,280
//   attention scores without recomputation: 2 heads x 2 bytes per (query, key), 64 keys -> 256 bytes per token
//   llmcost's selective also drops the two norm outputs (2 x 2h = 1,024 replicated -> 512) and the
//   activation function's outputs (dense: 2 x 1,024 / 2 = 1,024; MoE: 4 copies, 2 routed + 2 shared,
//   2 x 4 x 1,024 / 2 = 4,096): dense 4,096 − 1,536 = 2,560, MoE 11,280 − 4,608 = 6,672
const DENSE = 64 * 4096;
const MOE = 64 * 11280;
const DENSE_SEL = 64 * 2560;
const MOE_SEL = 64 * 6672;
const MOE_REBUILT = 64 * 4608; // what selective drops of an MoE layer, besides its scores
const SCORES = 64 * 64 * 2 * 2;
const FULL = 64 * 256; // full recomputation keeps the layer input, h / t

describe('the first stage of an MoE model, by hand', () => {
  it('2 stages of 2 interleaved chunks: layers 0-1 (dense) and 4-5 (MoE); 2(p − 1) + (v − 1)p + 1 = 5 chunk forwards in flight, 3 of chunk 0 and 2 of chunk 1; the MoE layer being rebuilt adds what selective dropped', () => {
    const bytes = 3 * 2 * DENSE_SEL + 2 * 2 * MOE_SEL + MOE_REBUILT + SCORES;
    expect(stageActivationBytes(moeArch, plan({ virtualStages: 2 }))).toBe(bytes);
  });

  it('full recomputation: the inputs of 3 x 2 + 2 x 2 layers in flight, plus one MoE layer rebuilt whole', () => {
    const bytes = 10 * FULL + (MOE + SCORES - FULL);
    expect(stageActivationBytes(moeArch, plan({ virtualStages: 2, recompute: 'full' }))).toBe(bytes);
  });

  it('no recomputation keeps the scores of every layer and adds nothing for a rebuilt one', () => {
    // Plain 1F1B: layers 0-3, 3 dense and 1 MoE.
    const bytes = (3 * (DENSE + SCORES) + (MOE + SCORES)) * 2;
    expect(stageActivationBytes(moeArch, plan({ recompute: 'none' }))).toBe(bytes);
  });

  describe('trained with dropout, with a 1,000-token vocabulary', () => {
    const arch: ActivationArchitecture = { ...moeArch, dropout: true, vocabSize: 1000 };
    // Dropout adds two 1-byte masks of h per token (replicated: 512 / 2 = 256) and, with the scores, a mask and its output: 5 bytes per (query, key) per head.
    const dense = 64 * (4096 + 256) - DENSE + DENSE_SEL;
    const moe = 64 * (11280 + 256) - MOE + MOE_SEL;
    const scores = 64 * 64 * 2 * 5;
    const embeddingMask = 64 * 256 / 2; // the embedding dropout's mask, h bytes per token / t

    it('one stage: all 8 layers (3 dense, 5 MoE), the embedding dropout mask, the output layer\'s input and its fp32 logits (vocabulary split over t)', () => {
      const logits = 64 * (2 * 2 * 256 / 2 + (4 * 1000) / 2);
      const bytes = 3 * dense + 5 * moe + embeddingMask + logits + MOE_REBUILT + scores;
      expect(stageActivationBytes(arch, plan({ pipelineParallel: 1, microBatches: 1 }))).toBe(bytes);
    });

    it('two stages: the first holds no output layer', () => {
      const bytes = (3 * dense + moe) * 2 + 2 * embeddingMask + MOE_REBUILT + scores;
      expect(stageActivationBytes(arch, plan({ pipelineParallel: 2, microBatches: 2 }))).toBe(bytes);
    });

    it('the last stage holds the output layer\'s input and logits of one micro-batch (layers 4-7, all MoE, one in flight)', () => {
      const logits = 64 * (2 * 2 * 256 / 2 + (4 * 1000) / 2);
      const bytes = 4 * moe + logits + MOE_REBUILT + scores;
      expect(stageActivationBytes(arch, plan({ pipelineParallel: 2, microBatches: 2 }), 1)).toBe(bytes);
    });
  });
});
