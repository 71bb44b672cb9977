// The backtest report (issue 11): every published run of the presets predicted from parameters,
// tokens, accelerator, precision and count, in-sample and leave-one-out, by the default method and
// against constant-MFU baselines; plus FLOPs, energy and published throughputs. Pure given presets.
import {
  accuracyOf,
  backtestMethod,
  BASELINE_CONSTANT_MFU,
  bestConstantMethod,
  constantMethod,
  measuredMethod,
  publishedMethod,
  steadyStateMethod,
  type Accuracy,
  type BacktestRow,
  type Method,
} from '../core/backtest.js';
import {
  bestConstantMfu,
  fitRunMfu,
  lowestConstantError,
  FP8_SPEEDUP,
  median,
  MOE_MFU_FACTOR,
  runMfu,
  type RangeFit,
  type RunObservation,
  type UtilizationFit,
} from '../core/calibration.js';
import { ComputeError } from '../errors.js';
import { runCalibration } from '../presets/calibrate.js';
import { leftOutRuns, measuredThroughputs, type LeftOutRun, type MeasuredThroughput, type PublishedRun } from '../presets/observations.js';
import type { PresetSet } from '../presets/parse.js';
import type { SteadyStatePrediction } from '../presets/predicted.js';
import type { Precision, RunCoverage } from '../presets/schema.js';
import { energyRows, flopsRows, type EnergyRow, type FlopsRow } from './backtest-flops.js';

/** One run of the default method's backtest, flat: the factors of the prediction in-sample and leave-one-out. */
export interface BacktestReportRow {
  name: string;
  family: string;
  coverage: RunCoverage;
  precision: Precision;
  moe: boolean;
  /** The run's MFU over a dense 16-bit run's (precision and MoE factors). */
  structure: number;
  reportedGpuHours: number;
  predictedGpuHours: number;
  steadyStateMfu: number;
  goodput: number;
  runUtilization: number;
  /** ln(predicted / reported). */
  logError: number;
  predictedGpuHoursRange: [number, number];
  inside: boolean;
  looPredictedGpuHours: number;
  looSteadyStateMfu: number;
  looRunUtilization: number;
  looLogError: number;
  looPredictedGpuHoursRange: [number, number];
  looInside: boolean;
  /** MFU over the whole run that the reported hours imply, failures taken out (steady state x utilization). */
  reportedRunMfu: number;
}

/** One method's accuracy over the runs it predicts. */
export interface MethodSummary {
  key: 'default' | 'published' | 'published, same runs' | 'steady-state known' | 'predicted' | 'constant 0.375' | 'best constant';
  description: string;
  runs: number;
  inSample: Accuracy;
  leaveOneOut: Accuracy;
  /** The constant MFU of a baseline (the best one fitted on all runs), of the 16-bit peak. */
  mfu?: number;
  /** Best constant: the lowest in-sample median |ln error| any constant reaches (fitted to that very statistic). */
  lowestInSampleMedianAbsLogError?: number;
}

/** Mixture-of-experts runs against the dense runs of their family. */
export interface MoeCheck {
  /** The sourced factor the method uses. */
  factor: number;
  source: string;
  /** Per MoE run: its run MFU as a 16-bit run over the dense runs' median on its family (or all dense runs). */
  runs: { name: string; ratio: number }[];
  /** Median of those ratios: what the presets say, beside the sourced factor. */
  medianRatio?: number;
}

/** The whole backtest. */
export interface BacktestReport {
  /** The method of `rows` (the published-run MFU, every run; methods[] has the default and the others). */
  method: string;
  rows: BacktestReportRow[];
  methods: MethodSummary[];
  utilization?: UtilizationFit;
  /** The 80 % interval an estimate states (factors on its GPU-hours). */
  range?: RangeFit;
  /** The throughput model's steady-state MFU per run it predicts, and the predicted method's leave-one-out error. */
  predicted: { name: string; steadyStateMfu: number; plan: 'published' | 'searched'; looLogError: number; looInside: boolean }[];
  fp8Speedup: { value: number; source: string };
  moe: MoeCheck;
  leftOut: LeftOutRun[];
  flops: FlopsRow[];
  energy: EnergyRow[];
  throughput: MeasuredThroughput[];
}


/** Returns the flat row of one run. */
function flatRow(r: BacktestRow, run: PublishedRun): BacktestReportRow {
  const o = run.observation;
  return {
    name: r.name,
    family: r.family,
    coverage: run.coverage,
    precision: run.model.run?.precision ?? 'bf16',
    moe: o.moe,
    structure: o.structure,
    reportedGpuHours: r.reportedGpuHours,
    predictedGpuHours: r.predictedGpuHours,
    steadyStateMfu: r.predicted.steadyStateMfu,
    goodput: r.predicted.goodput,
    runUtilization: r.predicted.runUtilization,
    logError: r.logError,
    predictedGpuHoursRange: r.predictedGpuHoursRange,
    inside: r.inside,
    looPredictedGpuHours: r.looPredictedGpuHours,
    looSteadyStateMfu: r.looPredicted.steadyStateMfu,
    looRunUtilization: r.looPredicted.runUtilization,
    looLogError: r.looLogError,
    looPredictedGpuHoursRange: r.looPredictedGpuHoursRange,
    looInside: r.looInside,
    reportedRunMfu: runMfu(o),
  };
}

/** Returns how the MoE runs compare with the dense runs of their family (as 16-bit runs). */
function moeCheck(observations: readonly RunObservation[]): MoeCheck {
  const dense = observations.filter((o) => !o.moe);
  const runs = observations
    .filter((o) => o.moe)
    .flatMap((o) => {
      const fit = fitRunMfu(dense, o.family);
      return fit ? [{ name: o.name, ratio: runMfu(o) / (o.structure / MOE_MFU_FACTOR.value) / fit.mfu16 }] : [];
    });
  return { factor: MOE_MFU_FACTOR.value, source: MOE_MFU_FACTOR.source, runs, ...(runs.length > 0 ? { medianRatio: median(runs.map((r) => r.ratio)) } : {}) };
}

/**
 * Returns the backtest of every preset run that reports accelerator-hours, FLOPs or energy (pure
 * given presets). With the throughput model's predictions, also the "predicted" method (its
 * steady-state MFU x the utilization prior x goodput), and the default method on the same runs.
 */
export function buildBacktest(presets: PresetSet, predictions?: ReadonlyMap<string, SteadyStatePrediction>): BacktestReport {
  const calibration = runCalibration(presets);
  const { runs, observations } = calibration;
  const byName = new Map(runs.map((r) => [r.model.name, r]));
  const summaries: MethodSummary[] = [];
  const add = (key: MethodSummary['key'], description: string, method: Method, extra: Partial<MethodSummary> = {}): ReturnType<typeof backtestMethod> => {
    const b = backtestMethod(observations, method);
    if (b) summaries.push({ key, description, runs: b.runs, inSample: b.inSample, leaveOneOut: b.leaveOneOut, ...extra });
    return b;
  };
  const published = add('published', 'published runs on the family x precision and MoE factors (the default)', publishedMethod);
  let predictedRows: BacktestRow[] = [];
  if (predictions && predictions.size > 0) {
    const mfus = new Map([...predictions].map(([name, p]) => [name, p.mfu]));
    predictedRows = add('predicted', "the throughput model's steady-state MFU (published plan, else searched) x utilization prior x goodput", steadyStateMethod(mfus))?.rows ?? [];
    const same = (published?.rows ?? []).filter((r) => predictions.has(r.name));
    if (same.length > 0) {
      summaries.push({ key: 'published, same runs', description: 'the published-run MFU on the runs the throughput model predicts', runs: same.length, ...accuracyOf(same) });
    }
  }
  // The default: each run by the method an estimate of it would use, with that method's own range.
  const byPrediction = new Map(predictedRows.map((r) => [r.name, r]));
  const defaultRows = (published?.rows ?? []).map((r) => byPrediction.get(r.name) ?? r);
  if (defaultRows.length > 0 && predictedRows.length > 0) {
    summaries.unshift({ key: 'default', description: "the throughput model's MFU where it predicts the run, else the published-run MFU (the default of --mfu-from)", runs: defaultRows.length, ...accuracyOf(defaultRows) });
  }
  add('steady-state known', "each run's own published throughput x utilization prior x goodput", measuredMethod);
  add('constant 0.375', "Epoch AI's constant MFU of the 16-bit peak, no failure model", constantMethod(BASELINE_CONSTANT_MFU), { mfu: BASELINE_CONSTANT_MFU });
  if (observations.length > 0) {
    add('best constant', 'the median run MFU of the 16-bit peak (refitted without each run), no failure model', bestConstantMethod, {
      mfu: bestConstantMfu(observations),
      lowestInSampleMedianAbsLogError: lowestConstantError(observations),
    });
  }
  const rows = (published?.rows ?? []).flatMap((r) => {
    const run = byName.get(r.name);
    return run ? [flatRow(r, run)] : [];
  });
  // A figure a preset supplies (5e-324 GPU-hours) can make a ratio infinite: an error naming it, never "+Infinity %".
  const fileOf = (name: string): string => presets.models.get(name)?.file ?? name;
  for (const r of rows) assertFinite(r, `${fileOf(r.name)}: run.${byName.get(r.name)?.gpuHoursBasis === 'reported' ? 'gpuHours' : 'wallClockDays'}.value`);
  const flops = flopsRows(presets);
  for (const r of flops) assertFinite(r, `${fileOf(r.name)}: reportedFlops.value`);
  const energy = energyRows(presets, rows, byName);
  for (const r of energy) assertFinite(r, `${fileOf(r.name)}: run.energyMwh.value`);
  const throughput = measuredThroughputs(presets);
  for (const r of throughput) assertFinite(r, `${fileOf(r.name)}: run.throughput`);
  for (const s of summaries) {
    assertFinite(s.inSample, `backtest summary (${s.key})`);
    assertFinite(s.leaveOneOut, `backtest summary (${s.key})`);
  }
  return {
    method: 'published',
    rows,
    methods: summaries,
    ...(calibration.utilization ? { utilization: calibration.utilization } : {}),
    ...(published ? { range: published.range } : {}),
    predicted: predictedRows.map((r) => ({
      name: r.name,
      steadyStateMfu: r.predicted.steadyStateMfu,
      plan: predictions?.get(r.name)?.plan ?? 'searched',
      looLogError: r.looLogError,
      looInside: r.looInside,
    })),
    fp8Speedup: FP8_SPEEDUP,
    moe: moeCheck(observations),
    leftOut: leftOutRuns(presets),
    flops,
    energy,
    throughput,
  };
}

/** Throws a ComputeError naming `where` when any number of `row` (or of its arrays) is not finite. */
export function assertFinite(row: object, where: string): void {
  for (const [key, value] of Object.entries(row)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
      throw new ComputeError(`${where}: gives a ${key} that is not a finite number; expected a figure of the published run's size`);
    }
  }
}
