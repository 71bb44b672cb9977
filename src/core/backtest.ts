import { impliedMfu, median, mfuDefault, RANGE_RATIO, type RunObservation } from './calibration.js';

/** Epoch AI's median utilization of notable training runs, the baseline to beat (Cottier et al. 2024, §2.1). */
export const BASELINE_CONSTANT_MFU = 0.375;

/** One run: predicted vs reported accelerator-hours. */
export interface BacktestRow {
  name: string;
  family: string;
  reportedGpuHours: number;
  /** Predicted with the default MFU derived from all published runs (in-sample). */
  predictedGpuHours: number;
  predictedGpuHoursRange: [number, number];
  relativeError: number;
  /** |ln(predicted / reported)|. */
  absLogError: number;
  inside: boolean;
  /** Predicted with the MFU derived from the other runs only (leave-one-out). */
  looPredictedGpuHours: number;
  looAbsLogError: number;
  looInside: boolean;
  /** Predicted at a constant MFU of 0.375 and no failure model (Epoch AI's baseline). */
  baselineAbsLogError: number;
  mfuUsed: number;
  impliedMfu: number;
  goodput: number;
}

/** Accuracy over all runs. */
export interface BacktestSummary {
  runs: number;
  medianAbsLogError: number;
  shareInside: number;
  looMedianAbsLogError: number;
  looShareInside: number;
  baselineMedianAbsLogError: number;
  /** High/low ratio of the stated ranges. */
  rangeRatio: number;
}

function predict(run: RunObservation, mfu: number): number {
  return run.trainingFlops / (run.referencePeakFlopsPerSecond * mfu * 3600 * run.goodput);
}

/**
 * Returns predicted vs reported accelerator-hours for each run, in-sample and leave-one-out,
 * against Epoch AI's constant-MFU baseline, and the summary (pure).
 */
export function backtest(runs: readonly RunObservation[]): { rows: BacktestRow[]; summary: BacktestSummary } {
  const rows: BacktestRow[] = [];
  for (const run of runs) {
    const all = mfuDefault(runs, run.family);
    const loo = mfuDefault(runs, run.family, run.name);
    if (!all) continue;
    const predicted = predict(run, all.mfu);
    const range: [number, number] = [predict(run, all.high), predict(run, all.low)];
    const looPredicted = loo ? predict(run, loo.mfu) : Number.NaN;
    const baseline = run.trainingFlops / (run.referencePeakFlopsPerSecond * BASELINE_CONSTANT_MFU * 3600);
    const logErr = (p: number): number => Math.abs(Math.log(p / run.gpuHours));
    rows.push({
      name: run.name,
      family: run.family,
      reportedGpuHours: run.gpuHours,
      predictedGpuHours: predicted,
      predictedGpuHoursRange: range,
      relativeError: predicted / run.gpuHours - 1,
      absLogError: logErr(predicted),
      inside: run.gpuHours >= range[0] && run.gpuHours <= range[1],
      looPredictedGpuHours: looPredicted,
      looAbsLogError: logErr(looPredicted),
      looInside: loo ? run.gpuHours >= predict(run, loo.high) && run.gpuHours <= predict(run, loo.low) : false,
      baselineAbsLogError: logErr(baseline),
      mfuUsed: all.mfu,
      impliedMfu: impliedMfu(run),
      goodput: run.goodput,
    });
  }
  const share = (xs: boolean[]): number => xs.filter(Boolean).length / Math.max(xs.length, 1);
  return {
    rows,
    summary: {
      runs: rows.length,
      medianAbsLogError: median(rows.map((r) => r.absLogError)),
      shareInside: share(rows.map((r) => r.inside)),
      looMedianAbsLogError: median(rows.map((r) => r.looAbsLogError)),
      looShareInside: share(rows.map((r) => r.looInside)),
      baselineMedianAbsLogError: median(rows.map((r) => r.baselineAbsLogError)),
      rangeRatio: RANGE_RATIO,
    },
  };
}
