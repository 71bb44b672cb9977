// One block's and the vocabulary layers' costs (issue 10), term by term: every GEMM of a block is
// listed by its shape (Megatron-LM's column- and row-parallel layout, Shoeybi et al. 2019 §3), every
// memory-bound kernel by the bytes it moves per token, and the parameter counts are checked against
// the totals the model cards publish. Written out by hand, so that each term of src/core/throughput/
// block.ts is pinned, not only their sum.
import { beforeEach, describe, expect, it } from 'vitest';
import { blockCost, deviceOf, edgeCost, gemmSeconds, waveEfficiency, type BlockSplit, type Device, type ThroughputArchitecture } from '../../src/core/throughput/index.js';
import { ATTENTION_EFFICIENCY, DEFAULT_MATMUL_EFFICIENCY, KERNEL_OVERHEAD_SECONDS, SCALE_OUT_EFFICIENCY, SCALE_UP_EFFICIENCY, SUSTAINED_MATMUL_FRACTION } from '../../src/core/throughput/constants.js';
import { allGatherSeconds, allReduceSeconds, busBytesPerSecond, hbmSeconds, matmulRate, sendSeconds } from '../../src/core/throughput/device.js';

/** |actual / expected − 1| below 1e-12 (the same sums in another order). */
const close = (actual: number, expected: number): void => {
  expect(Math.abs(actual / expected - 1), `${actual} vs ${expected}`).toBeLessThan(1e-12);
};

// H100 SXM in a DGX H100: presets/gpus/h100.json (989.4 TFLOP/s dense BF16, 80 GB, 3.35 TB/s, NVLink 450 GB/s per direction, 8 GPUs, 400 Gb/s per GPU).
let h100: Device;
beforeEach(() => {
  h100 = deviceOf({ gpuName: 'h100', peakFlopsPerSecond: 989.4e12, memoryBytes: 80e9, memoryBandwidthTBs: 3.35, scaleUpGBpsPerDirection: 450, scaleUpDomainGpus: 8, scaleOutGbpsPerGpu: 400 });
});
const k = KERNEL_OVERHEAD_SECONDS.value;
const split = (over: Partial<BlockSplit> = {}): BlockSplit => ({ attention: 'flash', microBatch: 1, tensorParallel: 1, contextParallel: 1, expertParallel: 1, tokens: 2048, sequenceParallel: false, ...over });

// GPT-3 175B (Brown et al. 2020, Table 2.1); Llama 3.1 405B (Llama 3 paper, Table 3); Mixtral 8x7B
// (Jiang et al. 2024, Table 1); DeepSeek-V3 (its config.json, test/fixtures/hf/deepseek-v3.config.json).
const gpt3: ThroughputArchitecture = { layers: 96, dModel: 12288, heads: 96, vocabSize: 51200, seqLen: 2048, tiedEmbeddings: true };
const llama405b: ThroughputArchitecture = { layers: 126, dModel: 16384, heads: 128, kvHeads: 8, ffnDim: 53248, vocabSize: 128256, seqLen: 8192, ffnGated: true, tiedEmbeddings: false };
const mixtral: ThroughputArchitecture = { layers: 32, dModel: 4096, heads: 32, kvHeads: 8, ffnDim: 14336, vocabSize: 32000, seqLen: 4096, ffnGated: true, moe: { experts: 8, activeExperts: 2 } };
const deepseekV3: ThroughputArchitecture = {
  layers: 61,
  dModel: 7168,
  heads: 128,
  ffnDim: 18432,
  vocabSize: 129280,
  seqLen: 4096,
  ffnGated: true,
  mla: { qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 },
  moe: { experts: 256, activeExperts: 8, sharedExperts: 1, moeFfnDim: 2048, denseLayers: 3 },
};
const hbm = (bytes: number): number => hbmSeconds(h100, bytes);
const flashSeconds = (flops: number): number => flops / (matmulRate(h100) * ATTENTION_EFFICIENCY.value);

describe('the collectives and GEMM helpers at their edges', () => {
  it('nothing to move, or nobody to move it to, costs nothing (no kernel is launched)', () => {
    expect(allReduceSeconds(h100, { size: 8, stride: 1 }, 0)).toBe(0);
    expect(allGatherSeconds(h100, { size: 8, stride: 1 }, 0)).toBe(0);
    expect(sendSeconds(h100, { size: 8, stride: 1 }, 0)).toBe(0);
    expect(sendSeconds(h100, { size: 1, stride: 1 }, 1e9)).toBe(0);
    expect(allGatherSeconds(h100, { size: 1, stride: 8 }, 1e9)).toBe(0);
  });

  it('a group is in one NVLink domain only when its span divides the domain: 3 adjacent GPUs of 8 are not (rings are built per domain)', () => {
    expect(busBytesPerSecond(h100, { size: 3, stride: 1 })).toBe(50e9 * SCALE_OUT_EFFICIENCY.value);
    expect(busBytesPerSecond(h100, { size: 2, stride: 4 })).toBe(450e9 * SCALE_UP_EFFICIENCY.value);
  });

  it('a GPU without an SM count in the table: no wave quantization, the default matmul efficiency', () => {
    const unknown = deviceOf({ gpuName: 'not-in-the-table', peakFlopsPerSecond: 1e15, memoryBytes: 80e9, memoryBandwidthTBs: 2, scaleUpGBpsPerDirection: 100, scaleUpDomainGpus: 4, scaleOutGbpsPerGpu: 200 });
    expect(unknown).toEqual({
      peakFlopsPerSecond: 1e15,
      matmulEfficiency: DEFAULT_MATMUL_EFFICIENCY.value,
      computeUnits: 0,
      hbmBytesPerSecond: 2e12,
      memoryBytes: 80e9,
      scaleUpBytesPerSecond: 100e9,
      scaleUpDomainGpus: 4,
      scaleOutBytesPerSecond: 25e9,
    });
    expect(waveEfficiency(0, 1000)).toBe(1);
    // Two 8,192-cubed GEMMs in one kernel: compute-bound (2,730 FLOPs per byte), twice the FLOPs at the full rate.
    const rate = 1e15 * DEFAULT_MATMUL_EFFICIENCY.value * SUSTAINED_MATMUL_FRACTION.value;
    close(gemmSeconds(unknown, 8192, 8192, 8192, 2), (2 * 2 * 8192 ** 3) / rate + k);
  });

  it('a batch of skinny GEMMs reads every operand of every one of them', () => {
    // 8 GEMMs of 1 x 4096 by 4096 x 4096: bytes 2 x (4096 + 4096² + 4096) each.
    close(gemmSeconds(h100, 1, 4096, 4096, 8), hbm(8 * 2 * (4096 + 4096 * 4096 + 4096)) + k);
  });
});

describe('a dense block, shape by shape', () => {
  it('GPT-3 on 8 tensor ranks with sequence parallelism: four GEMMs, FlashAttention, 36h/t bytes per token of memory-bound kernels', () => {
    const h = 12288;
    const T = 2048;
    const b = blockCost(gpt3, h100, split({ tensorParallel: 8, sequenceParallel: true }), false);
    const gemms =
      gemmSeconds(h100, T, 4608, h) + // QKV: 3h / t columns
      gemmSeconds(h100, T, h, 1536) + // attention output: h / t rows
      gemmSeconds(h100, T, 6144, h) + // FFN up: 4h / t
      gemmSeconds(h100, T, h, 6144); // FFN down
    // Causal FlashAttention: each of 2,048 queries meets 1,024 keys on average, 12 heads per rank, QK^T and PV.
    const attention = flashSeconds(2 * T * 1024 * 12 * 128 * 2);
    // Per token: two norms (read + write h, 2 bytes: 8h), two residual adds (read 2h, write h: 12h), both /t
    // with sequence parallelism; GeLU reads and writes 4h/t (16h/t bytes).
    const elementwise = (T * (8 * h + 12 * h)) / 8 + (T * 16 * h) / 8;
    close(b.forwardSeconds, gemms + attention + hbm(elementwise));
    close(b.backwardSeconds, 2 * gemms + 2.5 * attention + 2 * hbm(elementwise));
    close(b.attentionForwardSeconds, attention);
    close(b.attentionBackwardSeconds, 2.5 * attention);
    // Selective recomputation redoes the norms and the GeLU (FlashAttention recomputes its scores anyway).
    close(b.selectiveRecomputeSeconds, hbm((T * 8 * h) / 8 + (T * 16 * h) / 8));
    expect(b.forwardFlops).toBe(2 * T * (4608 * h + h * 1536 + 6144 * h + h * 6144) + 2 * T * 1024 * 12 * 256);
    expect([b.contextParallelForwardSeconds, b.contextParallelBackwardSeconds, b.expertParallelSeconds, b.expertParams]).toEqual([0, 0, 0, 0]);
  });

  it('GPT-3 trained with dropout: two 1-byte masks of h per token more', () => {
    const h = 12288;
    const T = 2048;
    const plain = blockCost(gpt3, h100, split(), false);
    const dropout = blockCost({ ...gpt3, dropout: true }, h100, split(), false);
    close(dropout.forwardSeconds - plain.forwardSeconds, hbm(T * 2 * h));
    close(dropout.selectiveRecomputeSeconds, plain.selectiveRecomputeSeconds);
  });

  it('Llama 3 405B on 8 tensor ranks: GQA keeps one KV head per rank, SwiGLU reads gate and up (3f/t x 2 bytes per token)', () => {
    const h = 16384;
    const T = 8192;
    const b = blockCost(llama405b, h100, split({ tensorParallel: 8, sequenceParallel: true, tokens: T }), false);
    const gemms = gemmSeconds(h100, T, (16 + 2) * 128, h) + gemmSeconds(h100, T, h, 16 * 128) + gemmSeconds(h100, T, (2 * 53248) / 8, h) + gemmSeconds(h100, T, h, 53248 / 8);
    const attention = flashSeconds(T * 8192 * 16 * 256);
    const elementwise = (T * 20 * h) / 8 + (T * 2 * 3 * 53248) / 8;
    close(b.forwardSeconds, gemms + attention + hbm(elementwise));
    close(b.selectiveRecomputeSeconds, hbm((T * 8 * h) / 8 + (T * 2 * 3 * 53248) / 8));
  });

  it('materialized attention with dropout (Megatron-LM 2021): the s x s scores as batched GEMMs and 13 bytes of traffic per score', () => {
    const T = 2048;
    const b = blockCost({ ...gpt3, dropout: true }, h100, split({ attention: 'materialized', tensorParallel: 8 }), false);
    // 12 heads per rank: QK^T (2,048 x 2,048 by 128) and scores x V (2,048 x 128 by 2,048), 12 of each in one kernel.
    const gemms = gemmSeconds(h100, T, T, 128, 12) + gemmSeconds(h100, T, 128, T, 12);
    // Per score: written by QK^T, read and written by softmax, read by the second GEMM (4 x 2 bytes); the
    // dropout mask (1 byte) and its output written and read (2 x 2 bytes).
    const attention = gemms + hbm(12 * T * T * (8 + 5));
    close(b.attentionForwardSeconds, attention);
    close(b.attentionBackwardSeconds, 2 * attention);
    // Selective recomputation redoes the attention core when its scores are not kept (Korthikanti et al. 2022 §5).
    close(b.selectiveRecomputeSeconds, hbm(T * 8 * 12288 + (T * 16 * 12288) / 8) + attention);
  });

  it('context parallelism over 4 ranks within a domain (stride: the 2 tensor ranks): K and V travel 3 hops; each hop merges fp32 output and log-sum-exp', () => {
    const T = 2048;
    const b = blockCost(llama405b, h100, split({ tensorParallel: 2, contextParallel: 4, tokens: T, sequenceParallel: true }), false);
    const kvBytes = T * 2 * 4 * 128 * 2; // K and V, 8 KV heads / 2 ranks, 128 wide, bf16
    close(b.contextParallelForwardSeconds, 3 * (kvBytes / (450e9 * SCALE_UP_EFFICIENCY.value) + k));
    close(b.contextParallelBackwardSeconds, 2 * b.contextParallelForwardSeconds);
    const one = blockCost(llama405b, h100, split({ tensorParallel: 2, contextParallel: 1, tokens: T, sequenceParallel: true }), false);
    const merge = 3 * hbm(T * 64 * (128 + 1) * 4 * 2); // 64 heads per rank, output and LSE, read and written
    close(b.forwardSeconds - one.forwardSeconds, merge);
    close(b.backwardSeconds - one.backwardSeconds, merge);
  });
});

describe('multi-head latent attention (DeepSeek-V2 §2.1): low-rank query and key-value projections', () => {
  // Per layer: W_DQ h x 1536, W_UQ 1536 x 128·192, W_DKV h x (512 + 64), W_UKV 512 x 128·(128 + 128), W_O 128·128 x h.
  const h = 7168;
  const attentionParams = h * 1536 + 1536 * 128 * 192 + h * 576 + 512 * 128 * 256 + 128 * 128 * h;

  it('DeepSeek-V3: 187.1M attention parameters a layer; 671B in all and 37B active (DeepSeek-V3 report, abstract)', () => {
    expect(attentionParams).toBe(187_105_280);
    const dense = blockCost(deepseekV3, h100, split({ tokens: 4096 }), false);
    const moe = blockCost(deepseekV3, h100, split({ tokens: 4096 }), true);
    expect(dense.denseParams).toBe(attentionParams + 3 * h * 18432 + 2 * h);
    expect(dense.expertParams).toBe(0);
    // Router h x 256, one shared expert of 3 x h x 2,048, 256 routed ones.
    expect(moe.denseParams).toBe(attentionParams + h * 256 + 3 * h * 2048 + 2 * h);
    expect(moe.expertParams).toBe(256 * 3 * h * 2048);
    const edge = edgeCost(deepseekV3, h100, split({ tokens: 4096 }));
    const total = 3 * dense.denseParams + 58 * (moe.denseParams + moe.expertParams) + edge.embeddingParams + edge.outputParams;
    expect(total / 1e9).toBeCloseTo(671.0, 1);
    const active = 3 * dense.denseParams + 58 * (moe.denseParams + (8 / 256) * moe.expertParams) + edge.embeddingParams + edge.outputParams;
    expect(active / 1e9).toBeCloseTo(37.55, 2);
  });

  it('forward FLOPs: 2 x tokens x the weights a token meets, plus causal attention over 192-wide keys and 128-wide values', () => {
    const T = 4096;
    const dense = blockCost(deepseekV3, h100, split({ tokens: T }), false);
    const attentionCore = T * 4096 * 128 * (192 + 128);
    expect(dense.forwardFlops).toBe(2 * T * (attentionParams + 3 * h * 18432) + attentionCore);
    const moe = blockCost(deepseekV3, h100, split({ tokens: T }), true);
    expect(moe.forwardFlops).toBe(2 * T * (attentionParams + h * 256 + 3 * h * 2048 + 8 * 3 * h * 2048) + attentionCore);
  });

  it('on 8 tensor ranks the up-projections and W_O split, the down-projections stay whole', () => {
    const dense = blockCost(deepseekV3, h100, split({ tokens: 4096, tensorParallel: 8 }), false);
    expect(dense.denseParams).toBe(h * 1536 + (1536 * 128 * 192) / 8 + h * 576 + (512 * 128 * 256) / 8 + (128 * 128 * h) / 8 + (3 * h * 18432) / 8 + 2 * h);
    expect(dense.forwardFlops).toBe(2 * 4096 * (h * 1536 + 1536 * 16 * 192 + h * 576 + 512 * 16 * 256 + 16 * 128 * h + (3 * h * 18432) / 8) + 4096 * 4096 * 16 * 320);
  });

  it('without a query rank (DeepSeek-V2-Lite) the query projection is h x heads·192', () => {
    const lite: ThroughputArchitecture = { ...deepseekV3, dModel: 2048, heads: 16, mla: { kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 }, moe: undefined, ffnDim: 10944 };
    const b = blockCost(lite, h100, split({ tokens: 4096, tensorParallel: 2 }), false);
    expect(b.denseParams).toBe((2048 * 16 * 192) / 2 + 2048 * 576 + (512 * 16 * 256) / 2 + (16 * 128 * 2048) / 2 + (3 * 2048 * 10944) / 2 + 2 * 2048);
  });

  it('ring attention sends the latent-expanded K (192) and V (128) of each local head', () => {
    const T = 2048;
    const b = blockCost(deepseekV3, h100, split({ tokens: T, tensorParallel: 2, contextParallel: 4, sequenceParallel: true }), false);
    close(b.contextParallelForwardSeconds, 3 * ((T * 64 * (192 + 128) * 2) / (450e9 * SCALE_UP_EFFICIENCY.value) + k));
  });
});

describe('a mixture-of-experts block', () => {
  it('Mixtral 8x7B: 46.7B parameters, 12.9B active (Jiang et al. 2024, §2)', () => {
    const b = blockCost(mixtral, h100, split({ tokens: 4096 }), true);
    const edge = edgeCost(mixtral, h100, split({ tokens: 4096 }));
    const attention = 4096 * (32 + 2 * 8) * 128 + 32 * 128 * 4096;
    expect(b.denseParams).toBe(attention + 4096 * 8 + 2 * 4096);
    expect(b.expertParams).toBe(8 * 3 * 4096 * 14336);
    expect((32 * (b.denseParams + b.expertParams) + edge.embeddingParams + edge.outputParams) / 1e9).toBeCloseTo(46.70, 2);
    expect((32 * (b.denseParams + b.expertParams / 4) + edge.embeddingParams + edge.outputParams) / 1e9).toBeCloseTo(12.88, 2);
  });

  it('the same architecture as a dense block (an MoE model\'s first layers) has the dense FFN', () => {
    expect(blockCost(mixtral, h100, split({ tokens: 4096 }), false).denseParams).toBe(4096 * 48 * 128 + 32 * 128 * 4096 + 3 * 4096 * 14336 + 2 * 4096);
  });

  it('on TP 2 x EP 4, sequence parallel: each local expert sees as many tokens as the rank has (2 of 8 experts, 4 ranks); every term by hand', () => {
    const T = 4096;
    const h = 4096;
    const b = blockCost(mixtral, h100, split({ tokens: T, tensorParallel: 2, expertParallel: 4, sequenceParallel: true }), true);
    const perExpert = (T * 2 * 4) / 8;
    const gemms =
      gemmSeconds(h100, T, (16 + 2 * 4) * 128, h) +
      gemmSeconds(h100, T, h, 16 * 128) +
      gemmSeconds(h100, T, 8, h) + // router (replicated on each tensor rank)
      gemmSeconds(h100, perExpert, 14336, h, 2) + // gate + up of the 2 local experts: 2 x 14,336 / 2
      gemmSeconds(h100, perExpert, h, 7168, 2); // down
    const attention = flashSeconds(T * T * 16 * 256);
    // Norms and residuals (20h/t), SwiGLU of the 2 routed copies (2 x 3 x 14,336 x 2 bytes / t), and the
    // permutation copies in and out of each routed copy (4 x h x 2 bytes, 2 copies).
    const activation = (T * 2 * 3 * 14336 * 2) / 2;
    const elementwise = (T * 20 * h) / 2 + activation + T * 4 * 2 * 2 * h;
    close(b.forwardSeconds, gemms + attention + hbm(elementwise));
    close(b.selectiveRecomputeSeconds, hbm((T * 8 * h) / 2 + activation));
    expect(b.forwardFlops).toBe(2 * T * (24 * 128 * h + h * 16 * 128 + 8 * h) + 2 * perExpert * 2 * 3 * h * 7168 + T * T * 16 * 256);
    expect(b.denseParams).toBe(2 * h + h * 24 * 128 + h * 16 * 128 + h * 8);
    expect(b.expertParams).toBe((2 * 3 * h * 14336) / 2);
    // Dispatch and combine: the rank's sequence-parallel share of its tokens' 2 routed copies, over EP 4 (stride 2: one domain).
    const bytes = (T * 2 * h * 2) / 2;
    close(b.expertParallelSeconds, 2 * ((3 / 4) * bytes / (450e9 * SCALE_UP_EFFICIENCY.value) + k));
  });

  it('balanced routing: expert parallelism moves work between ranks but not the FLOPs of one', () => {
    const one = blockCost(mixtral, h100, split({ tokens: 4096 }), true);
    const ep8 = blockCost(mixtral, h100, split({ tokens: 4096, expertParallel: 8 }), true);
    expect(ep8.forwardFlops).toBe(one.forwardFlops);
    expect(ep8.expertParams).toBe(one.expertParams / 8);
  });

  it('the expert group sits outside the tensor and context ranks: TP 4 x CP 2 x EP 2 spans 16 GPUs, over the network', () => {
    const T = 2048;
    const b = blockCost(mixtral, h100, split({ tokens: T, tensorParallel: 4, contextParallel: 2, expertParallel: 2 }), true);
    const bytes = T * 2 * 4096 * 2;
    close(b.expertParallelSeconds, 2 * ((1 / 2) * bytes / (50e9 * SCALE_OUT_EFFICIENCY.value) + k));
  });

  it('DeepSeek-V3 on TP 2: the shared expert runs on every token, split over the tensor ranks', () => {
    const T = 4096;
    const h = 7168;
    const two = blockCost(deepseekV3, h100, split({ tokens: T, tensorParallel: 2, sequenceParallel: true }), true);
    const withoutShared = blockCost({ ...deepseekV3, moe: { ...deepseekV3.moe!, sharedExperts: 0 } }, h100, split({ tokens: T, tensorParallel: 2, sequenceParallel: true }), true);
    expect(two.denseParams - withoutShared.denseParams).toBe((3 * h * 2048) / 2);
    expect(two.forwardFlops - withoutShared.forwardFlops).toBe(2 * T * (3 * h * 2048) / 2);
    // Selective recomputation redoes the SwiGLU of 8 routed copies and the shared expert: 9 x 3 x 2,048 x 2 bytes / t per token.
    close(two.selectiveRecomputeSeconds, hbm((T * 8 * h) / 2 + (T * 9 * 3 * 2048 * 2) / 2));
    close(two.forwardSeconds - withoutShared.forwardSeconds, gemmSeconds(h100, T, 2048, h) + gemmSeconds(h100, T, h, 1024) + hbm((T * 3 * 2048 * 2) / 2));
  });

  it('without moeFfnDim the experts are ffnDim wide', () => {
    const b = blockCost({ ...mixtral, moe: { experts: 8, activeExperts: 2 } }, h100, split({ tokens: 4096 }), true);
    expect(b.expertParams).toBe(8 * 3 * 4096 * 14336);
  });
});

describe('the vocabulary layers', () => {
  it('GPT-3 on 8 tensor ranks: a 2,048 x 6,400 x 12,288 logits GEMM three times, fp32 logits written, read and their gradient written', () => {
    const T = 2048;
    const e = edgeCost(gpt3, h100, split({ tensorParallel: 8 }));
    close(e.outputSeconds, 3 * gemmSeconds(h100, T, 6400, 12288) + hbm(T * 6400 * 4 * 3));
    // The lookup writes a row in the forward, and reads the gradient and adds it to the table in the backward.
    close(e.embeddingSeconds, hbm(3 * T * 12288 * 2));
    close(e.embeddingTensorParallelSeconds, allReduceSeconds(h100, { size: 8, stride: 1 }, T * 12288 * 2));
    expect(e.outputFlopsForward).toBe(2 * T * 6400 * 12288);
    expect([e.embeddingParams, e.outputParams]).toEqual([6400 * 12288, 6400 * 12288]);
  });

  it('an architecture without a vocabulary has no vocabulary layers', () => {
    expect(edgeCost({ ...gpt3, vocabSize: undefined }, h100, split())).toEqual({ embeddingSeconds: 0, embeddingTensorParallelSeconds: 0, outputSeconds: 0, outputFlopsForward: 0, embeddingParams: 0, outputParams: 0 });
  });
});
