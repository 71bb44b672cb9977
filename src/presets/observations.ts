import { MOE_MFU_FACTOR, precisionFactor, type RunObservation } from '../core/calibration.js';
import { attentionFlopsPerToken, attentionShapeOf, trainingCompute, type FlopsMethod } from '../core/compute.js';
import { convertFlops, SIX_ND, type ConventionShape, type Conversion, type FlopConvention } from '../core/conventions.js';
import { OPTIMIZERS } from '../core/memory.js';
import { checkpointBytesOf } from '../core/throughput/memory.js';
import { goodputFor, type FailureModel } from '../core/reliability.js';
import type { Located, PresetSet } from './parse.js';
import type { GpuPreset, ModelPreset, RunCoverage } from './schema.js';

/** Returns the dense peak (FLOP/s) of the precision MFU is referred to: bf16, or fp16 on parts without it. */
export function referencePeak(gpu: GpuPreset): { precision: 'bf16' | 'fp16'; flopsPerSecond: number } | undefined {
  const peak = gpu.peakTflops.bf16 ?? gpu.peakTflops.fp16;
  if (!peak) return undefined;
  return { precision: gpu.peakTflops.bf16 ? 'bf16' : 'fp16', flopsPerSecond: peak.value * 1e12 };
}

/** Returns the dense peak (FLOP/s) of a precision on a GPU, or undefined when its preset has none. */
export function precisionPeak(gpu: GpuPreset, precision: keyof GpuPreset['peakTflops']): number | undefined {
  const peak = gpu.peakTflops[precision];
  return peak ? peak.value * 1e12 : undefined;
}

/** Returns whether a model is a mixture of experts (fewer active than total parameters, or an MoE architecture). */
export function isMixtureOfExperts(model: ModelPreset): boolean {
  return (model.activeParams !== undefined && model.activeParams.value < model.params.value) || model.architecture?.moe !== undefined;
}

/**
 * Returns a run's MFU over that of a dense 16-bit run on the same GPU: the precision's factor
 * (precisionFactor: only the matrix multiplies run at its peak) x MOE_MFU_FACTOR for a mixture of experts.
 */
export function runStructure(peakFlopsPerSecond: number, sixteenBitPeakFlopsPerSecond: number, moe: boolean): number {
  return precisionFactor(peakFlopsPerSecond, sixteenBitPeakFlopsPerSecond) * (moe ? MOE_MFU_FACTOR.value : 1);
}

/** Returns the failure model of the global defaults (for published runs, whose restarts are unknown). */
export function defaultFailureModel(presets: PresetSet): FailureModel {
  const d = presets.defaults;
  return {
    gpuMtbfHours: d.gpuMtbfHours.value,
    restartSeconds: d.restartMinutes.value * 60,
    checkpointBytesPerParam: checkpointBytesOf(OPTIMIZERS[d.optimizer.value], d.optimizer.value === 'adam-fp32'),
    storageBytesPerSecond: d.storageGBps.value * 1e9,
  };
}

/** Returns the architecture of a model preset in the shape trainingCompute takes. */
export function computeArchitecture(model: ModelPreset): Parameters<typeof trainingCompute>[0]['architecture'] {
  const a = model.architecture;
  if (!a) return undefined;
  return { ...a, headDim: a.headDim ?? a.dModel / a.heads };
}

/** A model preset with a published run usable for calibration, with its numbers resolved. */
export interface PublishedRun {
  model: Located<ModelPreset>;
  gpu: Located<GpuPreset>;
  observation: RunObservation;
  /** Where the accelerator-hours came from. */
  gpuHoursBasis: 'reported' | 'wall-clock x GPUs';
  /** What the accelerator-hours cover. */
  coverage: RunCoverage;
}

/** Coverages whose hours are not those of a whole run, so they do not calibrate run-level MFU. */
const NOT_RUN_HOURS: Partial<Record<RunCoverage, string>> = {
  'steps-only': 'hours are steps x step time, without failures, restarts or rollbacks',
  'whole-project': 'hours cover the whole project (ablations, failed runs), not one run',
};

/** A preset run that is not a backtest observation, and why. */
export interface LeftOutRun {
  name: string;
  reason: string;
}

/** Returns the accelerator-hours of a run and where they came from, if published. */
function runHours(run: NonNullable<ModelPreset['run']>): { gpuHours: number; basis: PublishedRun['gpuHoursBasis'] } | undefined {
  if (run.gpuHours) return { gpuHours: run.gpuHours.value, basis: 'reported' };
  if (run.wallClockDays && run.gpus) return { gpuHours: run.wallClockDays.value * 24 * run.gpus.value, basis: 'wall-clock x GPUs' };
  return undefined;
}

/** Returns why a preset run cannot be a backtest observation, or undefined when it can. */
function leftOutReason(presets: PresetSet, model: ModelPreset): string | undefined {
  const run = model.run;
  if (!run) return 'no published run';
  const gpu = presets.gpus.get(run.gpu);
  if (!gpu || !referencePeak(gpu)) return `accelerator ${run.gpu} has no bf16 or fp16 peak`;
  if (!precisionPeak(gpu, run.precision)) return `accelerator ${run.gpu} has no ${run.precision} peak (the run's precision)`;
  if (!runHours(run)) return run.wallClockDays ? 'wall-clock published but no GPU count' : 'no accelerator-hours or wall-clock published';
  const coverage = run.coverage?.value ?? 'unknown';
  return NOT_RUN_HOURS[coverage] && `coverage ${coverage}: ${NOT_RUN_HOURS[coverage]}`;
}

/** Returns the preset runs (models with a run block) that are not backtest observations, with the reason (pure). */
export function leftOutRuns(presets: PresetSet): LeftOutRun[] {
  const out: LeftOutRun[] = [];
  for (const model of presets.models.values()) {
    if (!model.run) continue;
    const reason = leftOutReason(presets, model);
    if (reason) out.push({ name: model.name, reason });
  }
  return out;
}

/**
 * Returns every preset run that reports accelerator-hours (or wall-clock and a GPU count) of a
 * whole run, as observations for MFU calibration and the backtest (pure). Runs whose hours are
 * only the steps' time or a whole project's are left out (see leftOutRuns).
 */
export function publishedRuns(presets: PresetSet, method: FlopsMethod = presets.defaults.flopsMethod.value): PublishedRun[] {
  const failures = defaultFailureModel(presets);
  const out: PublishedRun[] = [];
  for (const model of presets.models.values()) {
    const run = model.run;
    if (!run || leftOutReason(presets, model)) continue;
    const gpu = presets.gpus.get(run.gpu);
    const reference = gpu && referencePeak(gpu);
    const peak = gpu && precisionPeak(gpu, run.precision);
    const hours = runHours(run);
    if (!gpu || !reference || !peak || !hours) continue;
    const gpus = run.gpus?.value;
    const architecture = computeArchitecture(model);
    const compute = trainingCompute({
      params: model.params.value,
      activeParams: model.activeParams?.value,
      tokens: model.tokens.value,
      architecture,
      method: architecture ? method : '6nd',
    });
    const moe = isMixtureOfExperts(model);
    // The published throughput is a 6·N·D MFU against the 16-bit peak: count it as trainingFlops does, against the run's own peak.
    const measured = publishedThroughputs(presets, model)[0];
    const steadyStateMfu = measured && (measured.mfu6nd * reference.flopsPerSecond * compute.trainingFlops) / (compute.trainingFlops6nd * peak);
    out.push({
      model,
      gpu,
      gpuHoursBasis: hours.basis,
      coverage: run.coverage?.value ?? 'unknown',
      observation: {
        name: model.name,
        family: gpu.family,
        trainingFlops: compute.trainingFlops,
        peakFlopsPerSecond: peak,
        sixteenBitPeakFlopsPerSecond: reference.flopsPerSecond,
        structure: runStructure(peak, reference.flopsPerSecond, moe),
        moe,
        gpuHours: hours.gpuHours,
        goodput: gpus ? goodputFor(failures, gpus, model.params.value).goodput : 1,
        steadyStateMfu,
      },
    });
  }
  return out;
}

/** Returns the per-token FLOP shape of a model preset, for converting between FLOP conventions. */
export function conventionShape(model: ModelPreset): ConventionShape {
  const params = model.activeParams?.value ?? model.params.value;
  const a = model.architecture;
  if (!a) return { params };
  return {
    params,
    embeddingTableParams: a.vocabSize === undefined ? undefined : a.vocabSize * a.dModel,
    tiedEmbeddings: a.tiedEmbeddings ?? true,
    attentionFlopsPerToken: attentionFlopsPerToken(attentionShapeOf(a)),
  };
}

/** A published steady-state throughput of a run, as an MFU counted by 6·N·D. */
export interface MeasuredThroughput {
  name: string;
  /** Which published figure it is computed from. */
  basis: 'tokens/s per GPU' | 'step time' | 'TFLOP/s per GPU' | 'MFU';
  /** The published figure as given (tokens/s, seconds per step, TFLOP/s or a fraction). */
  reported: number;
  /** How the published figure counts FLOPs (absent fields: not stated). */
  convention: FlopConvention;
  /** From the published convention to 6·N·D (factor 1 for token rates and step times). */
  conversion: Conversion;
  /** Steady-state MFU in the 6·N·D convention, against the bf16 (or fp16) dense peak. */
  mfu6nd: number;
  /** MFU that the run's published accelerator-hours imply (6·N·D, failures not taken out), for backtest runs. */
  runMfu6nd?: number;
  /** runMfu6nd / mfu6nd: the share of its own measured throughput that the run's hours imply. */
  runShare?: number;
}

const NO_CONVERSION: Conversion = { factor: 1, steps: [], unknown: [], missing: [] };

/**
 * Returns every steady-state throughput figure a run publishes, each as 6·N·D MFU, most direct
 * first: a token rate, a step time (with the plan's global batch), a TFLOP/s rate, an MFU (pure).
 */
export function publishedThroughputs(presets: PresetSet, model: ModelPreset): Omit<MeasuredThroughput, 'runMfu6nd' | 'runShare'>[] {
  const run = model.run;
  const gpu = run && presets.gpus.get(run.gpu);
  const peak = gpu && referencePeak(gpu);
  if (!run || !peak) return [];
  const shape = conventionShape(model);
  const t = run.throughput;
  const perPeak = (flopsPerSecond: number): number => flopsPerSecond / peak.flopsPerSecond;
  const sixNd = (tokensPerSecondPerGpu: number): number => perPeak(tokensPerSecondPerGpu * 6 * shape.params);
  const out: Omit<MeasuredThroughput, 'runMfu6nd' | 'runShare'>[] = [];
  const name = model.name;
  if (t?.tokensPerSecondPerGpu !== undefined) {
    out.push({ name, basis: 'tokens/s per GPU', reported: t.tokensPerSecondPerGpu, convention: {}, conversion: NO_CONVERSION, mfu6nd: sixNd(t.tokensPerSecondPerGpu) });
  }
  const gpus = t?.gpus ?? run.gpus?.value;
  const batch = run.plan?.globalBatch;
  const seqLen = run.plan?.seqLen ?? model.architecture?.seqLen;
  if (t?.stepSeconds !== undefined && gpus && batch && seqLen) {
    out.push({ name, basis: 'step time', reported: t.stepSeconds, convention: {}, conversion: NO_CONVERSION, mfu6nd: sixNd((batch * seqLen) / t.stepSeconds / gpus) });
  }
  if (t?.tflopsPerGpu !== undefined) {
    const convention = t.flops ?? {};
    const conversion = convertFlops(shape, convention, SIX_ND);
    out.push({ name, basis: 'TFLOP/s per GPU', reported: t.tflopsPerGpu, convention, conversion, mfu6nd: perPeak(t.tflopsPerGpu * 1e12) * conversion.factor });
  }
  if (run.mfu) {
    const convention = run.mfu.flops ?? {};
    const conversion = convertFlops(shape, convention, SIX_ND);
    out.push({ name, basis: 'MFU', reported: run.mfu.value, convention, conversion, mfu6nd: run.mfu.value * conversion.factor });
  }
  return out;
}

/**
 * Returns every preset run that publishes a steady-state throughput (tokens/s, step time, TFLOP/s
 * or MFU), its most direct figure converted to the 6·N·D convention, with the share of it that the
 * run's published hours imply where the run is a backtest observation (pure).
 */
export function measuredThroughputs(presets: PresetSet): MeasuredThroughput[] {
  const observed = new Map(publishedRuns(presets, '6nd').map((r) => [r.model.name, r.observation]));
  const out: MeasuredThroughput[] = [];
  for (const model of presets.models.values()) {
    const m = publishedThroughputs(presets, model)[0];
    if (!m) continue;
    const o = observed.get(model.name);
    if (!o) {
      out.push(m);
      continue;
    }
    const reference = presets.gpus.get(model.run?.gpu ?? '');
    const peak16 = reference ? (referencePeak(reference)?.flopsPerSecond ?? o.peakFlopsPerSecond) : o.peakFlopsPerSecond;
    const runMfu6nd = o.trainingFlops / (peak16 * o.gpuHours * 3600);
    out.push({ ...m, runMfu6nd, runShare: runMfu6nd / m.mfu6nd });
  }
  return out;
}
