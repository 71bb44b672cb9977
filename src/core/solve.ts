import { UsageError } from '../errors.js';
import { computeOptimalParams, paramsForFlops, tokensForFlops, trainingFlops6nd } from './compute.js';
import { estimateRun, type RunInputs, type RunResult } from './estimate.js';
import { clusterPeakFlopsPerSecond, effectiveFlopsPerSecond, secondsToDays } from './time.js';

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
  /** True when params and tokens were both solved as the compute-optimal pair. */
  computeOptimal: boolean;
  /** False when the answer cannot be realised (an MFU above 1). */
  feasible: boolean;
  run: RunResult;
}

/** What the user fixed, for choosing the unknown. */
export interface GivenQuantities {
  params: boolean;
  tokens: boolean;
  flops: boolean;
}

/**
 * Returns the default unknown: `mfu` when the compute is fixed (FLOPs given, or params and tokens),
 * `tokens` when only params is given, otherwise `params` (compute-optimal when tokens are unknown too).
 */
export function defaultSolveFor(given: GivenQuantities): SolveFor {
  if (given.flops || (given.params && given.tokens)) return 'mfu';
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
  const { solveFor } = inputs;
  const runWith = (trainingFlops: number, gpus: number, mfu: number): RunResult =>
    estimateRun({ ...inputs, trainingFlops, gpus, mfu });

  if (solveFor === 'params' || solveFor === 'tokens') {
    const gpus = need(inputs.gpus, '--gpus or a cluster', solveFor);
    const mfu = need(inputs.mfu, '--mfu', solveFor);
    if (inputs.trainingFlops !== undefined) {
      throw new UsageError(`solve --for ${solveFor}: --flops fixes the compute; leave it out to solve for ${solveFor}`);
    }
    const peak = clusterPeakFlopsPerSecond(gpus, inputs.gpuPeakFlopsPerSecond);
    const budgetFlops = effectiveFlopsPerSecond(peak, mfu) * inputs.budgetSeconds;
    let params: number;
    let tokens: number;
    let computeOptimal = false;
    if (solveFor === 'params') {
      if (inputs.tokens !== undefined) {
        tokens = inputs.tokens;
        params = paramsForFlops(budgetFlops, tokens);
      } else {
        params = computeOptimalParams(budgetFlops, inputs.tokensPerParam);
        tokens = params * inputs.tokensPerParam;
        computeOptimal = true;
      }
    } else {
      params = need(inputs.params, '--params or a --model', solveFor);
      tokens = tokensForFlops(budgetFlops, params);
    }
    const run = runWith(budgetFlops, gpus, mfu);
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
    const perGpu = effectiveFlopsPerSecond(inputs.gpuPeakFlopsPerSecond, mfu) * inputs.budgetSeconds;
    // A GPU count is whole; round up so the run fits the budget.
    const gpus = Math.max(1, Math.ceil(flops / perGpu - 1e-9));
    return defined({ solvedFor: solveFor, value: gpus, ...shared, gpus, mfu, feasible: true, run: runWith(flops, gpus, mfu) });
  }
  if (solveFor === 'mfu') {
    const gpus = need(inputs.gpus, '--gpus or a cluster', solveFor);
    const peak = clusterPeakFlopsPerSecond(gpus, inputs.gpuPeakFlopsPerSecond);
    const mfu = flops / (peak * inputs.budgetSeconds);
    return defined({ solvedFor: solveFor, value: mfu, ...shared, gpus, mfu, feasible: mfu <= 1, run: runWith(flops, gpus, mfu) });
  }
  const gpus = need(inputs.gpus, '--gpus or a cluster', solveFor);
  const mfu = need(inputs.mfu, '--mfu', solveFor);
  const run = runWith(flops, gpus, mfu);
  return defined({ solvedFor: solveFor, value: secondsToDays(run.wallClockSeconds), ...shared, gpus, mfu, feasible: true, run });
}
