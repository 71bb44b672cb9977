import type { RunObservation } from '../core/calibration.js';
import { trainingCompute, type FlopsMethod } from '../core/compute.js';
import { OPTIMIZERS } from '../core/memory.js';
import { goodputFor, type FailureModel } from '../core/reliability.js';
import type { Located, PresetSet } from './parse.js';
import type { GpuPreset, ModelPreset } from './schema.js';

/** Returns the dense peak (FLOP/s) of the precision MFU is referred to: bf16, or fp16 on parts without it. */
export function referencePeak(gpu: GpuPreset): { precision: 'bf16' | 'fp16'; flopsPerSecond: number } | undefined {
  const peak = gpu.peakTflops.bf16 ?? gpu.peakTflops.fp16;
  if (!peak) return undefined;
  return { precision: gpu.peakTflops.bf16 ? 'bf16' : 'fp16', flopsPerSecond: peak.value * 1e12 };
}

/** Returns the failure model of the global defaults (for published runs, whose restarts are unknown). */
export function defaultFailureModel(presets: PresetSet): FailureModel {
  const d = presets.defaults;
  return {
    gpuMtbfHours: d.gpuMtbfHours.value,
    restartSeconds: d.restartMinutes.value * 60,
    stateBytesPerParam: OPTIMIZERS[d.optimizer.value],
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
}

/**
 * Returns every preset run that reports accelerator-hours (or wall-clock and a GPU count), as
 * observations for MFU calibration and the backtest (pure).
 */
export function publishedRuns(presets: PresetSet, method: FlopsMethod = presets.defaults.flopsMethod.value): PublishedRun[] {
  const failures = defaultFailureModel(presets);
  const out: PublishedRun[] = [];
  for (const model of presets.models.values()) {
    const run = model.run;
    if (!run) continue;
    const gpu = presets.gpus.get(run.gpu);
    const peak = gpu && referencePeak(gpu);
    if (!gpu || !peak) continue;
    const gpus = run.gpus?.value;
    const reported = run.gpuHours?.value;
    const fromDays = run.wallClockDays && gpus ? run.wallClockDays.value * 24 * gpus : undefined;
    const gpuHours = reported ?? fromDays;
    if (gpuHours === undefined) continue;
    const architecture = computeArchitecture(model);
    const flops = trainingCompute({
      params: model.params.value,
      activeParams: model.activeParams?.value,
      tokens: model.tokens.value,
      architecture,
      method: architecture ? method : '6nd',
    }).trainingFlops;
    out.push({
      model,
      gpu,
      gpuHoursBasis: reported !== undefined ? 'reported' : 'wall-clock x GPUs',
      observation: {
        name: model.name,
        family: gpu.family,
        trainingFlops: flops,
        referencePeakFlopsPerSecond: peak.flopsPerSecond,
        gpuHours,
        goodput: gpus ? goodputFor(failures, gpus, model.params.value).goodput : 1,
      },
    });
  }
  return out;
}
