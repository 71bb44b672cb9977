import { ComputeError } from '../errors.js';
import { capexUsd, gpuCapexUsd } from './cost.js';
import { energyCostUsd, energyKwh, facilityPowerMw, householdsPowered } from './power.js';
import {
  clusterPeakFlopsPerSecond,
  effectiveFlopsPerSecond,
  gpuHours,
  secondsForFlops,
  secondsToDays,
} from './time.js';

/** The numbers one training run is computed from, all in base units. */
export interface RunInputs {
  /** Training compute, FLOPs. */
  trainingFlops: number;
  /** Number of GPUs (accelerators). */
  gpus: number;
  /** Dense peak of one GPU at the chosen precision, FLOP/s. */
  gpuPeakFlopsPerSecond: number;
  /** Model FLOPs utilization, fraction of peak achieved (0–1]. */
  mfu: number;
  /** Unit price of one GPU, USD; capex is not computed without it. */
  gpuPriceUsd?: number | undefined;
  /** Total capex / GPU capex. */
  capexMultiplier: number;
  /** Thermal design power of one GPU, W; power and energy are not computed without it. */
  tdpW?: number | undefined;
  /** All-in facility W per W of GPU TDP. */
  powerFactor: number;
  /** Electricity price, USD/kWh. */
  electricityUsdPerKwh: number;
  /** Average household draw, kW. */
  householdKw: number;
}

/** What one training run costs in time, money and power; base units, names carry the unit. */
export interface RunResult {
  trainingFlops: number;
  clusterPeakFlopsPerSecond: number;
  effectiveFlopsPerSecond: number;
  wallClockSeconds: number;
  wallClockDays: number;
  gpuHours: number;
  gpuCapexUsd?: number;
  capexUsd?: number;
  powerMw?: number;
  energyKwh?: number;
  energyCostUsd?: number;
  energyShareOfCapex?: number;
  households?: number;
}

/**
 * Returns time, cost, power and energy of a training run (base units).
 * @example estimateRun({ trainingFlops: 3.8e25, gpus: 16000, gpuPeakFlopsPerSecond: 1979e12, mfu: 1, ... }).wallClockSeconds // ≈ 1.2e6
 */
export function estimateRun(inputs: RunInputs): RunResult {
  const peak = clusterPeakFlopsPerSecond(inputs.gpus, inputs.gpuPeakFlopsPerSecond);
  const effective = effectiveFlopsPerSecond(peak, inputs.mfu);
  const wallClockSeconds = secondsForFlops(inputs.trainingFlops, effective);
  const result: RunResult = {
    trainingFlops: inputs.trainingFlops,
    clusterPeakFlopsPerSecond: peak,
    effectiveFlopsPerSecond: effective,
    wallClockSeconds,
    wallClockDays: secondsToDays(wallClockSeconds),
    gpuHours: gpuHours(inputs.gpus, wallClockSeconds),
  };
  if (inputs.gpuPriceUsd !== undefined) {
    result.gpuCapexUsd = gpuCapexUsd(inputs.gpus, inputs.gpuPriceUsd);
    result.capexUsd = capexUsd(result.gpuCapexUsd, inputs.capexMultiplier);
  }
  if (inputs.tdpW !== undefined) {
    const powerMw = facilityPowerMw(inputs.gpus, inputs.tdpW, inputs.powerFactor);
    result.powerMw = powerMw;
    result.energyKwh = energyKwh(powerMw, wallClockSeconds);
    result.energyCostUsd = energyCostUsd(result.energyKwh, inputs.electricityUsdPerKwh);
    result.households = householdsPowered(powerMw, inputs.householdKw);
    if (result.capexUsd !== undefined && result.capexUsd > 0) result.energyShareOfCapex = result.energyCostUsd / result.capexUsd;
  }
  assertFinite(result, inputs);
  return result;
}

/**
 * Throws a ComputeError naming the inputs when any number in `values` is NaN or ±Infinity,
 * so that no non-finite number ever reaches an output.
 */
export function assertFinite(values: object, inputs: object): void {
  const bad = Object.entries(values).filter(([, v]) => typeof v === 'number' && !Number.isFinite(v));
  if (bad.length === 0) return;
  const named = Object.entries(inputs)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  throw new ComputeError(
    `${bad.map(([k]) => k).join(', ')} would not be a finite number (overflow or division by zero) for inputs ${named}`,
  );
}
