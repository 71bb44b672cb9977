// The pipeline split (issue A5/A2): whole layers per stage and per interleaved chunk summing to L,
// the micro-batches each chunk holds in flight under 1F1B, and the busiest stage for memory. Every
// expected number is worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { activationBytesByStage, type ActivationPlan } from '../../src/core/memory.js';
import {
  chunkLayerCounts,
  deviceOf,
  inFlightMicroBatches,
  splitsIntoChunks,
  stageLayouts,
  stateBytesOf,
  throughputModel,
  type Plan,
  type ThroughputArchitecture,
} from '../../src/core/throughput/index.js';

describe('whole layers per chunk (stages.ts: Megatron-LM equal chunks, Llama 3 §3.3.2 uneven ends)', () => {
  it.each([
    // 126 = 16 x 8 − 2: one layer fewer on the first and the last stage (Llama 3.1 405B, PP 16).
    [126, 16, 1, [7, ...Array(14).fill(8), 7]],
    // 96 / 8 = 12 each (GPT-3 175B, PP 8).
    [96, 8, 1, Array(8).fill(12)],
    // 61 = 16 x 4 − 3 (DeepSeek-V3): the short ones are the first, the last and then the second.
    [61, 16, 1, [3, 3, ...Array(13).fill(4), 3]],
    // 126 + 2 = 128 = 16 x 8 one-layer slots: the first and last chunk keep only the embedding and the output layer.
    [126, 16, 8, [0, ...Array(126).fill(1), 0]],
    // 16 / (4 x 2) = 2 each.
    [16, 4, 2, Array(8).fill(2)],
  ])('%d layers on %d stages x %d chunks', (layers, p, v, expected) => {
    const counts = chunkLayerCounts(layers, p, v);
    expect(counts).toEqual(expected);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(layers);
  });

  it.each([
    [126, 16, 1, true],
    [126, 16, 7, false], // 126 / 112 = 1.125 and 128 / 112 are not whole: the plan the search used to pick
    [126, 16, 8, true], // 128 / 128
    [126, 16, 4, true], // 128 / 64 = 2
    [126, 8, 16, true], // 128 / 128
    [96, 8, 4, true], // 96 / 32 = 3
    [96, 8, 5, false], // 96 / 40 and 98 / 40
    [61, 16, 1, true], // without interleaving any p <= L splits
    [10, 11, 1, false], // a stage without a layer
  ] as const)('splitsIntoChunks(%d, %d, %d) = %s', (layers, p, v, expected) => {
    expect(splitsIntoChunks(layers, p, v)).toBe(expected);
  });

  it('a stage gathers its chunks stage, stage + p, ... with their dense and MoE layers (DeepSeek-V3: the first 3 of 61 dense)', () => {
    const stages = stageLayouts(61, 16, 1, 3);
    // Stage 0: layers 0-2, all dense; stage 1: 3-5, all MoE; stage 2: 6-9.
    expect(stages.slice(0, 3).map((s) => [s.dense, s.moe])).toEqual([[3, 0], [0, 3], [0, 4]]);
    expect(stages.reduce((a, s) => a + s.dense + s.moe, 0)).toBe(61);
    // 16 layers, 5 dense, 4 stages of 2 chunks of 2: stage 0 holds layers 0-1 and 8-9.
    expect(stageLayouts(16, 4, 2, 5)[0]).toEqual({ dense: 2, moe: 2, chunks: [{ dense: 2, moe: 0 }, { dense: 0, moe: 2 }] });
  });
});

describe('micro-batches in flight under 1F1B (Narayanan et al. 2021 §2.2)', () => {
  it.each([
    // Plain: stage s runs p − s − 1 warm-up forwards and one more before its first backward.
    [4, 1, 8, 0, [4]],
    [4, 1, 8, 3, [1]],
    [4, 1, 2, 0, [2]], // only m = 2 micro-batches
    // Interleaved, p 4, v 2: 2(p − s − 1) + (v − 1)p + 1 forwards, in groups of p per chunk.
    [4, 2, 8, 0, [7, 4]], // 11: chunk 0 takes forwards 0-3 and 8-10, chunk 1 forwards 4-7
    [4, 2, 8, 3, [4, 1]], // 5: 0-3 on chunk 0, 4 on chunk 1
    [4, 2, 4, 0, [4, 4]], // 11 capped at m x v = 8: every forward of the step
    [16, 8, 16, 1, Array(8).fill(16)], // 141 capped at 128 (Llama 3 405B at PP 16 x 8, m = 16)
  ])('p %d, v %d, m %d, stage %d: %o', (p, v, m, stage, expected) => {
    expect(inFlightMicroBatches(p, v, m, stage)).toEqual(expected);
  });
});

describe('the busiest stage for memory is not the first when the first layers are dense (DeepSeek-V3, issue A2)', () => {
  // DeepSeek-V3 model card / technical report §4.2: 61 layers, the first 3 dense, MLA, 256 experts (8 active, 1 shared).
  const dsv3: ThroughputArchitecture = {
    layers: 61, dModel: 7168, heads: 128, kvHeads: 128, ffnDim: 18432, vocabSize: 129280, headDim: 192, tiedEmbeddings: false, seqLen: 4096, ffnGated: true,
    mla: { qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 },
    moe: { experts: 256, activeExperts: 8, sharedExperts: 1, moeFfnDim: 2048, denseLayers: 3 },
  };
  // DeepSeek's PP 16 and EP 64 on 2,048 GPUs (technical report §3.2), TP 1, DP 128, a 15,360-sequence batch: m = 120.
  const plan: Plan = { tensorParallel: 1, pipelineParallel: 16, dataParallel: 128, contextParallel: 1, expertParallel: 64, microBatch: 1, globalBatch: 15360, recompute: 'selective', virtualStages: 1, zero: 1 };
  const ap: ActivationPlan = { seqLen: 4096, microBatch: 1, tensorParallel: 1, sequenceParallel: false, pipelineParallel: 16, virtualStages: 1, microBatches: 120, contextParallel: 1, recompute: 'selective', attention: 'flash' };

  it('stage 2 holds the most activations: 14 micro-batches x 4 MoE layers against 16 x 3 dense on stage 0 and 15 x 3 MoE on stage 1', () => {
    const byStage = activationBytesByStage(dsv3, ap);
    expect(byStage.indexOf(Math.max(...byStage))).toBe(2);
    expect(byStage[2]).toBeGreaterThan(byStage[0] as number);
  });

  it('memory per GPU is the busiest stage\'s total: its activations with its own weights and state', () => {
    const device = deviceOf({ gpuName: 'h800', peakFlopsPerSecond: 989.4e12, memoryBytes: 80e9, memoryBandwidthTBs: 3.35, scaleUpGBpsPerDirection: 200, scaleUpDomainGpus: 8, scaleOutGbpsPerGpu: 400 });
    const model = throughputModel({ arch: dsv3, device, modelFlopsPerToken: 6 * 37e9, stateBytes: stateBytesOf(18) });
    const m = model.memory(plan);
    expect(m.activations).toBe(activationBytesByStage(dsv3, ap)[2]);
    // Stage 2's 4 local experts (256 / EP 64) of each of its 4 MoE layers, 3 x 7,168 x 2,048 parameters each, shard their
    // optimizer state over DP / EP = 2: 16 x 44.0M x 12 bytes / 2 = 4.23 GB, plus the dense parameters' 12 bytes over 128.
    const expertParams = 4 * 4 * 3 * 7168 * 2048;
    expect(m.optimizer).toBeGreaterThan((expertParams * 12) / 2);
    expect(m.optimizer).toBeLessThan((expertParams * 12) / 2 + 0.1e9);
    expect(m.total).toBe(m.weights + m.gradients + m.optimizer + m.activations);
  });
});
