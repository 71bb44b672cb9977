/** One published run, reduced to what MFU calibration needs (base units). */
export interface RunObservation {
  name: string;
  /** Accelerator family (e.g. "hopper"); runs on one family calibrate its default MFU. */
  family: string;
  /** Training compute by the default FLOP method, FLOPs. */
  trainingFlops: number;
  /** Dense peak of one accelerator at the reference precision (bf16, or fp16 without it), FLOP/s. */
  referencePeakFlopsPerSecond: number;
  /** Reported accelerator-hours. */
  gpuHours: number;
  /** Predicted goodput of the run (1 when the GPU count is unknown). */
  goodput: number;
}

/** A default MFU with its range and the runs it came from. */
export interface MfuDefault {
  /** Fraction of the reference-precision peak achieved while training. */
  mfu: number;
  low: number;
  high: number;
  /** Runs it was derived from. */
  runs: string[];
  /** "family" when runs on the accelerator's family exist, else "all" runs. */
  basis: 'family' | 'all';
}

/** High/low ratio of every stated MFU range (the bound). */
export const RANGE_RATIO = 2;

/**
 * Returns the MFU a run achieved while training (failures taken out): FLOPs / (peak × GPU-seconds × goodput).
 * @example impliedMfu({ trainingFlops: 3.79e25, referencePeakFlopsPerSecond: 989.4e12, gpuHours: 30.84e6, goodput: 0.925, ... }) // ≈ 0.373
 */
export function impliedMfu(run: RunObservation): number {
  return run.trainingFlops / (run.referencePeakFlopsPerSecond * run.gpuHours * 3600 * run.goodput);
}

/** Returns the median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Returns the default MFU for an accelerator family: the median implied MFU of the published runs
 * on that family (all runs when there are none), with a range of ratio RANGE_RATIO around it
 * (geometric, capped at 1). `exclude` leaves one run out, for honest backtests.
 */
export function mfuDefault(runs: readonly RunObservation[], family: string, exclude?: string): MfuDefault | undefined {
  const pool = runs.filter((r) => r.name !== exclude);
  const onFamily = pool.filter((r) => r.family === family);
  const used = onFamily.length > 0 ? onFamily : pool;
  if (used.length === 0) return undefined;
  const mfu = Math.min(median(used.map(impliedMfu)), 1);
  const half = Math.sqrt(RANGE_RATIO);
  const high = Math.min(mfu * half, 1);
  return { mfu, low: high / RANGE_RATIO, high, runs: used.map((r) => r.name), basis: onFamily.length > 0 ? 'family' : 'all' };
}
