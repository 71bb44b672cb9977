// The plan search (issue 10) against an exhaustive enumeration written independently: every tuple of
// degrees whose product is the GPU count, filtered by the rules the search documents, counted by
// reason. The step-time model is replaced by a made-up one (memory and rate are simple functions of the
// plan, with ties), so that what is checked is the search itself: what it tries, what it rejects and
// why, and which plans it keeps in which order. Also the structural rules and the memory of a plan.
import { describe, expect, it } from 'vitest';
import {
  batchOccupancy,
  MEMORY_REASON,
  planMemory,
  searchPlans,
  stateBytesOf,
  structuralReason,
  type Evaluation,
  type MemoryBreakdown,
  type Plan,
  type Recompute,
  type SearchModel,
  type SearchSpace,
  type ThroughputArchitecture,
  type ZeroStage,
} from '../../src/core/throughput/index.js';
import { MEMORY_ALLOWANCE } from '../../src/core/throughput/constants.js';
import { SHORT_CONTEXT_REASON } from '../../src/core/throughput/search.js';
import { activationBytesPerLayer, stageActivationBytes, type ActivationPlan } from '../../src/core/memory.js';

// 8 heads, 8 layers, 16,384-token sequences (CP 2 leaves 8,192 tokens per rank, CP 4 too few), 4 experts.
const moeArch: ThroughputArchitecture = { layers: 8, dModel: 1024, heads: 8, seqLen: 16384, moe: { experts: 4, activeExperts: 1 } };
const denseArch: ThroughputArchitecture = { layers: 6, dModel: 1024, heads: 4, seqLen: 4096 };

const GB = 1e9;
/**
 * A made-up model: 16 GB of weights, 16 of gradients and 32 of optimizer state over TP x PP, each
 * also over DP x CP from its ZeRO stage on (3, 2, 1); activations 16 GB (4 with full recomputation)
 * x micro-batch over TP x CP, x1.5 when interleaved.
 */
const fakeModel = (memoryBytes: number): SearchModel => ({
  memoryBytes,
  scaleUpDomainGpus: 8,
  memory: (p: Plan): MemoryBreakdown => {
    const split = p.tensorParallel * p.pipelineParallel;
    const shard = (stage: number): number => (p.zero >= stage ? p.dataParallel * p.contextParallel : 1);
    const weights = (16 * GB) / split / shard(3);
    const gradients = (16 * GB) / split / shard(2);
    const optimizer = (32 * GB) / split / shard(1);
    const activations = (((p.recompute === 'full' ? 4 : 16) * GB * p.microBatch) / (p.tensorParallel * p.contextParallel)) * (p.virtualStages > 1 ? 1.5 : 1);
    return { weights, gradients, optimizer, activations, total: weights + gradients + optimizer + activations };
  },
  evaluate: (p: Plan, memory?: MemoryBreakdown): Evaluation => {
    // Rates with ties: many plans share a rate, so the order among equals is checked too.
    const rate = 1000 + 10 * Math.log2(p.tensorParallel) - 7 * Math.log2(p.pipelineParallel) + 3 * p.microBatch + (p.recompute === 'full' ? -5 : 0) + (p.zero % 2) + p.virtualStages;
    return { plan: p, stepSeconds: 1, tokensPerSecondPerGpu: rate, mfu: 0, hfu: 0, bubbleFraction: 0, breakdownSeconds: {} as Evaluation['breakdownSeconds'], memoryBytesPerGpu: memory!, fits: true };
  },
});

/** Whether L layers make n equal interleaved chunks: n divides L, or L + 2 (the embedding and output layer in a chunk's place, Llama 3 §3.3.2). */
const evenChunks = (L: number, n: number): boolean => (n <= L && L % n === 0) || (L + 2) % n === 0;

/** Every plan of the space by brute force, in the search's order (TP, CP, PP, EP, micro-batch, interleaving, recompute, ZeRO ascending). */
function exhaustive(arch: ThroughputArchitecture, model: SearchModel, space: SearchSpace, top: number) {
  const G = space.gpus;
  const B = space.globalBatch;
  const f = space.fixed ?? {};
  const usable = model.memoryBytes * (1 - MEMORY_ALLOWANCE.value);
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
  const keep = (key: keyof Plan, x: number): boolean => f[key] === undefined || f[key] === x;
  const modes: Recompute[] = f.recompute ? [f.recompute] : [...(space.recompute ?? ['selective', 'full'])];
  const zeros: ZeroStage[] = f.zero !== undefined ? [f.zero] : [...(space.zero ?? [0, 1, 2, 3])];
  const rejected: Record<string, number> = {};
  const reject = (reason: string, n = 1): void => {
    rejected[reason] = (rejected[reason] ?? 0) + n;
  };
  const found: Evaluation[] = [];
  let searched = 0;
  let closestMiss: { plan: Plan; shortfallBytes: number } | undefined;
  for (const t of range(G)) {
    if (G % t || t > (space.maxTensorParallel ?? arch.heads) || t < (space.minTensorParallel ?? 1) || !keep('tensorParallel', t)) continue;
    for (const c of range(G / t)) {
      if ((G / t) % c || c > (space.maxContextParallel ?? 32) || !keep('contextParallel', c)) continue;
      for (const p of range(G / (t * c))) {
        if ((G / (t * c)) % p || p > arch.layers || (space.pipelineChoices && !space.pipelineChoices.includes(p)) || !keep('pipelineParallel', p)) continue;
        const d = G / (t * c * p);
        if (!keep('dataParallel', d)) continue;
        // Nothing to shard over: ZeRO stages are one plan (the first of the list).
        const zs = d * c === 1 ? zeros.slice(0, 1) : zeros;
        for (const e of range(d)) {
          if (d % e || (arch.moe ? arch.moe.experts % e !== 0 : e !== 1) || !keep('expertParallel', e)) continue;
          const bs = range(B).filter((b) => B % d === 0 && (B / d) % b === 0 && b <= (space.maxMicroBatch ?? 64) && keep('microBatch', b));
          if (bs.length === 0) {
            searched += modes.length * zs.length;
            reject('global batch not divisible by data parallel x micro-batch', modes.length * zs.length);
          }
          for (const b of bs) {
            const m = B / (d * b);
            let vs = range(space.maxVirtualStages ?? 16).filter((v) => (p === 1 ? v === 1 : v === 1 || (m % p === 0 && evenChunks(arch.layers, p * v))) && keep('virtualStages', v));
            // Quick: the deepest interleaving, then none.
            if (space.quick && vs.length > 1) vs = [vs[vs.length - 1] as number, 1];
            // Every candidate of the split with its rank on each knob (lower is preferred), in the search's order.
            const grid = vs.flatMap((v, vi) => modes.flatMap((recompute, ri) => zs.map((zero, zi) => ({ rank: [vi, ri, zi], plan: { tensorParallel: t, pipelineParallel: p, dataParallel: d, contextParallel: c, expertParallel: e, microBatch: b, globalBatch: B, recompute, virtualStages: v, zero } as Plan }))));
            const fitted: number[][] = [];
            const overflowing: ZeroStage[] = [];
            for (const { rank, plan } of grid) {
              // Quick: skip what a fitting plan beats on every knob, and a ZeRO stage whose state alone overflowed.
              if (space.quick && (overflowing.includes(plan.zero) || fitted.some((r) => r.every((x, i) => x <= (rank[i] as number))))) continue;
              searched++;
              const short = f.contextParallel === undefined && c > 1 && arch.seqLen / c < 8192;
              const reason = short ? SHORT_CONTEXT_REASON : structuralReason(arch, plan);
              if (reason) {
                reject(reason);
                continue;
              }
              const memory = model.memory(plan);
              if (memory.total > usable) {
                reject(MEMORY_REASON);
                if (!closestMiss || memory.total - usable < closestMiss.shortfallBytes) closestMiss = { plan, shortfallBytes: memory.total - usable };
                if (memory.weights + memory.gradients + memory.optimizer > usable) overflowing.push(plan.zero);
                continue;
              }
              found.push(model.evaluate(plan, memory));
              fitted.push(rank);
            }
          }
        }
      }
    }
  }
  // Fastest first; among equal rates, the one found first.
  const plans = found.map((x, i) => [x, i] as const).sort((a, b) => b[0].tokensPerSecondPerGpu - a[0].tokensPerSecondPerGpu || a[1] - b[1]).map(([x]) => x).slice(0, Math.max(0, top));
  return { searched, feasible: found.length, rejected, plans, closestMiss };
}

const spaces: Array<[string, ThroughputArchitecture, number, SearchSpace, number]> = [
  ['16 GPUs, MoE, every knob free', moeArch, 40 * GB, { gpus: 16, globalBatch: 32 }, 12],
  ['16 GPUs, MoE, quick', moeArch, 40 * GB, { gpus: 16, globalBatch: 32, quick: true }, 12],
  ['16 GPUs, MoE, quick on a small GPU (model state alone overflows)', moeArch, 6 * GB, { gpus: 16, globalBatch: 32, quick: true }, 5],
  ['16 GPUs, MoE, quick, ZeRO 1 to 3 on a small GPU', moeArch, 6 * GB, { gpus: 16, globalBatch: 32, quick: true, zero: [1, 2, 3] }, 5],
  ['8 GPUs, dense, quick, ZeRO 1 to 3, interleaving up to 3 chunks, on a GPU where only some fit', denseArch, 12 * GB, { gpus: 8, globalBatch: 16, quick: true, zero: [1, 2, 3], maxVirtualStages: 3 }, 6],
  ['16 GPUs, MoE, TP 2 to 4, pipelines of 1 or 2, micro-batches up to 2, CP up to 2, 3 chunks at most', moeArch, 40 * GB, { gpus: 16, globalBatch: 32, minTensorParallel: 2, maxTensorParallel: 4, pipelineChoices: [1, 2], maxMicroBatch: 2, maxContextParallel: 2, maxVirtualStages: 3 }, 7],
  ['16 GPUs, MoE, CP 4 fixed (allowed below 8,192 tokens a rank), EP 2, ZeRO 1, full', moeArch, 40 * GB, { gpus: 16, globalBatch: 32, fixed: { contextParallel: 4, expertParallel: 2, zero: 1, recompute: 'full' } }, 4],
  ['16 GPUs, MoE, DP 4 and micro-batch 4 fixed', moeArch, 40 * GB, { gpus: 16, globalBatch: 32, fixed: { dataParallel: 4, microBatch: 4 } }, 4],
  ['12 GPUs, dense, a global batch of 6 (not divisible by some DP), recompute none and full, ZeRO 0 and 3', denseArch, 40 * GB, { gpus: 12, globalBatch: 6, recompute: ['none', 'full'], zero: [0, 3] }, 10],
  ['12 GPUs, dense, a fixed TP that the heads do not allow', denseArch, 40 * GB, { gpus: 12, globalBatch: 12, fixed: { tensorParallel: 3 } }, 3],
  ['16 GPUs, MoE, CP 4 fixed on 20,004 tokens (not 8 equal chunks)', { ...moeArch, seqLen: 20004 }, 40 * GB, { gpus: 16, globalBatch: 16, fixed: { contextParallel: 4 } }, 3],
  ['1 GPU, dense, a batch of 128: micro-batches up to 64 by default', denseArch, 2000 * GB, { gpus: 1, globalBatch: 128 }, 20],
  ['8 GPUs, dense, nothing fits: the closest miss', denseArch, 2 * GB, { gpus: 8, globalBatch: 8 }, 3],
  ['8 GPUs, dense, top 0 keeps nothing but counts everything', denseArch, 40 * GB, { gpus: 8, globalBatch: 8 }, 0],
];

describe('the search against an exhaustive enumeration', () => {
  it.each(spaces)('%s', (_, arch, memoryBytes, space, top) => {
    const model = fakeModel(memoryBytes);
    const got = searchPlans(arch, model, space, top);
    const want = exhaustive(arch, model, space, top);
    expect(got.searched).toBe(want.searched);
    expect(got.feasible).toBe(want.feasible);
    expect(got.rejected).toEqual(want.rejected);
    expect(got.closestMiss).toEqual(want.closestMiss);
    expect(got.plans.map((e) => e.plan)).toEqual(want.plans.map((e) => e.plan));
    expect(got.searched).toBe(got.feasible + Object.values(got.rejected).reduce((a, b) => a + b, 0));
  });

  it('the spaces above meet every rejection the search can make (it never builds a plan with fewer layers than chunks, or interleaving it cannot run)', () => {
    const reasons = new Set<string>();
    for (const [, arch, memoryBytes, space] of spaces) for (const r of Object.keys(searchPlans(arch, fakeModel(memoryBytes), space, 1).rejected)) reasons.add(r);
    expect([...reasons].sort()).toEqual(
      [
        MEMORY_REASON,
        SHORT_CONTEXT_REASON,
        'global batch not divisible by data parallel x micro-batch',
        'heads not divisible by tensor parallel',
        'sequence not divisible by 2 x context parallel',
      ].sort(),
    );
  });
});

describe('ZeRO with nothing to shard over', () => {
  const key = (p: Plan): string => JSON.stringify({ ...p, zero: undefined });
  it('at DP x CP = 1 the four stages are one plan: counted once, kept once (ZeRO-0)', () => {
    // 8 GPUs, batch 8: TP x PP = 8 leaves DP 1 (TP 4 x PP 2, TP 2 x PP 4, TP 1 x PP 8 is too deep for 6 layers).
    const r = searchPlans(denseArch, fakeModel(2000 * GB), { gpus: 8, globalBatch: 8 }, 1000);
    const one = r.plans.filter((e) => e.plan.dataParallel * e.plan.contextParallel === 1);
    expect(one.length).toBeGreaterThan(0);
    expect(one.every((e) => e.plan.zero === 0)).toBe(true);
    expect(new Set(one.map((e) => key(e.plan))).size).toBe(one.length);
    // Where DP > 1 every stage is its own plan: all four are searched.
    const many = r.plans.filter((e) => e.plan.dataParallel > 1);
    expect(new Set(many.map((e) => e.plan.zero))).toEqual(new Set([0, 1, 2, 3]));
  });

  it('a ZeRO stage fixed by flag is the one kept at DP 1; CP 2 at DP 1 still shards (four stages)', () => {
    const fixed = searchPlans(denseArch, fakeModel(2000 * GB), { gpus: 2, globalBatch: 2, fixed: { zero: 3, tensorParallel: 2 } }, 10);
    expect(fixed.plans.map((e) => e.plan.zero)).toEqual(fixed.plans.map(() => 3));
    const cp = searchPlans(moeArch, fakeModel(2000 * GB), { gpus: 2, globalBatch: 2, fixed: { contextParallel: 2, recompute: 'full', virtualStages: 1, microBatch: 1 } }, 10);
    expect(cp.plans.map((e) => e.plan.zero).sort()).toEqual([0, 1, 2, 3]);
    expect(cp.searched).toBe(4);
  });
});

describe('batchOccupancy: whether a global batch can occupy the GPUs (micro-batch 1: DP must divide it)', () => {
  // denseArch: 4 heads, 6 layers, 4,096-token sequences (no CP: below 8,192 tokens a rank).
  it.each([
    ['12 GPUs, batch 6: DP 6 (TP 2, PP 1) splits it; TP 4 on a sequence keeps them busy', 12, 6, {}, Infinity, { splits: true, smallestDataParallel: 1, sequenceRanks: 4, busyFractionBound: 1 }],
    ['125 GPUs, batch 4: TP 1 only (4 heads), PP 1 or 5, so DP 125 or 25: no split; 4 x 1 / 125 of the time at most', 125, 4, {}, Infinity, { splits: false, smallestDataParallel: 25, sequenceRanks: 1, busyFractionBound: 4 / 125 }],
    ['16 GPUs, batch 2, a 2-GPU domain: DP 1 with TP 4 splits it, but TP 2 at most on a sequence: 2 x 2 / 16 busy', 16, 2, {}, 2, { splits: true, smallestDataParallel: 1, sequenceRanks: 2, busyFractionBound: 0.25 }],
    ['16 GPUs, batch 2, PP fixed at 1: DP 4 at least (TP 4), no split', 16, 2, { pipelineParallel: 1 }, Infinity, { splits: false, smallestDataParallel: 4, sequenceRanks: 4, busyFractionBound: 0.5 }],
  ] as const)('%s', (_, gpus, batch, fixed, domain, want) => {
    expect(batchOccupancy(denseArch, gpus, batch, fixed, domain)).toEqual(want);
  });

  it('the bound is what 1F1B gives at micro-batch 1 with TP filling the domain: m / (m + p - 1) <= batch x TP / GPUs', () => {
    // 64 GPUs, TP 4, batch 4: DP x PP = 16; each plan computes m / (m + p - 1), m = 4 / DP, p = 16 / DP.
    const bound = batchOccupancy({ ...denseArch, layers: 16 }, 64, 4, {}, 4).busyFractionBound;
    expect(bound).toBe(0.25);
    for (const d of [1, 2, 4]) {
      const m = 4 / d;
      const p = 16 / d;
      expect(m / (m + p - 1)).toBeLessThanOrEqual(bound);
    }
  });
});

describe('structural rules of a plan', () => {
  const plan = (over: Partial<Plan>): Plan => ({ tensorParallel: 1, pipelineParallel: 1, dataParallel: 1, contextParallel: 1, expertParallel: 1, microBatch: 1, globalBatch: 8, recompute: 'selective', virtualStages: 1, zero: 0, ...over });
  it.each([
    ['4 stages of 4 chunks on 16 layers: one layer a chunk', { layers: 16 }, { pipelineParallel: 4, virtualStages: 4, globalBatch: 16 }, undefined],
    ['a batch of 4 on DP 4 x micro-batch 2', {}, { dataParallel: 4, microBatch: 2, globalBatch: 4 }, 'global batch not divisible by data parallel x micro-batch'],
    ['EP 3 of 8 experts', { moe: { experts: 8, activeExperts: 2 } }, { dataParallel: 6, expertParallel: 3, globalBatch: 6 }, 'experts not divisible by expert parallel'],
    ['EP 2 on DP 3', { moe: { experts: 8, activeExperts: 2 } }, { dataParallel: 3, expertParallel: 2, globalBatch: 6 }, 'experts not divisible by expert parallel'],
    ['EP 2 on DP 4 of 8 experts', { moe: { experts: 8, activeExperts: 2 } }, { dataParallel: 4, expertParallel: 2 }, undefined],
    ['an odd sequence without context parallelism', { seqLen: 4097 }, {}, undefined],
    ['CP 4 on 8,196 tokens (divisible by 4, not by 8)', { seqLen: 8196 }, { contextParallel: 4 }, 'sequence not divisible by 2 x context parallel'],
    ['interleaving without a pipeline', {}, { virtualStages: 2 }, 'interleaving needs pipeline and micro-batches divisible by it'],
    ['4 stages of 3 chunks on 32 layers (32 and 34 are not multiples of 12)', {}, { pipelineParallel: 4, virtualStages: 3, globalBatch: 16 }, 'layers not divisible into equal interleaved chunks'],
    ['4 stages of 2 chunks on 30 layers: 30 + 2 = 32 slots of 4 (Llama 3)', { layers: 30 }, { pipelineParallel: 4, virtualStages: 2, globalBatch: 16 }, undefined],
    ['uneven stages without interleaving: 30 layers on 4 stages', { layers: 30 }, { pipelineParallel: 4, globalBatch: 16 }, undefined],
  ] as const)('%s', (_, archOver, over, expected) => {
    const arch: ThroughputArchitecture = { layers: 32, dModel: 4096, heads: 32, seqLen: 4096, ...archOver };
    expect(structuralReason(arch, plan(over))).toBe(expected);
  });
});

describe('memory of a plan (planMemory), by hand', () => {
  const plan = (over: Partial<Plan>): Plan => ({ tensorParallel: 1, pipelineParallel: 1, dataParallel: 8, contextParallel: 2, expertParallel: 4, microBatch: 1, globalBatch: 8, recompute: 'full', virtualStages: 1, zero: 0, ...over });
  const arch: ThroughputArchitecture = { layers: 32, dModel: 4096, heads: 32, seqLen: 4096, moe: { experts: 8, activeExperts: 2 } };
  const params = { dense: 1e9, expert: 8e9 };
  // ZeRO shards over DP x CP = 16 ranks; expert parameters over 16 / EP 4 = 4 (Rajbhandari et al. 2020 §5: P_os, P_os+g, P_os+g+p).
  // 18 bytes a parameter: bf16 weights 2, fp32 gradients 4, fp32 master and moments 12 (Megatron-Core distributed-optimizer docs).
  it.each([
    [0, 2e9 + 16e9, 4e9 + 32e9, 12e9 + 96e9],
    [1, 2e9 + 16e9, 4e9 + 32e9, 12e9 / 16 + 96e9 / 4],
    [2, 2e9 + 16e9, 4e9 / 16 + 32e9 / 4, 12e9 / 16 + 96e9 / 4],
    // ZeRO-3 also holds two layers' gathered weights: 2 x 9e9 / 32 layers x 2 bytes.
    [3, 2e9 / 16 + 16e9 / 4 + (2 * 9e9 * 2) / 32, 4e9 / 16 + 32e9 / 4, 12e9 / 16 + 96e9 / 4],
  ] as const)('ZeRO-%d: weights, gradients, optimizer state', (zero, weights, gradients, optimizer) => {
    const m = planMemory(arch, plan({ zero }), stateBytesOf(18), false, () => params);
    expect(m.weights).toBeCloseTo(weights, -1);
    expect(m.gradients).toBeCloseTo(gradients, -1);
    expect(m.optimizer).toBeCloseTo(optimizer, -1);
    expect(m.total).toBe(m.weights + m.gradients + m.optimizer + m.activations);
  });

  it('ZeRO-3 on 4 stages gathers two of the stage\'s 8 layers', () => {
    const m = planMemory(arch, plan({ zero: 3, pipelineParallel: 4, globalBatch: 32 }), stateBytesOf(18), false, () => params);
    expect(m.weights).toBeCloseTo(2e9 / 16 + 16e9 / 4 + (2 * 9e9 * 2) / 8, -1);
  });

  it.each([
    [3, false, { weights: 1, gradients: 2, optimizer: 0 }],
    [6, false, { weights: 2, gradients: 4, optimizer: 0 }],
    // Megatron-Core distributed-optimizer docs: bf16 parameters, fp32 gradients 18; fp32 parameters and gradients 16.
    [18, false, { weights: 2, gradients: 4, optimizer: 12 }],
    [16, true, { weights: 4, gradients: 4, optimizer: 8 }],
  ] as const)('stateBytesOf(%d, fp32 %s): weights and fp32 gradients first', (bytes, fp32, expected) => {
    expect(stateBytesOf(bytes, fp32)).toEqual(expected);
  });

  it('selective recomputation drops the norm outputs and the activation function\'s output of the routed copies: 2 x (2h/t + k x f/t) bytes a token (micro-batch 2, CP 2)', () => {
    const mixtral: ThroughputArchitecture = { layers: 32, dModel: 4096, heads: 32, kvHeads: 8, ffnDim: 14336, seqLen: 4096, ffnGated: true, moe: { experts: 8, activeExperts: 2 } };
    const p = plan({ tensorParallel: 2, microBatch: 2, recompute: 'selective', globalBatch: 16 });
    const ap: ActivationPlan = { seqLen: 4096, microBatch: 2, tensorParallel: 2, sequenceParallel: true, pipelineParallel: 1, virtualStages: 1, microBatches: 1, contextParallel: 2, recompute: 'selective' };
    const tokens = (4096 / 2) * 2;
    const saved = tokens * 2 * ((2 * 4096) / 2 + (2 * 14336) / 2);
    const keptAll = activationBytesPerLayer(mixtral, { ...ap, recompute: 'none', attention: 'flash' });
    expect(keptAll - activationBytesPerLayer(mixtral, ap)).toBeCloseTo(saved, 6);
    const m = planMemory(mixtral, p, stateBytesOf(18), true, () => params);
    expect(m.activations).toBe(stageActivationBytes(mixtral, { ...ap, attention: 'flash' }));
    // Three of 32 layers dense (DeepSeek style): those save the dense FFN's 14,336 instead of the routed 2 x 14,336, one shared expert adds a copy.
    const mixed = { ...mixtral, moe: { experts: 8, activeExperts: 2, sharedExperts: 1, moeFfnDim: 7168, denseLayers: 3 } };
    const mixedSaved = tokens * 2 * ((2 * 4096) / 2 + ((3 / 32) * 14336 + (29 / 32) * 7168 * 3) / 2);
    expect(activationBytesPerLayer(mixed, { ...ap, recompute: 'none', attention: 'flash' }) - activationBytesPerLayer(mixed, ap)).toBeCloseTo(mixedSaved, 6);
    expect(planMemory(mixed, p, stateBytesOf(18), true, () => params).activations).toBe(stageActivationBytes(mixed, { ...ap, attention: 'flash' }));
  });
});

describe('the quick search returns the fastest of its plans that fit, trying no interleaving and ZeRO 2 and 3 where the first choices do not fit', () => {
  // fakeModel on denseArch (6 layers, 4 heads), 8 GPUs, a batch of 8, TP 4, micro-batch 1, no CP.
  // PP 1 (DP 2): state ZeRO-1 4 + 4 + 32/4/2 = 12 GB, ZeRO-2 4 + 2 + 4 = 10, ZeRO-3 2 + 2 + 4 = 8;
  //   activations 16/4 = 4 GB selective, 1 full (no interleaving on one stage).
  // PP 2 (DP 1, ZeRO shards nothing): state 2 + 2 + 4 = 8 GB; 8 micro-batches, chunks up to 3 (6 layers):
  //   activations 4 x 1.5 = 6 GB (3 chunks) or 4 (none) selective, 1.5 or 1 full.
  // Rate 1000 + 10 log2 TP - 7 log2 PP + 3 x micro-batch - 5 if full + (ZeRO mod 2) + chunks.
  const space = (fixed: Partial<Plan> = {}): SearchSpace => ({ gpus: 8, globalBatch: 8, quick: true, fixed: { tensorParallel: 4, microBatch: 1, ...fixed }, maxContextParallel: 1, zero: [1, 2, 3] });
  it.each([
    // 10 GB usable: PP 1 fits only full + ZeRO-3 (8 + 1 = 9 GB), rate 1000 + 20 + 3 - 5 + 1 + 1 = 1020; PP 2 fits 3 chunks
    // + full + ZeRO-1 (8 + 1.5), rate 1000 + 20 - 7 + 3 - 5 + 1 + 3 = 1015. With ZeRO-1 alone it was PP 2.
    ['ZeRO-3 beats the plan ZeRO-1 allows', 10, {}, { pipelineParallel: 1, recompute: 'full', zero: 3, virtualStages: 1 }, 1020],
    // 12.5 GB usable, PP 2: 3 chunks selective need 8 + 6 = 14 GB; no interleaving selective fits (8 + 4 = 12), rate
    // 1000 + 20 - 7 + 3 + 1 + 1 = 1018, against 3 chunks + full at 1015. With only the deepest interleaving it was the latter.
    ['no interleaving (the smallest activations) beats full recomputation', 12.5, { pipelineParallel: 2 }, { pipelineParallel: 2, recompute: 'selective', zero: 1, virtualStages: 1 }, 1018],
    // 20 GB usable: every first choice fits; PP 1 selective ZeRO-1 (16 GB), rate 1000 + 20 + 3 + 1 + 1 = 1025.
    ['the first choices fit: the first choice of PP 1', 20, {}, { pipelineParallel: 1, recompute: 'selective', zero: 1, virtualStages: 1 }, 1025],
  ] as const)('%s', (_, usableGb, fixed, expected, rate) => {
    const model = fakeModel((usableGb * GB) / (1 - MEMORY_ALLOWANCE.value));
    const best = searchPlans(denseArch, model, space(fixed), 1).plans[0];
    expect(best?.plan).toMatchObject(expected);
    expect(best?.tokensPerSecondPerGpu).toBeCloseTo(rate, 9);
    expect(best?.memoryBytesPerGpu.total).toBeLessThanOrEqual(usableGb * GB * (1 + 1e-12));
  });

  it('evaluates only plans no fitting plan beats on every knob: with every first choice fitting, one plan a split', () => {
    const r = searchPlans(denseArch, fakeModel(1000 * GB), space(), 8);
    // PP 1 and PP 2, each its first choice only (PP 2: 3 chunks, selective, ZeRO-1).
    expect(r.feasible).toBe(2);
    expect(r.searched).toBe(2);
  });
});
