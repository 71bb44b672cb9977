import { UsageError } from '../errors.js';
import { computeOptimalParams, paramsForFlops, tokensForFlops, trainingFlops6nd } from './compute.js';
import { assertFinite, estimateRun, runGoodput, type RunInputs, type RunResult } from './estimate.js';
import { clusterPeakFlopsPerSecond, effectiveFlopsPerSecond, secondsToDays } from './time.js';
import { formatQuantity } from './units.js';

/** The quantities `solve` can find. */
export const SOLVE_TARGETS = ['params', 'tokens', 'gpus', 'mfu', 'days'] as const;
/** One quantity `solve` can find. */
export type SolveFor = (typeof SOLVE_TARGETS)[number];

/** Inputs of `solve`: a run with one unknown, and a time budget. */
export interface SolveInputs extends Omit<RunInputs, 'trainingFlops' | 'gpus' | 'mfu'> {
  solveFor: SolveFor;
  /** Time budget, seconds (ignored when solving for days). */
  budgetSeconds: number;
  gpus?: number | undefined;
  mfu?: number | undefined;
  params?: number | undefined;
  tokens?: number | undefined;
  /** Training compute given directly, FLOPs (instead of params and tokens). */
  trainingFlops?: number | undefined;
  /** Tokens per parameter for the compute-optimal pair when neither params nor tokens is known. */
  tokensPerParam: number;
}

/** The answer of `solve`: the solved quantity, and the whole run it implies. */
export interface SolveResult {
  solvedFor: SolveFor;
  /** The solved value, in its base unit (parameters, tokens, GPUs, fraction, days). */
  value: number;
  /** Compute the budget buys (params/tokens) or the run needs (gpus/mfu/days), FLOPs. */
  budgetFlops: number;
  params?: number;
  tokens?: number;
  gpus: number;
  mfu: number;
  /** The solved value if nothing ever failed (equal to `value` without a failure model). */
  failureFreeValue: number;
  /** True when params and tokens were both solved as the compute-optimal pair. */
  computeOptimal: boolean;
  /** False when the answer cannot be realised (an MFU above 1). */
  feasible: boolean;
  run: RunResult;
}

/** Upper bound on a solved GPU count (beyond any cluster that exists). */
const MAX_GPUS = 1e9;

/** What the user fixed, for choosing the unknown. */
export interface GivenQuantities {
  params: boolean;
  tokens: boolean;
  flops: boolean;
  /** A GPU count was asked for (--gpus or --cluster); when false and the compute is fixed, the count is the unknown. */
  gpus?: boolean;
}

/**
 * Returns the default unknown: when the compute is fixed (FLOPs given, or params and tokens), `gpus`
 * if no GPU count was asked for (`gpus: false`), else `mfu`; `tokens` when only params is given,
 * otherwise `params` (compute-optimal when tokens are unknown too).
 */
export function defaultSolveFor(given: GivenQuantities): SolveFor {
  if (given.flops || (given.params && given.tokens)) return given.gpus === false ? 'gpus' : 'mfu';
  if (given.params) return 'tokens';
  return 'params';
}

/** Returns the run's compute in FLOPs when it is fixed (FLOPs, or params and tokens), else undefined. */
function fixedFlops(inputs: SolveInputs): number | undefined {
  if (inputs.trainingFlops !== undefined) return inputs.trainingFlops;
  if (inputs.params !== undefined && inputs.tokens !== undefined) return trainingFlops6nd(inputs.params, inputs.tokens);
  return undefined;
}

function need<T>(value: T | undefined, what: string, solveFor: SolveFor): T {
  if (value === undefined) throw new UsageError(`solve --for ${solveFor}: needs ${what}`);
  return value;
}

/**
 * Solves the training-run equations for one unknown under a time budget.
 * @example solveRun({ solveFor: 'params', budgetSeconds: 100 * 86400, tokens: 15e12, gpus: 1e5, mfu: 1, gpuPeakFlopsPerSecond: 1979e12, ... }).value // ≈ 1.9e13
 */
export function solveRun(inputs: SolveInputs): SolveResult {
  const solved = solveWithGoodput(inputs);
  const failureFreeValue = inputs.failures ? solveWithGoodput({ ...inputs, failures: undefined }).value : solved.value;
  return { ...solved, failureFreeValue };
}

/**
 * Returns x with step(x) = x, for a non-increasing `step` (a bigger model writes bigger checkpoints,
 * so goodput and with it the params the budget buys fall as x grows), where start = step(0+).
 * The root lies in [step(start), start]; bisection finds it to double precision. (Plain iteration
 * x ← step(x) oscillates and, when failures dominate, does not settle within any fixed count.)
 */
export function fixedPoint(start: number, step: (x: number) => number): number {
  let lo = step(start);
  let hi = start;
  if (!(lo < hi)) return lo; // step does not depend on x (or a NaN, which the caller reports)
  for (let i = 0; i < 2_000; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (step(mid) > mid) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}

function solveWithGoodput(inputs: SolveInputs): Omit<SolveResult, 'failureFreeValue'> {
  const { solveFor } = inputs;
  const runWith = (trainingFlops: number, gpus: number, mfu: number, params = inputs.params): RunResult =>
    estimateRun({ ...inputs, trainingFlops, gpus, mfu, params });
  const goodput = (gpus: number, params: number | undefined): number => runGoodput({ failures: inputs.failures, gpus, params });
  // The steady-state MFU solved for or given; the run's losses beyond failures scale it (estimateRun does the same).
  const utilization = inputs.runUtilization ?? 1;

  if (solveFor === 'params' || solveFor === 'tokens') {
    const gpus = need(inputs.gpus, '--gpus or a cluster', solveFor);
    const mfu = need(inputs.mfu, '--mfu', solveFor);
    if (inputs.trainingFlops !== undefined) {
      throw new UsageError(`solve --for ${solveFor}: --flops fixes the compute; leave it out to solve for ${solveFor}`);
    }
    const peak = clusterPeakFlopsPerSecond(gpus, inputs.gpuPeakFlopsPerSecond);
    // Compute the budget buys when a fraction `g` of wall-clock is useful training.
    const flopsAt = (g: number): number => effectiveFlopsPerSecond(peak, mfu * utilization) * inputs.budgetSeconds * g;
    let params: number;
    let tokens: number;
    let computeOptimal = false;
    if (solveFor === 'params') {
      const fixedTokens = inputs.tokens;
      computeOptimal = fixedTokens === undefined;
      // Bigger models write bigger checkpoints, so goodput depends on the unknown: iterate.
      const paramsAt = (g: number): number =>
        fixedTokens !== undefined ? paramsForFlops(flopsAt(g), fixedTokens) : computeOptimalParams(flopsAt(g), inputs.tokensPerParam);
      params = fixedPoint(paramsAt(1), (n) => paramsAt(goodput(gpus, n)));
      tokens = fixedTokens ?? params * inputs.tokensPerParam;
    } else {
      params = need(inputs.params, '--params or a --model', solveFor);
      tokens = tokensForFlops(flopsAt(goodput(gpus, params)), params);
    }
    // Name the solve's own inputs when the unknown overflows (e.g. tokens for 1e-300 params).
    assertFinite({ [solveFor]: solveFor === 'params' ? params : tokens }, inputs);
    const budgetFlops = trainingFlops6nd(params, tokens);
    const run = runWith(budgetFlops, gpus, mfu, params);
    return {
      solvedFor: solveFor,
      value: solveFor === 'params' ? params : tokens,
      budgetFlops,
      params,
      tokens,
      gpus,
      mfu,
      computeOptimal,
      feasible: true,
      run,
    };
  }

  const flops = need(fixedFlops(inputs), '--flops, or params and tokens (flags or --model)', solveFor);
  const shared = { budgetFlops: flops, params: inputs.params, tokens: inputs.tokens, computeOptimal: false };
  const defined = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

  if (solveFor === 'gpus') {
    const mfu = need(inputs.mfu, '--mfu', solveFor);
    const perGpu = effectiveFlopsPerSecond(inputs.gpuPeakFlopsPerSecond, mfu * utilization) * inputs.budgetSeconds;
    // A GPU count is whole; round up so the run fits the budget. More GPUs fail more often, so
    // iterate; when failures grow faster than throughput no count meets the deadline.
    const gpusAt = (g: number): number => Math.max(1, Math.ceil(flops / (perGpu * g) - 1e-9));
    let gpus = gpusAt(1);
    for (let i = 0; i < 1000 && gpus < MAX_GPUS; i++) {
      const next = gpusAt(goodput(gpus, inputs.params));
      if (next <= gpus) break;
      gpus = next;
    }
    const feasible = gpus < MAX_GPUS && runWith(flops, gpus, mfu).wallClockSeconds <= inputs.budgetSeconds * (1 + 1e-9);
    if (!feasible) {
      const days = formatQuantity(inputs.budgetSeconds / 86_400);
      // Without a failure model the only way to miss is a count beyond MAX_GPUS (or an overflow).
      if (!inputs.failures) {
        throw new UsageError(`solve --for gpus: meeting ${days} days would take more than ${formatQuantity(MAX_GPUS)} GPUs (give more --days or a higher --mfu)`);
      }
      throw new UsageError(
        `solve --for gpus: no GPU count meets ${days} days: with more GPUs, failures cost more than the GPUs add (give more --days, faster --restart-minutes or --checkpoint-seconds)`,
      );
    }
    return defined({ solvedFor: solveFor, value: gpus, ...shared, gpus, mfu, feasible, run: runWith(flops, gpus, mfu) });
  }
  if (solveFor === 'mfu') {
    const gpus = need(inputs.gpus, '--gpus or a cluster', solveFor);
    const peak = clusterPeakFlopsPerSecond(gpus, inputs.gpuPeakFlopsPerSecond);
    const mfu = flops / (peak * inputs.budgetSeconds * goodput(gpus, inputs.params) * utilization);
    return defined({ solvedFor: solveFor, value: mfu, ...shared, gpus, mfu, feasible: mfu <= 1, run: runWith(flops, gpus, mfu) });
  }
  const gpus = need(inputs.gpus, '--gpus or a cluster', solveFor);
  const mfu = need(inputs.mfu, '--mfu', solveFor);
  const run = runWith(flops, gpus, mfu);
  return defined({ solvedFor: solveFor, value: secondsToDays(run.wallClockSeconds), ...shared, gpus, mfu, feasible: true, run });
}
