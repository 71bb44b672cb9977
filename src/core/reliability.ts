import { SECONDS_PER_HOUR } from './units.js';

/** How often a job is interrupted and what each interruption and checkpoint costs. */
export interface FailureModel {
  /** Mean time between interruptions of ONE GPU (with its share of host, network, software), hours. */
  gpuMtbfHours: number;
  /**
   * Time from an interruption to training again, before the checkpoint is read back (detect,
   * reschedule, restart the processes, re-initialize communication), seconds; reading the
   * checkpoint (its write time again) is added to it.
   */
  restartSeconds: number;
  /** Time to write one checkpoint, seconds; or derived from the state size when undefined. */
  checkpointSeconds?: number | undefined;
  /** Bytes per parameter a checkpoint holds (weights and optimizer state; gradients are not saved), for the derived checkpoint size. */
  checkpointBytesPerParam: number;
  /** Storage write bandwidth for checkpoints, bytes/s. */
  storageBytesPerSecond: number;
  /** Fixed checkpoint interval, seconds; Daly's higher-order optimum when undefined. */
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
  /** Restart time including reading the checkpoint back, minutes. */
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
 * Returns Young's first-order optimum checkpoint interval in seconds, τ = √(2·δ·M) (Young 1974,
 * "A first order approximation to the optimum checkpoint interval"), for
 * checkpoint time δ and job MTBI M, both in seconds.
 * @example youngIntervalSeconds(300, 86_400) // 7,200 (120 min)
 */
export function youngIntervalSeconds(checkpointSeconds: number, jobMtbiSeconds: number): number {
  return Math.sqrt(2 * checkpointSeconds * jobMtbiSeconds);
}

/**
 * Returns Daly's higher-order optimum checkpoint interval in seconds (Daly 2006, "A higher order
 * estimate of the optimum checkpoint interval for restart dumps", its perturbation solution):
 * τ = √(2δM)·[1 + ⅓·√(δ/(2M)) + δ/(18M)] − δ for δ < 2M, and τ = M otherwise.
 * @example dalyIntervalSeconds(300, 86_400) // ≈ 7,001 (117 min: Daly's Fig. 3, M = 24 h, δ = 5 min)
 */
export function dalyIntervalSeconds(checkpointSeconds: number, jobMtbiSeconds: number): number {
  const d = checkpointSeconds;
  const m = jobMtbiSeconds;
  if (d >= 2 * m) return m;
  const x = d / (2 * m);
  return Math.sqrt(2 * d * m) * (1 + Math.sqrt(x) / 3 + x / 9) - d;
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
  const { goodput, checkpointSeconds, intervalSeconds, jobMtbiSeconds, restartSeconds } = goodputFor(model, gpus, params);
  const wallSeconds = idealSeconds / goodput;
  return {
    jobMtbiHours: jobMtbiSeconds / SECONDS_PER_HOUR,
    interruptionsPerDay: 86_400 / jobMtbiSeconds,
    interruptions: wallSeconds / jobMtbiSeconds,
    checkpointSeconds,
    checkpointIntervalMinutes: intervalSeconds / 60,
    restartMinutes: restartSeconds / 60,
    goodput,
    lostGpuHours: (gpus * (wallSeconds - idealSeconds)) / SECONDS_PER_HOUR,
  };
}

/**
 * Returns goodput and the times behind it for `gpus` GPUs and `params` parameters (seconds). The
 * restart grows with the model, not the GPU count: the checkpoint is read back at the write
 * bandwidth, while recovery systems keep the rest constant in scale (FlashRecovery,
 * arXiv:2509.03047: 150 s on 4,800 devices, "nearly consistent for different scales").
 */
export function goodputFor(
  model: FailureModel,
  gpus: number,
  params: number | undefined,
): { goodput: number; checkpointSeconds: number; intervalSeconds: number; jobMtbiSeconds: number; restartSeconds: number } {
  const jobMtbiSeconds = jobMtbiHours(model.gpuMtbfHours, gpus) * SECONDS_PER_HOUR;
  const checkpointSeconds =
    model.checkpointSeconds ??
    checkpointSecondsFor((params ?? Number.NaN) * model.checkpointBytesPerParam, model.storageBytesPerSecond);
  const intervalSeconds = model.checkpointIntervalSeconds ?? dalyIntervalSeconds(checkpointSeconds, jobMtbiSeconds);
  const restartSeconds = model.restartSeconds + checkpointSeconds;
  return {
    goodput: dalyGoodput(intervalSeconds, checkpointSeconds, restartSeconds, jobMtbiSeconds),
    checkpointSeconds,
    intervalSeconds,
    jobMtbiSeconds,
    restartSeconds,
  };
}

/**
 * Returns the goodput the same run would have with restarts of `restartSeconds` instead: in Daly's
 * model the restart enters only as e^(R/M), and the optimum interval does not depend on it.
 */
export function goodputWithRestart(r: Reliability, restartSeconds: number): number {
  const m = r.jobMtbiHours * SECONDS_PER_HOUR;
  return Math.min(1, r.goodput * Math.exp((r.restartMinutes * 60 - restartSeconds) / m));
}
