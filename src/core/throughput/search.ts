// The plan search: enumerate every plan of a space, reject those that cannot run or do not fit,
// evaluate the rest and keep the best N (a bounded list: nothing grows with the space).
import type { ThroughputArchitecture } from './block.js';
import { MEMORY_ALLOWANCE } from './constants.js';
import { MEMORY_REASON, structuralReason, type Plan, type Recompute, type ZeroStage } from './plan.js';
import type { Evaluation } from './step.js';

/** The knobs a search may vary; a knob given in `fixed` takes only that value. */
export interface SearchSpace {
  /** GPUs of the run: TP x PP x DP x CP must equal it. */
  gpus: number;
  /** Sequences per optimizer step. */
  globalBatch: number;
  fixed?: Partial<Plan> | undefined;
  /** Largest tensor-parallel degree tried (default: 2 x the scale-up domain). */
  maxTensorParallel?: number | undefined;
  /** Largest micro-batch tried (default 16 sequences). */
  maxMicroBatch?: number | undefined;
  /** Largest context-parallel degree tried (default: none below 2,048 tokens per rank). */
  maxContextParallel?: number | undefined;
  /** Largest interleaving tried (default 8). */
  maxVirtualStages?: number | undefined;
  /** Recompute modes tried (default selective and full: without stored scores, none is selective). */
  recompute?: readonly Recompute[] | undefined;
  /** ZeRO stages tried (default 0 to 3). */
  zero?: readonly ZeroStage[] | undefined;
}

/** What a search found: counts, the best plans that fit, and the closest miss when none does. */
export interface SearchResult {
  /** Plans considered (feasible + every rejected one). */
  searched: number;
  feasible: number;
  /** Rejected plans by reason. */
  rejected: Record<string, number>;
  /** The best feasible plans, fastest first (tokens/s per GPU), at most `top`. */
  plans: Evaluation[];
  /** Of the plans that run but do not fit, the one needing the least extra memory, and how much (bytes). */
  closestMiss?: { plan: Plan; shortfallBytes: number } | undefined;
}

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
  memoryTotal: (plan: Plan) => number;
  evaluate: (plan: Plan) => Evaluation;
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
  const maxT = space.maxTensorParallel ?? 2 * model.scaleUpDomainGpus;
  const recomputes = fixed.recompute !== undefined ? [fixed.recompute] : (space.recompute ?? ['selective', 'full']);
  const zeros = fixed.zero !== undefined ? [fixed.zero] : (space.zero ?? [0, 1, 2, 3]);
  const perPlan = recomputes.length * zeros.length;
  const maxC = space.maxContextParallel ?? Math.max(1, Math.floor(arch.seqLen / 2048));
  const maxV = space.maxVirtualStages ?? 8;
  for (const t of choose('tensorParallel', divisors(G).filter((x) => x <= maxT))) {
    for (const c of choose('contextParallel', divisors(G / t).filter((x) => x <= maxC))) {
      for (const p of choose('pipelineParallel', divisors(G / (t * c)).filter((x) => x <= arch.layers))) {
        const d = G / (t * c * p);
        if (fixed.dataParallel !== undefined && fixed.dataParallel !== d) continue;
        const experts = arch.moe ? divisors(d).filter((e) => arch.moe !== undefined && arch.moe.experts % e === 0) : [1];
        for (const e of choose('expertParallel', experts)) {
          const microBatchCandidates = B % d === 0 ? divisors(B / d).filter((b) => b <= (space.maxMicroBatch ?? 16)) : [];
          const bs = choose('microBatch', microBatchCandidates);
          if (bs.length === 0) {
            searched += perPlan;
            reject('global batch not divisible by data parallel x micro-batch', perPlan);
            continue;
          }
          for (const b of bs) {
            const m = B / (d * b);
            const vs = choose('virtualStages', p === 1 ? [1] : [1, 2, 3, 4, 6, 8].filter((v) => v <= maxV && (v === 1 || m % p === 0)));
            for (const v of vs) {
              for (const recompute of recomputes) {
                for (const zero of zeros) {
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
                  const reason = structuralReason(arch, plan);
                  if (reason) {
                    reject(reason);
                    continue;
                  }
                  const need = model.memoryTotal(plan);
                  if (need > usable) {
                    reject(MEMORY_REASON);
                    const shortfallBytes = need - usable;
                    if (!closestMiss || shortfallBytes < closestMiss.shortfallBytes) closestMiss = { plan, shortfallBytes };
                    continue;
                  }
                  feasible++;
                  insertTop(plans, model.evaluate(plan), top);
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
