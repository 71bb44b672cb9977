import {
  bestConstantMfu,
  fitRunMfu,
  fitRunUtilization,
  median,
  rangeFromResiduals,
  type RangeFit,
  type RunObservation,
} from './calibration.js';

/** Epoch AI's median utilization of notable training runs, the baseline to beat (Cottier et al. 2024, §2.1). */
export const BASELINE_CONSTANT_MFU = 0.375;

/** A prediction of one run, as its parts: GPU-hours = FLOPs / (peak x steady-state MFU x goodput x run utilization x 3600). */
export interface RunPrediction {
  steadyStateMfu: number;
  goodput: number;
  runUtilization: number;
}

/**
 * Predicts a run from the published runs minus `exclude` (the run itself for leave-one-out); every
 * constant it fits must be fitted on `runs` without `exclude`. Undefined when it cannot predict the run.
 */
export type Method = (runs: readonly RunObservation[], run: RunObservation, exclude: ReadonlySet<string>) => RunPrediction | undefined;

/** Returns the GPU-hours of a prediction. */
export function predictedHours(run: RunObservation, p: RunPrediction): number {
  return run.trainingFlops / (run.peakFlopsPerSecond * p.steadyStateMfu * p.goodput * p.runUtilization * 3600);
}

/**
 * The default method ("published"): the run MFU the published runs on the family reached as dense
 * 16-bit runs (fitRunMfu), scaled to this run's precision and MoE (structure), split into the
 * steady-state MFU and the utilization prior (fitRunUtilization); goodput from the failure model.
 */
export const publishedMethod: Method = (runs, run, exclude) => {
  const fit = fitRunMfu(runs, run.family, exclude);
  if (!fit) return undefined;
  const utilization = fitRunUtilization(runs, exclude)?.value ?? 1;
  return { steadyStateMfu: Math.min((fit.mfu16 * run.structure) / utilization, 1), goodput: run.goodput, runUtilization: utilization };
};

/** The steady-state MFU known (the run's own published throughput) x the utilization prior: what the prior alone is worth. */
export const measuredMethod: Method = (runs, run, exclude) => {
  if (run.steadyStateMfu === undefined) return undefined;
  const utilization = fitRunUtilization(runs, exclude)?.value;
  if (utilization === undefined) return undefined;
  return { steadyStateMfu: run.steadyStateMfu, goodput: run.goodput, runUtilization: utilization };
};

/** A steady-state MFU from elsewhere (the throughput model) x the utilization prior x goodput. */
export function steadyStateMethod(steady: ReadonlyMap<string, number>): Method {
  return (runs, run, exclude) => {
    const mfu = steady.get(run.name);
    if (mfu === undefined) return undefined;
    return { steadyStateMfu: mfu, goodput: run.goodput, runUtilization: fitRunUtilization(runs, exclude)?.value ?? 1 };
  };
}

/** One constant MFU of the 16-bit peak, no failure model and no utilization (Epoch AI's 0.375). */
export function constantMethod(mfu: number): Method {
  return (_runs, run) => ({ steadyStateMfu: (mfu * run.sixteenBitPeakFlopsPerSecond) / run.peakFlopsPerSecond, goodput: 1, runUtilization: 1 });
}

/** The best single constant MFU, fitted on the runs (without `exclude`), no failure model. */
export const bestConstantMethod: Method = (runs, run, exclude) => {
  const pool = runs.filter((r) => !exclude.has(r.name));
  return pool.length === 0 ? undefined : constantMethod(bestConstantMfu(pool))(runs, run, exclude);
};

/** One run predicted in-sample (constants fitted on every run) and leave-one-out (fitted without it). */
export interface BacktestRow {
  name: string;
  family: string;
  reportedGpuHours: number;
  /** In-sample: the run is among those the constants were fitted on. */
  predicted: RunPrediction;
  predictedGpuHours: number;
  /** The 80 % range: the prediction x the interval of every run's leave-one-out residuals. */
  predictedGpuHoursRange: [number, number];
  /** ln(predicted / reported). */
  logError: number;
  inside: boolean;
  /** Leave-one-out: every constant (MFU, utilization prior, the interval's percentiles) fitted without this run. */
  looPredicted: RunPrediction;
  looPredictedGpuHours: number;
  looPredictedGpuHoursRange: [number, number];
  looLogError: number;
  looInside: boolean;
}

/** Accuracy of a method over the runs it predicts. */
export interface Accuracy {
  /** Median |ln(predicted / reported)|. */
  medianAbsLogError: number;
  /** Share of reported values inside the 80 % range. */
  coverage: number;
  /** Median high / low of the 80 % ranges. */
  medianRangeRatio: number;
}

/** A method's backtest: per run, in-sample and leave-one-out summaries, and the interval an estimate uses. */
export interface MethodBacktest {
  rows: BacktestRow[];
  runs: number;
  inSample: Accuracy;
  leaveOneOut: Accuracy;
  /** The 80 % interval of every run's leave-one-out residuals: what an estimate by this method states. */
  range: RangeFit;
}

/** Returns ln(reported / predicted) of `run` by `method` fitted without `exclude`, or undefined. */
function residual(runs: readonly RunObservation[], run: RunObservation, method: Method, exclude: ReadonlySet<string>): number | undefined {
  const p = method(runs, run, exclude);
  return p && Math.log(run.gpuHours / predictedHours(run, p));
}

/**
 * Returns the leave-one-out residuals ln(reported / predicted) of every run `method` predicts,
 * each fitted without that run and without `exclude` (pure).
 */
export function looResiduals(runs: readonly RunObservation[], method: Method, exclude: ReadonlySet<string> = new Set()): number[] {
  const out: number[] = [];
  for (const run of runs) {
    if (exclude.has(run.name)) continue;
    const r = residual(runs, run, method, new Set([...exclude, run.name]));
    if (r !== undefined) out.push(r);
  }
  return out;
}

/**
 * Returns the backtest of `method` on `runs` (pure): each run in-sample and leave-one-out. The
 * leave-one-out range of a run is the 80 % interval of the other runs' leave-one-out residuals,
 * each computed without that run too (nested), so nothing the run could have taught is used to
 * predict it or to state its range.
 */
export function backtestMethod(runs: readonly RunObservation[], method: Method): MethodBacktest | undefined {
  const all = looResiduals(runs, method);
  if (all.length === 0) return undefined;
  const range = rangeFromResiduals(all);
  const rows: BacktestRow[] = [];
  for (const run of runs) {
    const predicted = method(runs, run, new Set());
    const looPredicted = method(runs, run, new Set([run.name]));
    if (!predicted || !looPredicted) continue;
    const nested = looResiduals(runs, method, new Set([run.name]));
    const looRange = nested.length > 0 ? rangeFromResiduals(nested) : range;
    const hours = predictedHours(run, predicted);
    const looHours = predictedHours(run, looPredicted);
    const within = (h: number, r: RangeFit): [number, number] => [h * r.low, h * r.high];
    const inRange = (band: [number, number]): boolean => run.gpuHours >= band[0] && run.gpuHours <= band[1];
    const band = within(hours, range);
    const looBand = within(looHours, looRange);
    rows.push({
      name: run.name,
      family: run.family,
      reportedGpuHours: run.gpuHours,
      predicted,
      predictedGpuHours: hours,
      predictedGpuHoursRange: band,
      logError: Math.log(hours / run.gpuHours),
      inside: inRange(band),
      looPredicted,
      looPredictedGpuHours: looHours,
      looPredictedGpuHoursRange: looBand,
      looLogError: Math.log(looHours / run.gpuHours),
      looInside: inRange(looBand),
    });
  }
  return { rows, runs: rows.length, ...accuracyOf(rows), range };
}

/** Returns the in-sample and leave-one-out accuracy of backtest rows (at least one). */
export function accuracyOf(rows: readonly BacktestRow[]): { inSample: Accuracy; leaveOneOut: Accuracy } {
  const accuracy = (errors: number[], inside: boolean[], ratios: number[]): Accuracy => ({
    medianAbsLogError: median(errors.map(Math.abs)),
    coverage: inside.filter(Boolean).length / inside.length,
    medianRangeRatio: median(ratios),
  });
  const ratio = (band: [number, number]): number => band[1] / band[0];
  return {
    inSample: accuracy(rows.map((r) => r.logError), rows.map((r) => r.inside), rows.map((r) => ratio(r.predictedGpuHoursRange))),
    leaveOneOut: accuracy(rows.map((r) => r.looLogError), rows.map((r) => r.looInside), rows.map((r) => ratio(r.looPredictedGpuHoursRange))),
  };
}
