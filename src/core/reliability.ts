import { SECONDS_PER_HOUR } from './units.js';

/** How often a job is interrupted and what each interruption and checkpoint costs. */
export interface FailureModel {
  /** Mean time between interruptions of ONE GPU (with its share of host, network, software), hours. */
  gpuMtbfHours: number;
  /** Time from an interruption to training again (detect, reschedule, reload), seconds. */
  restartSeconds: number;
  /** Time to write one checkpoint, seconds; or derived from the state size when undefined. */
  checkpointSeconds?: number | undefined;
  /** Training-state bytes per parameter, for the derived checkpoint size. */
  stateBytesPerParam: number;
  /** Storage write bandwidth for checkpoints, bytes/s. */
  storageBytesPerSecond: number;
  /** Fixed checkpoint interval, seconds; the Young/Daly optimum when undefined. */
  checkpointIntervalSeconds?: number | undefined;
}

/** What failures do to a run, all in base units except where the name says otherwise. */
export interface Reliability {
  /** Mean time between interruptions of the whole job, hours. */
  jobMtbiHours: number;
  interruptionsPerDay: number;
  /** Expected interruptions over the run. */
  interruptions: number;
  checkpointSeconds: number;
  checkpointIntervalMinutes: number;
  restartMinutes: number;
  /** Fraction of wall-clock spent on useful training (0–1]. */
  goodput: number;
  /** GPU-hours lost to checkpoints, rework and restarts. */
  lostGpuHours: number;
}

/**
 * Returns the job's mean time between interruptions in hours: per-GPU MTBF / GPU count
 * (independent failures, so rates add).
 * @example jobMtbiHours(50_677, 16_384) // ≈ 3.09 (Llama 3: 419 interruptions in 54 days)
 */
export function jobMtbiHours(gpuMtbfHours: number, gpus: number): number {
  return gpuMtbfHours / gpus;
}

/**
 * Returns the per-GPU MTBF in hours implied by `interruptions` seen over `days` on `gpus` GPUs.
 * @example gpuMtbfFromObservation(419, 54, 16_384) // ≈ 50,677 (Llama 3 paper §3.3.4)
 */
export function gpuMtbfFromObservation(interruptions: number, days: number, gpus: number): number {
  return (gpus * days * 24) / interruptions;
}

/**
 * Returns Young's optimum checkpoint interval in seconds, τ = √(2·δ·M)
 * (Young 1974; Daly 2006 eq. 1), for checkpoint time δ and job MTBI M, both in seconds.
 * @example youngDalyIntervalSeconds(60, 3600) // ≈ 657
 */
export function youngDalyIntervalSeconds(checkpointSeconds: number, jobMtbiSeconds: number): number {
  return Math.sqrt(2 * checkpointSeconds * jobMtbiSeconds);
}

/**
 * Returns goodput, the fraction of wall-clock doing useful training, by Daly's exponential model
 * (Daly 2006, "A higher order estimate of the optimum checkpoint interval", eq. 12):
 * T_wall / T_work = M·e^(R/M)·(e^((τ+δ)/M) − 1) / τ, for interval τ, checkpoint δ, restart R, MTBI M (seconds).
 * Valid for any ratio of the times, so it degrades gracefully when failures outpace checkpoints.
 */
export function dalyGoodput(intervalSeconds: number, checkpointSeconds: number, restartSeconds: number, jobMtbiSeconds: number): number {
  const m = jobMtbiSeconds;
  if (intervalSeconds === 0) return Math.exp(-restartSeconds / m);
  // expm1 keeps precision when (τ+δ) ≪ M, e.g. one GPU.
  return intervalSeconds / (m * Math.exp(restartSeconds / m) * Math.expm1((intervalSeconds + checkpointSeconds) / m));
}

/** Returns the checkpoint write time in seconds: state bytes / write bandwidth (bytes/s). */
export function checkpointSecondsFor(stateBytes: number, storageBytesPerSecond: number): number {
  return stateBytes / storageBytesPerSecond;
}

/**
 * Returns the failure model's effect on a run of `gpus` GPUs with `params` parameters (total; sets
 * the checkpoint size), for `idealSeconds` of failure-free training.
 */
export function reliabilityFor(model: FailureModel, gpus: number, params: number | undefined, idealSeconds: number): Reliability {
  const { goodput, checkpointSeconds, intervalSeconds, jobMtbiSeconds } = goodputFor(model, gpus, params);
  const wallSeconds = idealSeconds / goodput;
  return {
    jobMtbiHours: jobMtbiSeconds / SECONDS_PER_HOUR,
    interruptionsPerDay: 86_400 / jobMtbiSeconds,
    interruptions: wallSeconds / jobMtbiSeconds,
    checkpointSeconds,
    checkpointIntervalMinutes: intervalSeconds / 60,
    restartMinutes: model.restartSeconds / 60,
    goodput,
    lostGpuHours: (gpus * (wallSeconds - idealSeconds)) / SECONDS_PER_HOUR,
  };
}

/** Returns goodput and the times behind it for `gpus` GPUs and `params` parameters (seconds). */
export function goodputFor(
  model: FailureModel,
  gpus: number,
  params: number | undefined,
): { goodput: number; checkpointSeconds: number; intervalSeconds: number; jobMtbiSeconds: number } {
  const jobMtbiSeconds = jobMtbiHours(model.gpuMtbfHours, gpus) * SECONDS_PER_HOUR;
  const checkpointSeconds =
    model.checkpointSeconds ??
    checkpointSecondsFor((params ?? Number.NaN) * model.stateBytesPerParam, model.storageBytesPerSecond);
  const intervalSeconds = model.checkpointIntervalSeconds ?? youngDalyIntervalSeconds(checkpointSeconds, jobMtbiSeconds);
  return { goodput: dalyGoodput(intervalSeconds, checkpointSeconds, model.restartSeconds, jobMtbiSeconds), checkpointSeconds, intervalSeconds, jobMtbiSeconds };
}
