// Table-driven tests of each term of the throughput model (issue 10): collectives, GEMMs, one block's
// work, the step (bubble, sends, data parallelism, recomputation, optimizer), with the source of
// every expected number.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  blockCost,
  deviceOf,
  divisors,
  edgeCost,
  gemmSeconds,
  stageLayers,
  stateBytesOf,
  throughputModel,
  waveEfficiency,
  type BlockSplit,
  type Device,
  type Plan,
  type ThroughputArchitecture,
} from '../../src/core/throughput/index.js';
import {
  ATTENTION_EFFICIENCY,
  HBM_EFFICIENCY,
  KERNEL_OVERHEAD_SECONDS,
  SCALE_OUT_EFFICIENCY,
  SCALE_UP_EFFICIENCY,
  SUSTAINED_MATMUL_FRACTION,
} from '../../src/core/throughput/constants.js';
import { allGatherSeconds, allReduceSeconds, busBytesPerSecond, exposedSeconds, sendSeconds } from '../../src/core/throughput/device.js';

// H100 SXM and its DGX network: presets/gpus/h100.json (datasheet figures).
// Built before each test, not when the file loads, so that mutation testing (Stryker) sees which
// tests run the code.
let h100: Device;
beforeEach(() => {
  h100 = deviceOf({
    gpuName: 'h100',
    peakFlopsPerSecond: 989.4e12,
    memoryBytes: 80e9,
    memoryBandwidthTBs: 3.35,
    scaleUpGBpsPerDirection: 450,
    scaleUpDomainGpus: 8,
    scaleOutGbpsPerGpu: 400,
  });
});
const k = KERNEL_OVERHEAD_SECONDS.value;

// Llama 3.1 405B (Llama 3 paper, Table 3) and GPT-3 175B (Brown et al. 2020, Table 2.1).
const llama405b: ThroughputArchitecture = { layers: 126, dModel: 16384, heads: 128, kvHeads: 8, ffnDim: 53248, vocabSize: 128256, seqLen: 8192, ffnGated: true, tiedEmbeddings: false };
const gpt3: ThroughputArchitecture = { layers: 96, dModel: 12288, heads: 96, vocabSize: 51200, seqLen: 2048, tiedEmbeddings: true };

const split = (over: Partial<BlockSplit> = {}): BlockSplit => ({
  attention: 'flash',
  microBatch: 1,
  tensorParallel: 1,
  contextParallel: 1,
  expertParallel: 1,
  tokens: 2048,
  sequenceParallel: false,
  ...over,
});

describe('collectives (ring algorithms; NCCL bus bandwidth = algorithm bandwidth x 2(n-1)/n for all-reduce, (n-1)/n for all-gather)', () => {
  it.each([
    // group, bytes, expected seconds
    ['8 GPUs in one NVLink domain', { size: 8, stride: 1 }, 1e9, (2 * 7 * 1e9) / (8 * 450e9 * SCALE_UP_EFFICIENCY.value) + k],
    ['2 GPUs', { size: 2, stride: 1 }, 1e9, (2 * 1 * 1e9) / (2 * 450e9 * SCALE_UP_EFFICIENCY.value) + k],
    ['16 ranks, one per node: the 400 Gb/s port', { size: 16, stride: 8 }, 1e9, (2 * 15 * 1e9) / (16 * 50e9 * SCALE_OUT_EFFICIENCY.value) + k],
  ])('all-reduce over %s', (_, group, bytes, expected) => {
    expect(allReduceSeconds(h100, group, bytes)).toBeCloseTo(expected, 12);
  });

  it('all-gather moves half an all-reduce; one rank moves nothing', () => {
    const group = { size: 8, stride: 1 };
    expect(allGatherSeconds(h100, group, 1e9) - k).toBeCloseTo((allReduceSeconds(h100, group, 1e9) - k) / 2, 12);
    expect(allReduceSeconds(h100, { size: 1, stride: 1 }, 1e9)).toBe(0);
  });

  it('a group that spans two domains runs at the scale-out port (8 x 2 = 16 > 8)', () => {
    expect(busBytesPerSecond(h100, { size: 8, stride: 2 })).toBe(50e9 * SCALE_OUT_EFFICIENCY.value);
    expect(busBytesPerSecond(h100, { size: 4, stride: 2 })).toBe(450e9 * SCALE_UP_EFFICIENCY.value);
  });

  it('a point-to-point send is bytes / link bandwidth', () => {
    expect(sendSeconds(h100, { size: 16, stride: 128 }, 50e9 * SCALE_OUT_EFFICIENCY.value)).toBeCloseTo(1 + k, 12);
  });

  it.each([
    [3, 2, 3 - 2 * 0.75],
    [1, 4, 1 - 1 * 0.75],
    [2, 0, 2],
  ])('overlap hides OVERLAP_EFFICIENCY of the shorter: %d s behind %d s', (comm, compute, expected) => {
    expect(exposedSeconds(comm, compute)).toBeCloseTo(expected, 12);
  });
});

describe('GEMMs: roofline at the measured matmul rate, wave quantization (NVIDIA "Matrix Multiplication Background")', () => {
  it.each([
    // SMs, tiles, expected: tiles / (ceil(tiles / SMs) x SMs)
    [132, 576, 576 / 660],
    [108, 108, 1],
    [108, 109, 109 / 216],
    [132, 1, 1 / 132],
  ])('%d SMs, %d tiles', (units, tiles, expected) => {
    expect(waveEfficiency(units, tiles)).toBeCloseTo(expected, 12);
  });

  it('a large square GEMM runs at peak x MAMF (80.3 % on H100) x sustained fraction', () => {
    const n = 132 * 256; // 132 x 264 tiles of 256 x 128: whole waves
    const flops = 2 * n * 33792 * 8192;
    const rate = 989.4e12 * 0.803 * SUSTAINED_MATMUL_FRACTION.value;
    expect(gemmSeconds(h100, n, 33792, 8192)).toBeCloseTo(flops / rate + k, 9);
  });

  it('a skinny GEMM (one token) is bound by reading its weights from HBM', () => {
    const bytes = 2 * (1 * 16384 + 16384 * 16384 + 1 * 16384);
    expect(gemmSeconds(h100, 1, 16384, 16384)).toBeCloseTo(bytes / (3.35e12 * HBM_EFFICIENCY.value) + k, 12);
  });
});

describe('one block (Narayanan et al. 2021 §5.1: 24 b s h^2 (1 + s / 6h) forward FLOPs per GPT layer, full attention)', () => {
  it('GPT-3 175B: forward FLOPs are 24 s h^2 + 2 s^2 h with causal FlashAttention (half the 4 s^2 h of full attention)', () => {
    const s = 2048;
    const h = 12288;
    const block = blockCost(gpt3, h100, split(), false);
    expect(block.forwardFlops).toBeCloseTo(24 * s * h * h + 2 * s * s * h, -3);
  });

  it('materialized attention computes the full s x s scores: 24 s h^2 + 4 s^2 h', () => {
    const s = 2048;
    const h = 12288;
    expect(blockCost(gpt3, h100, split({ attention: 'materialized' }), false).forwardFlops).toBeCloseTo(24 * s * h * h + 4 * s * s * h, -3);
  });

  it('tensor parallelism divides the FLOPs and the 12 h^2 weights of a GPT layer (+ 2h norm weights, replicated)', () => {
    const h = 12288;
    const one = blockCost(gpt3, h100, split(), false);
    const eight = blockCost(gpt3, h100, split({ tensorParallel: 8 }), false);
    expect(eight.forwardFlops).toBeCloseTo(one.forwardFlops / 8, -3);
    expect(one.denseParams).toBe(12 * h * h + 2 * h);
    expect(eight.denseParams).toBe((12 * h * h) / 8 + 2 * h);
  });

  it('Llama 3 405B: a layer holds 3.22B parameters with GQA (8 KV heads) and SwiGLU (3 matrices), 126 of them 406B with the embeddings', () => {
    const block = blockCost(llama405b, h100, split({ tokens: 8192 }), false);
    const h = 16384;
    const expected = h * (128 + 2 * 8) * 128 + 128 * 128 * h + 3 * h * 53248 + 2 * h;
    expect(block.denseParams).toBe(expected);
    const edge = edgeCost(llama405b, h100, split({ tokens: 8192 }));
    expect((126 * block.denseParams + edge.embeddingParams + edge.outputParams) / 1e9).toBeCloseTo(405.8, 0);
  });

  it('with fewer KV heads than tensor ranks each rank keeps one (Megatron-LM replicates them)', () => {
    const mqa = { ...llama405b, kvHeads: 1 };
    const h = 16384;
    expect(blockCost(mqa, h100, split({ tensorParallel: 8, tokens: 8192 }), false).denseParams).toBe((h * (16 + 2) * 128) + (h * 16 * 128) + (3 * h * 53248) / 8 + 2 * h);
  });

  it('tensor-parallel traffic: 2 all-reduces of the b s h activation per pass, or all-gather + reduce-scatter pairs with sequence parallelism (Korthikanti et al. 2022 §4.2.2)', () => {
    const bytes = 2048 * 12288 * 2;
    const group = { size: 8, stride: 1 };
    expect(blockCost(gpt3, h100, split({ tensorParallel: 8 }), false).tensorParallelSeconds).toBeCloseTo(2 * allReduceSeconds(h100, group, bytes), 12);
    expect(blockCost(gpt3, h100, split({ tensorParallel: 8, sequenceParallel: true }), false).tensorParallelSeconds).toBeCloseTo(4 * allGatherSeconds(h100, group, bytes), 12);
    expect(blockCost(gpt3, h100, split(), false).tensorParallelSeconds).toBe(0);
  });

  it('FlashAttention backward is 2.5x its forward (5 matmuls against 2; Dao 2023), at ATTENTION_EFFICIENCY of the GEMM rate', () => {
    const block = blockCost(gpt3, h100, split(), false);
    expect(block.attentionBackwardSeconds / block.attentionForwardSeconds).toBeCloseTo(2.5, 12);
    const flops = 2048 * 2048 * 96 * 256;
    expect(block.attentionForwardSeconds).toBeCloseTo(flops / (989.4e12 * 0.803 * SUSTAINED_MATMUL_FRACTION.value * ATTENTION_EFFICIENCY.value), 12);
  });

  it('context parallelism: KV travels c − 1 hops, the backward sends K, V and their gradients', () => {
    const c4 = blockCost(llama405b, h100, split({ tensorParallel: 8, contextParallel: 4, tokens: 2048, sequenceParallel: true }), false);
    const kvBytes = 2048 * 2 * 1 * 128 * 2; // tokens x (K, V) x one KV head per rank x 128 x bf16
    expect(c4.contextParallelForwardSeconds).toBeCloseTo(3 * sendSeconds(h100, { size: 4, stride: 8 }, kvBytes), 12);
    expect(c4.contextParallelBackwardSeconds).toBeCloseTo(2 * c4.contextParallelForwardSeconds, 12);
  });

  it('mixture of experts: EP divides the expert weights; each token goes to k experts and back (2 all-to-alls per pass)', () => {
    const moe: ThroughputArchitecture = { layers: 32, dModel: 4096, heads: 32, kvHeads: 8, ffnDim: 14336, seqLen: 4096, ffnGated: true, moe: { experts: 8, activeExperts: 2 } };
    const one = blockCost(moe, h100, split({ tokens: 4096 }), true);
    const ep8 = blockCost(moe, h100, split({ tokens: 4096, expertParallel: 8 }), true);
    expect(one.expertParams).toBe(8 * 3 * 4096 * 14336); // Mixtral 8x7B: 8 experts of 3 matrices
    expect(ep8.expertParams).toBe(3 * 4096 * 14336);
    expect(one.expertParallelSeconds).toBe(0);
    expect(ep8.expertParallelSeconds).toBeCloseTo(2 * allGatherSeconds(h100, { size: 8, stride: 1 }, 4096 * 2 * 4096 * 2), 12);
    // Routed FLOPs: 2 experts per token, the same as a dense FFN twice as wide (plus the router).
    const dense = blockCost({ ...moe, moe: undefined, ffnDim: 2 * 14336 }, h100, split({ tokens: 4096 }), false);
    expect(one.forwardFlops - dense.forwardFlops).toBeCloseTo(2 * 4096 * 4096 * 8, -3);
  });
});

describe('one step', () => {
  let model: ReturnType<typeof throughputModel>;
  beforeEach(() => {
    model = throughputModel({ arch: gpt3, device: h100, modelFlopsPerToken: 6 * 175e9, stateBytes: stateBytesOf(18) });
  });
  const plan = (over: Partial<Plan> = {}): Plan => ({
    tensorParallel: 8,
    pipelineParallel: 8,
    dataParallel: 16,
    contextParallel: 1,
    expertParallel: 1,
    microBatch: 1,
    globalBatch: 1024,
    recompute: 'selective',
    virtualStages: 1,
    zero: 1,
    ...over,
  });

  it('the breakdown sums to the step; tokens/s per GPU = global batch x sequence / (step x GPUs); MFU = 6N x tokens/s / peak', () => {
    const e = model.evaluate(plan());
    const sum = Object.values(e.breakdownSeconds).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(e.stepSeconds, 9);
    expect(e.tokensPerSecondPerGpu).toBeCloseTo((1024 * 2048) / (e.stepSeconds * 1024), 9);
    expect(e.mfu).toBeCloseTo((6 * 175e9 * e.tokensPerSecondPerGpu) / 989.4e12, 12);
  });

  it.each([
    // p, v, m = B / (d b): the bubble is (p − 1)/v micro-batch times, i.e. (p − 1)/(m v) of the pipeline's work (Narayanan et al. 2021 §2.2)
    [8, 1, 64],
    [8, 4, 64],
    [4, 2, 32],
  ])('pipeline bubble, p = %d, v = %d, m = %d', (p, v, m) => {
    const e = model.evaluate(plan({ pipelineParallel: p, virtualStages: v, dataParallel: 128 / p, globalBatch: m * (128 / p) }));
    const b = e.breakdownSeconds;
    // ZeRO-1 reduces once per step, after the pipeline drains: not part of a micro-batch's time.
    const perMicroBatch = (b.compute + b.recompute + b.tensorParallel + b.contextParallel + b.expertParallel) / m;
    expect(b.pipelineBubble / (m * perMicroBatch)).toBeCloseTo((p - 1) / (m * v), 9);
  });

  it('full recomputation runs every forward twice: recompute = the forward share of compute (1/3 without attention; Korthikanti et al. 2022 §5), and its collectives once more', () => {
    const sel = model.evaluate(plan({ pipelineParallel: 1, dataParallel: 128, globalBatch: 128 }));
    const full = model.evaluate(plan({ pipelineParallel: 1, dataParallel: 128, globalBatch: 128, recompute: 'full' }));
    expect(full.breakdownSeconds.recompute / full.breakdownSeconds.compute).toBeGreaterThan(0.3);
    expect(full.breakdownSeconds.recompute / full.breakdownSeconds.compute).toBeLessThan(1 / 3 + 0.02);
    expect(full.breakdownSeconds.tensorParallel / sel.breakdownSeconds.tensorParallel).toBeCloseTo(1.5, 2);
    expect(full.hfu).toBeGreaterThan(full.mfu);
  });

  it('no data parallelism, nothing to reduce; ZeRO-3 gathers the weights every micro-batch and exposes more than ZeRO-1', () => {
    expect(model.evaluate(plan({ dataParallel: 1, pipelineParallel: 128, virtualStages: 1, globalBatch: 128 })).breakdownSeconds.dataParallelExposed).toBe(0);
    const z1 = model.evaluate(plan({ tensorParallel: 1, pipelineParallel: 1, dataParallel: 1024, globalBatch: 1024 }));
    const z3 = model.evaluate(plan({ tensorParallel: 1, pipelineParallel: 1, dataParallel: 1024, globalBatch: 1024, zero: 3 }));
    expect(z3.breakdownSeconds.dataParallelExposed).toBeGreaterThan(z1.breakdownSeconds.dataParallelExposed);
  });

  it('pipeline sends: 1/t of each boundary activation (Narayanan et al. 2021 §4.1 scatter/gather), forward and backward, 2 (m v + p − 1) of them on the critical path', () => {
    const e = model.evaluate(plan({ virtualStages: 2 }));
    const m = 1024 / 16;
    const bytes = (2048 * 12288 * 2) / 8;
    expect(e.breakdownSeconds.pipelineSend).toBeCloseTo(2 * (m * 2 + 8 - 1) * sendSeconds(h100, { size: 8, stride: 128 }, bytes), 12);
    expect(model.evaluate(plan({ pipelineParallel: 1, dataParallel: 128, globalBatch: 128 })).breakdownSeconds.pipelineSend).toBe(0);
  });

  it('the optimizer step reads and writes 30 bytes per parameter of the shard at HBM speed; ZeRO-1 divides it by DP', () => {
    const z0 = model.evaluate(plan({ zero: 0 })).breakdownSeconds.optimizer;
    const z1 = model.evaluate(plan({ zero: 1 })).breakdownSeconds.optimizer;
    expect(z0 / z1).toBeCloseTo(16, 9);
  });

  it('pipeline stages hold whole layers summing to L: 126 on 16 stages are 7 + 14 x 8 + 7 (Llama 3 §3.3.2: one layer fewer on the first and the last)', () => {
    const p16 = { ...plan(), pipelineParallel: 16 };
    const counts = Array.from({ length: 16 }, (_, s) => stageLayers(llama405b, p16, s).dense);
    expect(counts).toEqual([7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(126);
  });

  it('divisors', () => {
    expect(divisors(12)).toEqual([1, 2, 3, 4, 6, 12]);
    expect(divisors(16384).length).toBe(15);
  });
});
