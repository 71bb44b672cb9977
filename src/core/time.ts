import { SECONDS_PER_DAY, SECONDS_PER_HOUR } from './units.js';

/** Returns a cluster's peak rate in FLOP/s: GPU count × per-GPU dense peak (FLOP/s). */
export function clusterPeakFlopsPerSecond(gpus: number, gpuPeakFlopsPerSecond: number): number {
  return gpus * gpuPeakFlopsPerSecond;
}

/** Returns the rate actually achieved in FLOP/s: peak (FLOP/s) × model FLOPs utilization (0–1]. */
export function effectiveFlopsPerSecond(peakFlopsPerSecond: number, mfu: number): number {
  return peakFlopsPerSecond * mfu;
}

/** Returns the seconds needed to do `trainingFlops` FLOPs at `flopsPerSecond`. */
export function secondsForFlops(trainingFlops: number, flopsPerSecond: number): number {
  return trainingFlops / flopsPerSecond;
}

/** Returns days from seconds. */
export function secondsToDays(seconds: number): number {
  return seconds / SECONDS_PER_DAY;
}

/** Returns GPU-hours: GPU count × wall-clock seconds / 3600. */
export function gpuHours(gpus: number, wallClockSeconds: number): number {
  return (gpus * wallClockSeconds) / SECONDS_PER_HOUR;
}
