// Resolves the run-level terms of an estimate (issue 11): GPU-hours = FLOPs / (GPUs x peak x
// steady-state MFU x goodput x run utilization). The steady-state MFU: --mfu > the cluster's
// published MFU > what the published runs on the GPU's family imply; the run utilization: a prior
// fitted on the published runs (or --run-utilization); the range: the 80 % interval of the
// backtest's leave-one-out residuals for the way the MFU was obtained. Pure given the presets.
import { fitRunMfu, FP8_SPEEDUP, MOE_MFU_FACTOR, RANGE_COVERAGE } from '../core/calibration.js';
import type { Input, Scenario } from '../scenario/types.js';
import { describeRange, describeUtilization, runCalibration } from './calibrate.js';
import { precisionPeak, referencePeak, runStructure } from './observations.js';
import type { Located, PresetSet } from './parse.js';
import type { ClusterPreset, GpuPreset, Precision } from './schema.js';

/** What the run-level terms are resolved from. */
export interface RunLevelArgs {
  mfuFlag: Input<number> | undefined;
  utilizationFlag: Input<number> | undefined;
  cluster: Located<ClusterPreset> | undefined;
  gpu: Located<GpuPreset>;
  precision: Precision;
  /** Mixture of experts (fewer active than total parameters, or an MoE architecture). */
  moe: boolean;
  presets: PresetSet;
}

/** The run-level inputs of a scenario. */
export type RunLevelInputs = Pick<Scenario, 'mfu' | 'runUtilization' | 'rangeFactors'>;

/**
 * Returns the steady-state MFU, the run utilization and the 80 % range factors of a scenario. A
 * published MFU (the cluster's, the runs') is one of 16-bit training: at another precision it is
 * scaled by precisionFactor (only the matrix multiplies run at that peak: FP8 on H100 is 1.37x
 * faster, not 2x), and for a mixture of experts by MOE_MFU_FACTOR. --mfu is taken as given.
 */
export function resolveRunLevel(a: RunLevelArgs): RunLevelInputs {
  const calibration = runCalibration(a.presets);
  const prior = calibration.utilization;
  const runUtilization: Input<number> = a.utilizationFlag ?? (prior
    ? { value: prior.value, origin: 'derived', source: `run-utilization prior: ${describeUtilization(prior)}` }
    : { value: 1, origin: 'default', source: 'no published run reports both a steady-state throughput and its hours: no run utilization assumed' });
  const reference = referencePeak(a.gpu);
  const peak = precisionPeak(a.gpu, a.precision);
  const sixteen = reference && peak ? reference.flopsPerSecond : undefined;
  const precisionNote = sixteen && peak && peak !== sixteen
    ? `; x ${runStructure(peak, sixteen, false).toFixed(3)} for ${a.precision} (only the matrix multiplies, ${(100 * (1 - 1 / FP8_SPEEDUP.value) * 2).toFixed(0)} % of a 16-bit step, run at the ${a.precision} peak; from ${FP8_SPEEDUP.source})`
    : '';
  const structure = sixteen && peak ? runStructure(peak, sixteen, a.moe) : a.moe ? MOE_MFU_FACTOR.value : 1;
  const moeNote = a.moe ? `; x ${MOE_MFU_FACTOR.value} for a mixture of experts (${MOE_MFU_FACTOR.source})` : '';
  const steadyRange = (): Input<[number, number]> | undefined => {
    const r = calibration.steadyStateRange;
    return r && {
      value: [r.low, r.high],
      origin: 'derived',
      source: `${RANGE_COVERAGE * 100} % range with the steady-state MFU known: the runs' own published throughput x the utilization prior, ${describeRange(r)}; it covers the run's losses, not an error in the MFU given`,
    };
  };
  const out = (mfu: Input<number>, range: Input<[number, number]> | undefined): RunLevelInputs => ({
    mfu: { ...mfu, value: Math.min(mfu.value, 1) },
    runUtilization,
    ...(range ? { rangeFactors: range } : {}),
  });

  if (a.mfuFlag) return out(a.mfuFlag, steadyRange());
  if (a.cluster?.mfu) {
    const m = a.cluster.mfu;
    const scale = structure === 1 ? '' : ` (a 16-bit dense figure${precisionNote}${moeNote})`;
    return out({ value: m.value * structure, origin: `preset:${a.cluster.name}`, source: `${m.source}${scale}` }, steadyRange());
  }
  const fit = fitRunMfu(calibration.observations, a.gpu.family);
  if (!fit || !calibration.publishedRange) {
    const d = a.presets.defaults.mfu;
    return out({ value: d.value * structure, origin: 'default', source: `${d.source}${precisionNote}${moeNote}` }, steadyRange());
  }
  const basis = fit.basis === 'family' ? `the published runs on ${a.gpu.family} GPUs` : `all published runs (none on ${a.gpu.family})`;
  const r = calibration.publishedRange;
  return out(
    {
      value: (fit.mfu16 * structure) / (prior?.value ?? 1),
      origin: 'derived',
      source: `steady-state MFU that ${basis} imply: their median MFU over the whole run as dense 16-bit runs, failures taken out (${(fit.mfu16 * 100).toFixed(1)} %: ${fit.runs.join(', ')}), / the run-utilization prior${precisionNote}${moeNote}; llmcost backtest shows each`,
    },
    { value: [r.low, r.high], origin: 'derived', source: `${RANGE_COVERAGE * 100} % range of the published-run MFU: ${describeRange(r)}` },
  );
}
