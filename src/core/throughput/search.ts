// The plan search: enumerate every plan of a space, reject those that cannot run or do not fit,
// evaluate the rest and keep the best N (a bounded list: nothing grows with the space).
import type { ThroughputArchitecture } from './block.js';
import { MEMORY_ALLOWANCE, MIN_CONTEXT_TOKENS } from './constants.js';
import { MEMORY_REASON, structuralReason, type Plan, type Recompute, type ZeroStage } from './plan.js';
import { splitsIntoChunks } from './stages.js';
import type { MemoryBreakdown } from './memory.js';
import type { Evaluation } from './step.js';

/** The knobs a search may vary; a knob given in `fixed` takes only that value. */
export interface SearchSpace {
  /** GPUs of the run: TP x PP x DP x CP must equal it. */
  gpus: number;
  /** Sequences per optimizer step. */
  globalBatch: number;
  fixed?: Partial<Plan> | undefined;
  /** Largest tensor-parallel degree tried (default: the heads; beyond the scale-up domain it runs over the network). */
  maxTensorParallel?: number | undefined;
  /** Pipeline depths tried (default: every divisor that leaves a layer per stage). */
  pipelineChoices?: readonly number[] | undefined;
  /** Smallest tensor-parallel degree tried (default 1). */
  minTensorParallel?: number | undefined;
  /** Largest micro-batch tried (default 64 sequences). */
  maxMicroBatch?: number | undefined;
  /** Largest context-parallel degree tried (default 32; below MIN_CONTEXT_TOKENS per rank plans are rejected unless CP is fixed). */
  maxContextParallel?: number | undefined;
  /** Largest interleaving tried (default 16). */
  maxVirtualStages?: number | undefined;
  /**
   * A quick search: per split (TP, CP, PP, EP, micro-batch) only the deepest interleaving the layers
   * allow and none, the recompute modes and ZeRO stages in the order given; of these it evaluates
   * only the plans that fit with no fitting plan preferred on every knob (typically one), so that it
   * returns the fastest of them that fits whenever one does.
   */
  quick?: boolean | undefined;
  /** Recompute modes tried (default selective and full: without stored scores, none is selective). */
  recompute?: readonly Recompute[] | undefined;
  /**
   * ZeRO stages tried (default 0 to 3). Where DP x CP is 1 there is nothing to shard over: the stages
   * are one plan, tried once, as the first stage of the list (or the one fixed).
   */
  zero?: readonly ZeroStage[] | undefined;
}

/** What a search found: counts, the best plans that fit, and the closest miss when none does. */
export interface SearchResult {
  /** Plans considered (feasible + every rejected one), each once: ZeRO stages with nothing to shard over are one plan. */
  searched: number;
  feasible: number;
  /** Rejected plans by reason. */
  rejected: Record<string, number>;
  /** The best feasible plans, fastest first (tokens/s per GPU), at most `top`. */
  plans: Evaluation[];
  /** Of the plans that run but do not fit, the one needing the least extra memory, and how much (bytes). */
  closestMiss?: { plan: Plan; shortfallBytes: number } | undefined;
}

/** Why the search skips a context-parallel degree it was not told to use. */
export const SHORT_CONTEXT_REASON = 'context parallel below 8,192 tokens per rank';

/** Returns the divisors of n in increasing order. */
export function divisors(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 1; i * i <= n; i++) {
    if (n % i !== 0) continue;
    small.push(i);
    if (i * i !== n) large.unshift(n / i);
  }
  return [...small, ...large];
}

/** The model a search needs: the memory check first (cheap), the step time only for plans that fit. */
export interface SearchModel {
  memory: (plan: Plan) => MemoryBreakdown;
  evaluate: (plan: Plan, memory?: MemoryBreakdown) => Evaluation;
  memoryBytes: number;
  scaleUpDomainGpus: number;
}

/**
 * Searches every plan of `space` for `arch` and returns the `top` fastest that fit (tokens/s per GPU),
 * with counts of the rejected ones by reason. Plans are built one at a time and dropped unless they
 * enter the top list.
 */
export function searchPlans(arch: ThroughputArchitecture, model: SearchModel, space: SearchSpace, top: number): SearchResult {
  const fixed = space.fixed ?? {};
  const G = space.gpus;
  const B = space.globalBatch;
  const usable = model.memoryBytes * (1 - MEMORY_ALLOWANCE.value);
  const choose = (key: keyof Plan, values: number[]): number[] => {
    const f = fixed[key];
    return f === undefined ? values : values.includes(f as number) ? [f as number] : [];
  };
  const rejected: Record<string, number> = {};
  const reject = (reason: string, count = 1): void => {
    rejected[reason] = (rejected[reason] ?? 0) + count;
  };
  const plans: Evaluation[] = [];
  let searched = 0;
  let feasible = 0;
  let closestMiss: SearchResult['closestMiss'];
  const maxT = space.maxTensorParallel ?? arch.heads;
  const recomputes = fixed.recompute !== undefined ? [fixed.recompute] : (space.recompute ?? ['selective', 'full']);
  const allZeros = fixed.zero !== undefined ? [fixed.zero] : (space.zero ?? [0, 1, 2, 3]);
  // ZeRO shards over the data- and context-parallel ranks (DP x CP): with one, every stage is the same plan.
  const oneZero = allZeros.slice(0, 1);
  const maxC = space.maxContextParallel ?? 32;
  const maxV = space.maxVirtualStages ?? 16;
  const virtualStages = Array.from({ length: maxV }, (_, i) => i + 1);
  for (const t of choose('tensorParallel', divisors(G).filter((x) => x <= maxT && x >= (space.minTensorParallel ?? 1)))) {
    for (const c of choose('contextParallel', divisors(G / t).filter((x) => x <= maxC))) {
      const shortContext = fixed.contextParallel === undefined && c > 1 && arch.seqLen / c < MIN_CONTEXT_TOKENS.value;
      for (const p of choose('pipelineParallel', divisors(G / (t * c)).filter((x) => x <= arch.layers && (!space.pipelineChoices || space.pipelineChoices.includes(x))))) {
        const d = G / (t * c * p);
        if (fixed.dataParallel !== undefined && fixed.dataParallel !== d) continue;
        const zeros = d * c === 1 ? oneZero : allZeros;
        const perPlan = recomputes.length * zeros.length;
        const experts = arch.moe ? divisors(d).filter((e) => arch.moe !== undefined && arch.moe.experts % e === 0) : [1];
        for (const e of choose('expertParallel', experts)) {
          const microBatchCandidates = B % d === 0 ? divisors(B / d).filter((b) => b <= (space.maxMicroBatch ?? 64)) : [];
          const bs = choose('microBatch', microBatchCandidates);
          if (bs.length === 0) {
            searched += perPlan;
            reject('global batch not divisible by data parallel x micro-batch', perPlan);
            continue;
          }
          for (const b of bs) {
            const m = B / (d * b);
            let vs = choose('virtualStages', p === 1 ? [1] : virtualStages.filter((v) => v === 1 || (m % p === 0 && splitsIntoChunks(arch.layers, p, v))));
            // A quick search: the deepest interleaving (the smallest bubble), then none (the smallest activation factor, 1).
            if (space.quick && vs.length > 1) vs = [vs[vs.length - 1] ?? 1, 1];
            // The quick search's knobs in order of preference (interleaving, recompute, ZeRO): a candidate
            // is skipped when one preferred on every knob fits, or its ZeRO stage's model state alone overflows.
            const fitting: Array<[number, number, number]> = [];
            const overflows = new Set<ZeroStage>();
            for (const [vi, v] of vs.entries()) {
              for (const [ri, recompute] of recomputes.entries()) {
                for (const [zi, zero] of zeros.entries()) {
                  if (space.quick && (overflows.has(zero) || fitting.some(([fv, fr, fz]) => fv <= vi && fr <= ri && fz <= zi))) continue;
                  searched++;
                  const plan: Plan = {
                    tensorParallel: t,
                    pipelineParallel: p,
                    dataParallel: d,
                    contextParallel: c,
                    expertParallel: e,
                    microBatch: b,
                    globalBatch: B,
                    recompute,
                    virtualStages: v,
                    zero,
                  };
                  const reason = shortContext ? SHORT_CONTEXT_REASON : structuralReason(arch, plan);
                  if (reason) {
                    reject(reason);
                    continue;
                  }
                  const memory = model.memory(plan);
                  const need = memory.total;
                  if (need > usable) {
                    reject(MEMORY_REASON);
                    const shortfallBytes = need - usable;
                    if (!closestMiss || shortfallBytes < closestMiss.shortfallBytes) closestMiss = { plan, shortfallBytes };
                    // Recomputing or interleaving otherwise cannot help a state that overflows alone.
                    if (memory.weights + memory.gradients + memory.optimizer > usable) overflows.add(zero);
                    continue;
                  }
                  feasible++;
                  insertTop(plans, model.evaluate(plan, memory), top);
                  fitting.push([vi, ri, zi]);
                }
              }
            }
          }
        }
      }
    }
  }
  return { searched, feasible, rejected, plans, closestMiss };
}

/** Inserts `candidate` into `plans` (fastest first), keeping at most `top`. */
function insertTop(plans: Evaluation[], candidate: Evaluation, top: number): void {
  if (top <= 0) return;
  const rate = candidate.tokensPerSecondPerGpu;
  if (plans.length === top && rate <= (plans[top - 1]?.tokensPerSecondPerGpu ?? 0)) return;
  let i = plans.length;
  while (i > 0 && (plans[i - 1]?.tokensPerSecondPerGpu ?? 0) < rate) i--;
  plans.splice(i, 0, candidate);
  if (plans.length > top) plans.pop();
}

/** How a global batch meets a GPU count under the plan rules (see batchOccupancy). */
export interface BatchOccupancy {
  /** Some plan of the GPUs splits the batch: its data-parallel degree divides it (micro-batch 1 or more). */
  splits: boolean;
  /** The smallest data-parallel degree any split of the GPUs allows, or undefined when none runs. */
  smallestDataParallel: number | undefined;
  /** The largest TP x CP inside the scale-up domain (the ranks that share one sequence). */
  sequenceRanks: number;
  /**
   * The most of the GPU-time a plan can compute, at most 1: batch x sequenceRanks / GPUs (see
   * batchOccupancy); below 1 the batch cannot occupy the GPUs.
   */
  busyFractionBound: number;
}

/**
 * Returns how `batch` sequences meet `gpus` GPUs for `arch` under the search's rules (TP a divisor of
 * the heads and of the GPUs, PP at most the layers, CP at most 32 with 8,192 tokens a rank unless
 * fixed and 2·CP dividing the sequence; the knobs in `fixed` as given). Every data-parallel rank
 * needs a whole number of sequences a step, so a plan's DP must divide the batch (micro-batch 1 at
 * least). With at most s = TP x CP ranks on a sequence (TP inside the scale-up domain), DP x PP is at
 * least GPUs / s; at micro-batch 1 a pipeline gets m = batch / DP micro-batches, and 1F1B computes
 * m / (m + PP - 1) of the time, at most batch x s / GPUs (interleaving needs m >= PP, which fails
 * exactly there).
 */
export function batchOccupancy(arch: ThroughputArchitecture, gpus: number, batch: number, fixed: Partial<Plan> = {}, scaleUpDomainGpus = Infinity): BatchOccupancy {
  const pick = (key: keyof Plan, values: number[]): number[] => {
    const f = fixed[key];
    return f === undefined ? values : values.filter((x) => x === f);
  };
  const contextOk = (c: number): boolean =>
    c <= 32 && (c === 1 || (arch.seqLen % (2 * c) === 0 && (fixed.contextParallel !== undefined || arch.seqLen / c >= MIN_CONTEXT_TOKENS.value)));
  let splits = false;
  let smallest: number | undefined;
  let sequenceRanks = 1;
  for (const t of pick('tensorParallel', divisors(gpus).filter((x) => x <= arch.heads && arch.heads % x === 0))) {
    for (const c of pick('contextParallel', divisors(gpus / t).filter(contextOk))) {
      if (t <= scaleUpDomainGpus || fixed.tensorParallel !== undefined) sequenceRanks = Math.max(sequenceRanks, t * c);
      for (const p of pick('pipelineParallel', divisors(gpus / (t * c)).filter((x) => x <= arch.layers))) {
        const d = gpus / (t * c * p);
        if (fixed.dataParallel !== undefined && d !== fixed.dataParallel) continue;
        if (smallest === undefined || d < smallest) smallest = d;
        if (batch % d === 0) splits = true;
      }
    }
  }
  return { splits, smallestDataParallel: smallest, sequenceRanks, busyFractionBound: Math.min(1, (batch * sequenceRanks) / gpus) };
}
