// The run-level calibration of a preset set (issue 11), computed from its published runs when the
// presets are loaded, never typed by hand: the run-utilization prior, the published runs' MFU per
// accelerator family, and the 80 % intervals of the backtest's leave-one-out residuals.
import { looResiduals, measuredMethod, publishedMethod } from '../core/backtest.js';
import { fitRunUtilization, rangeFromResiduals, type RangeFit, type RunObservation, type UtilizationFit } from '../core/calibration.js';
import { publishedRuns, type PublishedRun } from './observations.js';
import type { PresetSet } from './parse.js';

/** What a preset set's published runs say about whole runs. */
export interface RunCalibration {
  runs: PublishedRun[];
  observations: RunObservation[];
  /** The run-utilization prior, from the runs that publish both a steady-state throughput and their hours. */
  utilization: UtilizationFit | undefined;
  /** 80 % interval of the published-run method's leave-one-out residuals (the default estimate's range). */
  publishedRange: RangeFit | undefined;
  /** 80 % interval when the steady-state MFU is known (the runs' own throughput x the prior): the range of --mfu. */
  steadyStateRange: RangeFit | undefined;
}

const cache = new WeakMap<PresetSet, RunCalibration>();

/** Returns the run-level calibration of a preset set (computed once per set; pure given the presets). */
export function runCalibration(presets: PresetSet): RunCalibration {
  const cached = cache.get(presets);
  if (cached) return cached;
  const runs = publishedRuns(presets);
  const observations = runs.map((r) => r.observation);
  const range = (residuals: number[]): RangeFit | undefined => (residuals.length > 0 ? rangeFromResiduals(residuals) : undefined);
  const calibration: RunCalibration = {
    runs,
    observations,
    utilization: fitRunUtilization(observations),
    publishedRange: range(looResiduals(observations, publishedMethod)),
    steadyStateRange: range(looResiduals(observations, measuredMethod)),
  };
  cache.set(presets, calibration);
  return calibration;
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
