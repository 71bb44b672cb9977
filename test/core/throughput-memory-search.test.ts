// Memory per GPU of a plan and the plan search (issue 10); sources of the expected numbers inline.
import { beforeEach, describe, expect, it } from 'vitest';
import { stageActivationBytes } from '../../src/core/memory.js';
import { MEMORY_ALLOWANCE } from '../../src/core/throughput/constants.js';
import {
  deviceOf,
  MEMORY_REASON,
  planMemory,
  searchPlans,
  stateBytesOf,
  structuralReason,
  throughputModel,
  type Plan,
  type ThroughputArchitecture,
} from '../../src/core/throughput/index.js';

const plan = (over: Partial<Plan> = {}): Plan => ({
  tensorParallel: 1,
  pipelineParallel: 1,
  dataParallel: 64,
  contextParallel: 1,
  expertParallel: 1,
  microBatch: 1,
  globalBatch: 64,
  recompute: 'full',
  virtualStages: 1,
  zero: 0,
  ...over,
});
// A 7.5B-parameter model with many layers, so that ZeRO-3's two gathered layers are negligible.
const arch: ThroughputArchitecture = { layers: 10_000, dModel: 4096, heads: 32, seqLen: 1024 };

describe('model state per GPU under ZeRO (Rajbhandari et al. 2020, Figure 1: 7.5B parameters, K = 12, 64 GPUs)', () => {
  it.each([
    [0, 120e9],
    [1, 31.4e9],
    [2, 16.6e9],
    [3, 1.88e9],
  ] as const)('stage %d: %d bytes', (zero, expected) => {
    // The paper's accounting, 2 + 2 + K (16-bit gradients), passed as it is: the sharding rule under test.
    const m = planMemory(arch, plan({ zero }), { weights: 2, gradients: 2, optimizer: 12 }, false, () => ({ dense: 7.5e9, expert: 0 }));
    // ZeRO-3 also holds two layers' gathered weights (2 x 7.5e9 / 10,000 x 2 bytes = 3 MB).
    expect((m.weights + m.gradients + m.optimizer) / expected).toBeCloseTo(1, 2);
  });

  it('splits 18 bytes per parameter into 2 + 4 + 12 (bf16 weights, fp32 gradients; mixed-precision Adam) and 16 into 4 + 4 + 8 (fp32)', () => {
    expect(stateBytesOf(18)).toEqual({ weights: 2, gradients: 4, optimizer: 12 });
    expect(stateBytesOf(16, true)).toEqual({ weights: 4, gradients: 4, optimizer: 8 });
  });

  // Megatron-Core distributed-optimizer docs, bytes per parameter with d data-parallel ranks:
  // "bf16 parameters, fp32 gradients" 18 without the distributed optimizer, 6 + 12/d with it (ZeRO-1);
  // "fp32 parameters, fp32 gradients" 16 and 8 + 8/d.
  it.each([
    [false, 0, 18],
    [false, 1, 6 + 12 / 64],
    [true, 0, 16],
    [true, 1, 8 + 8 / 64],
  ] as const)('Megatron-Core\'s table: fp32 %s, ZeRO-%d on 64 ranks keeps %d bytes per parameter', (fp32, zero, bytesPerParam) => {
    const m = planMemory(arch, plan({ zero }), stateBytesOf(fp32 ? 16 : 18, fp32), false, () => ({ dense: 7.5e9, expert: 0 }));
    expect((m.weights + m.gradients + m.optimizer) / (7.5e9 * bytesPerParam)).toBeCloseTo(1, 9);
  });

  it('expert weights shard over DP x CP / EP: 8 experts on EP 8 and DP 64 are sharded 8 ways', () => {
    const m = planMemory(arch, plan({ zero: 1, expertParallel: 8 }), stateBytesOf(18), false, () => ({ dense: 0, expert: 8e9 }));
    expect(m.optimizer).toBeCloseTo((8e9 * 12) / 8, -3);
  });

  it('activations are the busiest stage\'s (Korthikanti et al. 2022, stageActivationBytes); full recomputation keeps each layer\'s input', () => {
    const gpt3: ThroughputArchitecture = { layers: 96, dModel: 12288, heads: 96, seqLen: 2048, dropout: true };
    const p = plan({ tensorParallel: 8, pipelineParallel: 8, dataParallel: 1, globalBatch: 64, recompute: 'full' });
    const m = planMemory(gpt3, p, stateBytesOf(18), true, () => ({ dense: 1, expert: 0 }));
    const expected = stageActivationBytes(gpt3, { seqLen: 2048, microBatch: 1, tensorParallel: 8, sequenceParallel: true, pipelineParallel: 8, virtualStages: 1, microBatches: 64, contextParallel: 1, recompute: 'full', attention: 'flash' });
    expect(m.activations).toBe(expected);
  });

  it('with FlashAttention no plan stores the attention scores: none = Korthikanti\'s selective; llmcost\'s selective also drops the norm and activation-function outputs', () => {
    const gpt3: ThroughputArchitecture = { layers: 96, dModel: 12288, heads: 96, seqLen: 2048 };
    const p = (recompute: Plan['recompute']): Plan => plan({ tensorParallel: 8, pipelineParallel: 8, dataParallel: 1, recompute });
    const none = planMemory(gpt3, p('none'), stateBytesOf(18), true, () => ({ dense: 1, expert: 0 })).activations;
    const korthikanti = stageActivationBytes(gpt3, { seqLen: 2048, microBatch: 1, tensorParallel: 8, sequenceParallel: true, pipelineParallel: 8, virtualStages: 1, microBatches: 64, contextParallel: 1, recompute: 'none', attention: 'flash' });
    expect(none).toBe(korthikanti);
    const selective = planMemory(gpt3, p('selective'), stateBytesOf(18), true, () => ({ dense: 1, expert: 0 })).activations;
    // Per token per layer, of 34 h / t bytes (Korthikanti's selective, sequence parallel, no dropout term here): 4h/t (norm outputs) + 2 x 4h/t (GeLU output) dropped.
    expect(selective / none).toBeLessThan(0.8);
    expect(planMemory(gpt3, p('none'), stateBytesOf(18), true, () => ({ dense: 1, expert: 0 }), false).activations).toBeGreaterThan(none);
  });
});

describe('the search', () => {
  // Llama 3.1 405B on 16,384 H100 (Llama 3 paper Table 3 and §3.3.1; presets/gpus/h100.json).
  const llama: ThroughputArchitecture = { layers: 126, dModel: 16384, heads: 128, kvHeads: 8, ffnDim: 53248, vocabSize: 128256, seqLen: 8192, ffnGated: true, tiedEmbeddings: false };
  // Built before each test, not when the file loads, so that mutation testing sees which tests run it.
  let searchModel: Parameters<typeof searchPlans>[1];
  beforeEach(() => {
    const device = deviceOf({ gpuName: 'h100', peakFlopsPerSecond: 989.4e12, memoryBytes: 80e9, memoryBandwidthTBs: 3.35, scaleUpGBpsPerDirection: 450, scaleUpDomainGpus: 8, scaleOutGbpsPerGpu: 400 });
    const model = throughputModel({ arch: llama, device, modelFlopsPerToken: 6 * 405e9, stateBytes: stateBytesOf(18) });
    searchModel = { memory: model.memory, evaluate: model.evaluate, memoryBytes: 80e9, scaleUpDomainGpus: 8 };
  });

  it('finds Meta\'s plan for Llama 3.1 405B on 16,384 H100 with its 2,048-sequence batch among the best: TP 8, PP 16 (Llama 3 paper, Table 4), MFU within 10 % of 38-43 %', () => {
    const r = searchPlans(llama, searchModel, { gpus: 16384, globalBatch: 2048 }, 5);
    const best = r.plans[0];
    // First, as Meta ran it: with fp32 gradients (Llama 3 §3.3.2) PP 8 x 16 interleaved no longer fits.
    expect(best?.plan.tensorParallel).toBe(8);
    expect(best?.plan.pipelineParallel).toBe(16);
    expect(best?.plan.dataParallel).toBe(128);
    expect(best?.mfu).toBeGreaterThan(0.38 * 0.9);
    expect(best?.mfu).toBeLessThan(0.43 * 1.1);
    expect(r.searched).toBeGreaterThanOrEqual(10_000);
  });

  it('counts every plan: searched = feasible + rejected; the top list is fastest first and fits', () => {
    const r = searchPlans(llama, searchModel, { gpus: 4096, globalBatch: 1024 }, 10);
    const rejected = Object.values(r.rejected).reduce((a, b) => a + b, 0);
    expect(r.feasible + rejected).toBe(r.searched);
    expect(r.plans.length).toBe(10);
    for (let i = 1; i < r.plans.length; i++) expect(r.plans[i - 1]!.tokensPerSecondPerGpu).toBeGreaterThanOrEqual(r.plans[i]!.tokensPerSecondPerGpu);
    for (const e of r.plans) expect(e.memoryBytesPerGpu.total).toBeLessThanOrEqual(80e9 * (1 - MEMORY_ALLOWANCE.value));
  });

  it('keeps knobs the flags fixed', () => {
    const r = searchPlans(llama, searchModel, { gpus: 4096, globalBatch: 1024, fixed: { tensorParallel: 4, zero: 3, recompute: 'full' } }, 5);
    for (const e of r.plans) expect([e.plan.tensorParallel, e.plan.zero, e.plan.recompute]).toEqual([4, 3, 'full']);
  });

  it('when nothing fits, names the closest miss (405B on 8 GPUs: 6.5 TB of state alone)', () => {
    const r = searchPlans(llama, searchModel, { gpus: 8, globalBatch: 8 }, 5);
    expect(r.feasible).toBe(0);
    expect(r.rejected[MEMORY_REASON]).toBeGreaterThan(0);
    expect(r.closestMiss?.shortfallBytes).toBeGreaterThan(600e9);
  });

  it.each([
    [{ tensorParallel: 3 }, 'heads not divisible by tensor parallel'],
    // 64 x 3 = 192 chunks for 126 layers (+ 2 slots for the embedding and the output layer).
    [{ pipelineParallel: 64, virtualStages: 3 }, 'layers fewer than pipeline chunks'],
    // 16 x 7 = 112 chunks: neither 126 nor 128 splits into 112 equal chunks (issue A5: 1.125 layers each).
    [{ pipelineParallel: 16, virtualStages: 7 }, 'layers not divisible into equal interleaved chunks'],
    [{ globalBatch: 100, dataParallel: 64, microBatch: 1 }, 'global batch not divisible by data parallel x micro-batch'],
    [{ expertParallel: 2 }, 'experts not divisible by expert parallel'],
    [{ contextParallel: 3 }, 'sequence not divisible by 2 x context parallel'],
    [{ virtualStages: 2 }, 'interleaving needs pipeline and micro-batches divisible by it'],
  ] as const)('structural rule %o: %s', (over, reason) => {
    expect(structuralReason(llama, { ...plan({ dataParallel: 64, globalBatch: 1024, recompute: 'selective' }), ...over })).toBe(reason);
  });
});
