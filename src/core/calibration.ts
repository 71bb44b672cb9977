// Run-level accuracy (issue 11): the GPU-hours of a whole run are
//   training FLOPs / (GPUs x dense peak x steady-state MFU x goodput x run utilization),
// with the steady-state MFU of the precision that ran the matrix multiplies, goodput from the
// failure model, and run utilization (evaluation, stragglers, idle allocation, restarts after
// divergence) a prior fitted on the published runs that report both their steady-state throughput
// and their hours. Everything fitted here is a median or a percentile over published runs, and each
// fit takes the runs to leave out, so that the backtest can be honestly leave-one-out.

/** A number with where it comes from. */
export interface SourcedConstant {
  value: number;
  source: string;
}

/**
 * End-to-end speedup of FP8 over BF16 pre-training on H100: what a run gains when its matrix
 * multiplies run at twice the peak (the rest of the step does not speed up).
 */
export const FP8_SPEEDUP: SourcedConstant = {
  value: 1.37,
  source:
    'PyTorch torchao, torchao/float8/README.md (torchtitan benchmarks): end-to-end pre-training speedups of FP8 (tensorwise scaling) over BF16 of 1.25x (Llama 3 8B, 8 H100) and up to 1.5x (405B, 512 H100); 1.37 is their geometric mean',
};

/**
 * Share of a 16-bit training step's time that runs at the matrix-multiply peak, from FP8_SPEEDUP
 * (Amdahl: 1 / ((1 - f) + f / 2) = 1.37 gives f = 0.54; consistent with ~40 % MFU at ~80 % of peak
 * for large GEMMs). It sets how MFU moves with the precision's peak (precisionFactor).
 */
export const MATMUL_TIME_SHARE = 2 * (1 - 1 / FP8_SPEEDUP.value);

/** Mixture-of-experts MFU over that of dense models on the same system and software (expert all-to-all, small expert GEMMs). */
export const MOE_MFU_FACTOR: SourcedConstant = {
  value: 0.87,
  source:
    'NVIDIA NeMo Framework performance summary (docs.nvidia.com/nemo-framework, "Performance Summary for Large Language Models", NeMo 25.02 on DGX-B200 and 25.04 on DGX-GB200, FP8): Mixtral-8x7B at 1,282 and 1,598 model TFLOP/s per GPU against medians of 1,474 and 1,840 for the dense models of the same tables (Llama 3 8B/70B/405B, Nemotron 15B/340B, GPT-3 175B): 0.870 and 0.868',
};

/** Coverage of the stated range: the 10th to the 90th percentile. */
export const RANGE_COVERAGE = 0.8;

/**
 * Returns how the MFU of a run at a precision whose dense peak is `peakFlopsPerSecond` compares
 * with the MFU of the same run at 16 bits (`sixteenBitPeakFlopsPerSecond`): only the matrix
 * multiplies (MATMUL_TIME_SHARE of the step) run at the new peak, so MFU, a fraction of that peak,
 * falls when the peak rises. 1 at 16 bits.
 * @example precisionFactor(1978.9e12, 989.4e12) // 0.685: FP8 on H100 runs 1.37x faster, at 0.685 of the BF16 MFU
 */
export function precisionFactor(peakFlopsPerSecond: number, sixteenBitPeakFlopsPerSecond: number): number {
  const ratio = peakFlopsPerSecond / sixteenBitPeakFlopsPerSecond;
  return 1 / (ratio * (1 - MATMUL_TIME_SHARE) + MATMUL_TIME_SHARE);
}

/** One published run, reduced to what run-level calibration needs (base units). */
export interface RunObservation {
  name: string;
  /** Accelerator family (e.g. "hopper"); runs on one family calibrate its published MFU. */
  family: string;
  /** Training compute by the default FLOP method, FLOPs. */
  trainingFlops: number;
  /** Dense peak of one accelerator at the precision that ran the matrix multiplies, FLOP/s. */
  peakFlopsPerSecond: number;
  /** Dense 16-bit (bf16, else fp16) peak of the accelerator, FLOP/s: what the constant-MFU baselines are applied to. */
  sixteenBitPeakFlopsPerSecond: number;
  /** The run's MFU over that of a dense 16-bit run on the same family: precisionFactor x (MOE_MFU_FACTOR for mixture of experts). */
  structure: number;
  /** Mixture of experts (active parameters fewer than total). */
  moe: boolean;
  /** Reported accelerator-hours. */
  gpuHours: number;
  /** Predicted goodput of the run (1 when the GPU count is unknown). */
  goodput: number;
  /** Published steady-state MFU, counted as trainingFlops and against peakFlopsPerSecond, when the run publishes a throughput. */
  steadyStateMfu?: number | undefined;
}

/**
 * Returns the MFU a run's hours imply with failures taken out, steady-state MFU x run utilization:
 * FLOPs / (peak x GPU-seconds x goodput).
 * @example runMfu({ trainingFlops: 3.79e25, peakFlopsPerSecond: 989.4e12, gpuHours: 30.84e6, goodput: 0.925, ... }) // ≈ 0.373
 */
export function runMfu(run: RunObservation): number {
  return run.trainingFlops / (run.peakFlopsPerSecond * run.gpuHours * 3600 * run.goodput);
}

/** Returns the accelerator-hours of a run at a run MFU (steady-state MFU x utilization) and its goodput. */
export function hoursAt(run: RunObservation, mfu: number): number {
  return run.trainingFlops / (run.peakFlopsPerSecond * mfu * 3600 * run.goodput);
}

/** Returns the median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Returns the p-quantile (0..1) of a non-empty list, interpolated linearly between order statistics
 * (Hyndman and Fan's type 7, the default of R and NumPy).
 * @example quantile([1, 2, 3, 4, 5], 0.1) // 1.4
 */
export function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** A fitted run MFU: the median over published runs of their MFU as a dense 16-bit run. */
export interface RunMfuFit {
  /** Median run MFU (steady state x utilization, failures out) of a dense 16-bit run. */
  mfu16: number;
  /** Runs it was fitted on. */
  runs: string[];
  /** "family" when runs on the accelerator's family exist, else "all" runs. */
  basis: 'family' | 'all';
}

/**
 * Returns the run MFU that the published runs on `family` (all runs when it has none) reached as
 * dense 16-bit runs: the median of runMfu / structure, leaving out the runs in `exclude`.
 */
export function fitRunMfu(runs: readonly RunObservation[], family: string, exclude: ReadonlySet<string> = new Set()): RunMfuFit | undefined {
  const pool = runs.filter((r) => !exclude.has(r.name));
  const onFamily = pool.filter((r) => r.family === family);
  const used = onFamily.length > 0 ? onFamily : pool;
  if (used.length === 0) return undefined;
  return { mfu16: median(used.map((r) => runMfu(r) / r.structure)), runs: used.map((r) => r.name), basis: onFamily.length > 0 ? 'family' : 'all' };
}

/** The run-utilization prior: the share of its own steady-state throughput that a run's hours imply. */
export interface UtilizationFit {
  /** Median share. */
  value: number;
  /** Each run it was fitted on and its share, lowest first. */
  shares: { name: string; share: number }[];
  /** 10th and 90th percentile of the shares. */
  low: number;
  high: number;
}

/**
 * Returns the run-utilization prior: the median over runs that publish a steady-state MFU of
 * runMfu / steadyStateMfu (what evaluation, stragglers, idle allocation and restarts after
 * divergence leave of the steady state once failures are taken out), leaving out `exclude`.
 */
export function fitRunUtilization(runs: readonly RunObservation[], exclude: ReadonlySet<string> = new Set()): UtilizationFit | undefined {
  const shares = runs
    .filter((r) => r.steadyStateMfu !== undefined && !exclude.has(r.name))
    .map((r) => ({ name: r.name, share: runMfu(r) / (r.steadyStateMfu as number) }))
    .sort((a, b) => a.share - b.share);
  if (shares.length === 0) return undefined;
  const values = shares.map((s) => s.share);
  return { value: median(values), shares, low: quantile(values, 0.1), high: quantile(values, 0.9) };
}

/** Returns the MFU of a run's hours against the 16-bit peak with no failure model: what a constant-MFU baseline predicts from. */
export function sixteenBitMfu(run: RunObservation): number {
  return run.trainingFlops / (run.sixteenBitPeakFlopsPerSecond * run.gpuHours * 3600);
}

/**
 * Returns the best single constant MFU (of the 16-bit peak, no failure model: Epoch AI's kind of
 * baseline, given every run's precision as a 16-bit tool sees it): the median of sixteenBitMfu,
 * which minimizes the mean |ln(predicted / reported hours)|. A stable fit: the constant that
 * minimizes the median instead jumps between clusters of runs when one is left out.
 */
export function bestConstantMfu(runs: readonly RunObservation[]): number {
  return median(runs.map(sixteenBitMfu));
}

/** Returns the lowest in-sample median |ln(predicted / reported hours)| any constant 16-bit MFU reaches (it lies at a run or a midpoint of two, in log space). */
export function lowestConstantError(runs: readonly RunObservation[]): number {
  const logs = runs.map((r) => Math.log(sixteenBitMfu(r)));
  let best = Infinity;
  for (let i = 0; i < logs.length; i++) {
    for (let j = i; j < logs.length; j++) {
      const m = ((logs[i] as number) + (logs[j] as number)) / 2;
      best = Math.min(best, median(logs.map((x) => Math.abs(x - m))));
    }
  }
  return best;
}

/** An 80 % interval on the ratio reported / predicted, from log residuals. */
export interface RangeFit {
  /** exp of the 10th and 90th percentiles of ln(reported / predicted): multiply a prediction by them. */
  low: number;
  high: number;
  /** Residuals it was computed from. */
  runs: number;
}

/** Returns the 80 % interval factors of a set of ln(reported / predicted) residuals (at least one). */
export function rangeFromResiduals(residuals: readonly number[]): RangeFit {
  const tail = (1 - RANGE_COVERAGE) / 2;
  return { low: Math.exp(quantile(residuals, tail)), high: Math.exp(quantile(residuals, 1 - tail)), runs: residuals.length };
}
