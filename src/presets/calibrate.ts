// The run-level calibration of a preset set (issue 11), computed from its published runs when the
// presets are loaded, never typed by hand: the run-utilization prior, the published runs' MFU per
// accelerator family, and the 80 % intervals of the backtest's leave-one-out residuals.
import { looResiduals, measuredMethod, publishedMethod, steadyStateMethod } from '../core/backtest.js';
import { fitRunUtilization, rangeFromResiduals, type RangeFit, type RunObservation, type UtilizationFit } from '../core/calibration.js';
import { publishedRuns, type PublishedRun } from './observations.js';
import type { PresetSet } from './parse.js';
import { predictSteadyState, type ResolveEstimate, type SteadyStatePrediction } from './predicted.js';

/** What a preset set's published runs say about whole runs. */
export interface RunCalibration {
  runs: PublishedRun[];
  observations: RunObservation[];
  /** The run-utilization prior, from the runs that publish both a steady-state throughput and their hours. */
  utilization: UtilizationFit | undefined;
  /** 80 % interval of the published-run method's leave-one-out residuals (the default estimate's range; computed when read). */
  readonly publishedRange: RangeFit | undefined;
  /** 80 % interval when the steady-state MFU is known (the runs' own throughput x the prior): the range of --mfu (computed when read). */
  readonly steadyStateRange: RangeFit | undefined;
}

const cache = new WeakMap<PresetSet, RunCalibration>();

/** Returns the run-level calibration of a preset set (computed once per set; pure given the presets). */
export function runCalibration(presets: PresetSet): RunCalibration {
  const cached = cache.get(presets);
  if (cached) return cached;
  const runs = publishedRuns(presets);
  const observations = runs.map((r) => r.observation);
  const range = (residuals: number[]): RangeFit | undefined => (residuals.length > 0 ? rangeFromResiduals(residuals) : undefined);
  // The ranges are computed when first read: an estimate needs only the one of its MFU's origin.
  let published: { value: RangeFit | undefined } | undefined;
  let steady: { value: RangeFit | undefined } | undefined;
  const calibration: RunCalibration = {
    runs,
    observations,
    utilization: fitRunUtilization(observations),
    get publishedRange() {
      published ??= { value: range(looResiduals(observations, publishedMethod)) };
      return published.value;
    },
    get steadyStateRange() {
      steady ??= { value: range(looResiduals(observations, measuredMethod)) };
      return steady.value;
    },
  };
  cache.set(presets, calibration);
  return calibration;
}

/**
 * A preset set's run calibration as JSON data: what the build stores with the compiled presets
 * (dist/presets.json), so that the CLI's start-up does not fit it again (null: none).
 */
export interface CompiledCalibration {
  observations: RunObservation[];
  utilization: UtilizationFit | null;
  publishedRange: RangeFit | null;
  steadyStateRange: RangeFit | null;
}

/** Returns the run calibration of a preset set as JSON data (both ranges computed). */
export function compileCalibration(presets: PresetSet): CompiledCalibration {
  const c = runCalibration(presets);
  return { observations: c.observations, utilization: c.utilization ?? null, publishedRange: c.publishedRange ?? null, steadyStateRange: c.steadyStateRange ?? null };
}

/**
 * Makes `data`, compiled by the build from these very presets, their run calibration (runCalibration
 * then returns it; its published runs are resolved only when read). test/cli/build.test.ts checks
 * that the built data equals a fresh computation.
 */
export function useCompiledCalibration(presets: PresetSet, data: CompiledCalibration): void {
  let runs: PublishedRun[] | undefined;
  cache.set(presets, {
    get runs() {
      return (runs ??= publishedRuns(presets));
    },
    observations: data.observations,
    utilization: data.utilization ?? undefined,
    publishedRange: data.publishedRange ?? undefined,
    steadyStateRange: data.steadyStateRange ?? undefined,
  });
}

/** The throughput model's steady-state MFU of every published run it can predict, and the range it implies. */
export interface PredictedCalibration {
  /** Per run name. */
  steady: Map<string, SteadyStatePrediction>;
  /** 80 % interval of the predicted method's leave-one-out residuals (throughput model x utilization prior x goodput). */
  range: RangeFit | undefined;
}

const predictedCache = new WeakMap<PresetSet, PredictedCalibration>();
const predicting = new WeakSet<PresetSet>();

/**
 * Returns the throughput model's predictions of the published runs and the 80 % interval of its
 * leave-one-out residuals (computed once per preset set, ~0.1 s). `resolve` resolves an estimate
 * scenario; the runs' own scenarios resolved meanwhile get undefined (they need no range), so that
 * resolving one does not start the calibration again.
 */
export function predictedCalibration(presets: PresetSet, resolve: ResolveEstimate): PredictedCalibration | undefined {
  const cached = predictedCache.get(presets);
  if (cached) return cached;
  if (predicting.has(presets)) return undefined;
  predicting.add(presets);
  try {
    const { runs, observations } = runCalibration(presets);
    const steady = new Map<string, SteadyStatePrediction>();
    for (const run of runs) {
      const p = predictSteadyState(resolve, run);
      if (p) steady.set(run.model.name, p);
    }
    const residuals = looResiduals(observations, steadyStateMethod(new Map([...steady].map(([name, p]) => [name, p.mfu]))));
    const calibration: PredictedCalibration = { steady, range: residuals.length > 0 ? rangeFromResiduals(residuals) : undefined };
    predictedCache.set(presets, calibration);
    return calibration;
  } finally {
    predicting.delete(presets);
  }
}

/** Returns "x0.74 to x1.38 (10th-90th percentile of 33 runs' leave-one-out residuals)". */
export function describeRange(r: RangeFit): string {
  return `x${r.low.toFixed(2)} to x${r.high.toFixed(2)} (10th to 90th percentile of ln(reported / predicted) over ${r.runs} published runs, each predicted without itself)`;
}

/** Returns the prior as a source: its value, the runs and shares it came from, and its spread. */
export function describeUtilization(u: UtilizationFit): string {
  const shares = u.shares.map((s) => `${s.name} ${s.share.toFixed(2)}`).join(', ');
  return `median share of their own published steady-state throughput that ${u.shares.length} published runs' hours imply, failures taken out (${shares}); 10th-90th percentile ${u.low.toFixed(2)}-${u.high.toFixed(2)}; llmcost backtest`;
}
