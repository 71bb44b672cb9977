import { ComputeError } from '../errors.js';
import { amortizedCost, capexUsd, cloudCostUsd, co2Tonnes, gpuCapexUsd, type AmortizationAssumptions } from './cost.js';
import { energyCostUsd, energyKwh, facilityPowerMw, householdsPowered } from './power.js';
import { memoryFor, type ActivationArchitecture, type ActivationPlan, type MemoryResult, type PlanMemoryView } from './memory.js';
import { goodputFor, reliabilityFor, type FailureModel, type Reliability } from './reliability.js';
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
  /** Steady-state model FLOPs utilization: fraction of the peak achieved while training (0–1]. */
  mfu: number;
  /** Run utilization (0–1]: what evaluation, stragglers, idle allocation and restarts after divergence leave of the steady state (failures apart); 1 when undefined. */
  runUtilization?: number | undefined;
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
  /** Power usage effectiveness of the facility, multiplies the power factor (1 when it is all-in). */
  pue?: number | undefined;
  /** Cloud price of one GPU-hour, USD; no cloud cost without it. */
  usdPerGpuHour?: number | undefined;
  /** Epoch AI's amortized-cost assumptions; no amortized cost without them (or a GPU price). */
  amortization?: AmortizationAssumptions | undefined;
  /** Grid carbon intensity, kg CO2 per kWh; no CO2 figure without it. */
  gridKgCo2PerKwh?: number | undefined;
  /** The stated range as factors on the wall-clock and GPU-hours (e.g. the 80 % interval of the backtest's residuals). */
  rangeFactors?: readonly [number, number] | undefined;
  /** Total parameters (MoE: all experts): sets checkpoint and training-state size. */
  params?: number | undefined;
  /** Interruptions, checkpoints and restarts; a failure-free run when undefined. */
  failures?: FailureModel | undefined;
  /** Memory of one GPU and state per parameter; no memory view when undefined. */
  memory?:
    | {
        bytesPerParam: number;
        gpuMemoryBytes: number;
        /** Architecture and parallel plan for activations; none computed without them. */
        activations?: { arch: ActivationArchitecture; plan: Omit<ActivationPlan, 'recompute'> } | undefined;
        /** The evaluated plan's memory (the throughput model's), which then replaces the activations above and decides `fits`. */
        plan?: PlanMemoryView | undefined;
      }
    | undefined;
}

/** What one training run costs in time, money and power; base units, names carry the unit. */
export interface RunResult {
  trainingFlops: number;
  clusterPeakFlopsPerSecond: number;
  effectiveFlopsPerSecond: number;
  /** Wall-clock including failures (equal to the ideal one without a failure model), seconds. */
  wallClockSeconds: number;
  wallClockDays: number;
  /** Failure-free wall-clock, seconds. */
  idealWallClockSeconds: number;
  idealWallClockDays: number;
  gpuHours: number;
  /** Share of wall-clock that is useful training after failures (1 without a failure model). */
  goodput: number;
  runUtilization: number;
  /** Steady-state MFU (the input `mfu`) x goodput x runUtilization: what the GPU-hours imply over the whole run. */
  runMfu: number;
  /** [low, high] wall-clock days: the estimate x rangeFactors. */
  wallClockDaysRange?: [number, number];
  gpuHoursRange?: [number, number];
  gpuCapexUsd?: number;
  capexUsd?: number;
  cloudCostUsd?: number;
  amortizedGpuCapexUsd?: number;
  amortizedCapexUsd?: number;
  amortizedEnergyUsd?: number;
  amortizedCostUsd?: number;
  co2Tonnes?: number;
  powerMw?: number;
  energyKwh?: number;
  energyCostUsd?: number;
  energyShareOfCapex?: number;
  households?: number;
  reliability?: Reliability;
  memory?: MemoryResult;
}

/**
 * Returns time, cost, power and energy of a training run (base units).
 * @example estimateRun({ trainingFlops: 3.8e25, gpus: 16000, gpuPeakFlopsPerSecond: 1979e12, mfu: 1, ... }).wallClockSeconds // ≈ 1.2e6
 */
export function estimateRun(inputs: RunInputs): RunResult {
  const peak = clusterPeakFlopsPerSecond(inputs.gpus, inputs.gpuPeakFlopsPerSecond);
  const utilization = inputs.runUtilization ?? 1;
  // GPU-hours = FLOPs / (GPUs x peak x steady-state MFU x goodput x run utilization).
  const effective = effectiveFlopsPerSecond(peak, inputs.mfu * utilization);
  const idealSeconds = secondsForFlops(inputs.trainingFlops, effective);
  const reliability = inputs.failures ? reliabilityFor(inputs.failures, inputs.gpus, inputs.params, idealSeconds) : undefined;
  const wallClockSeconds = reliability ? idealSeconds / reliability.goodput : idealSeconds;
  const result: RunResult = {
    trainingFlops: inputs.trainingFlops,
    clusterPeakFlopsPerSecond: peak,
    effectiveFlopsPerSecond: effective,
    wallClockSeconds,
    wallClockDays: secondsToDays(wallClockSeconds),
    idealWallClockSeconds: idealSeconds,
    idealWallClockDays: secondsToDays(idealSeconds),
    gpuHours: gpuHours(inputs.gpus, wallClockSeconds),
    goodput: reliability?.goodput ?? 1,
    runUtilization: utilization,
    runMfu: inputs.mfu * utilization * (reliability?.goodput ?? 1),
  };
  if (inputs.rangeFactors) {
    const [low, high] = inputs.rangeFactors;
    result.wallClockDaysRange = [result.wallClockDays * low, result.wallClockDays * high];
    result.gpuHoursRange = [result.gpuHours * low, result.gpuHours * high];
  }
  if (inputs.usdPerGpuHour !== undefined) result.cloudCostUsd = cloudCostUsd(result.gpuHours, inputs.usdPerGpuHour);
  if (inputs.gpuPriceUsd !== undefined && inputs.amortization !== undefined) {
    Object.assign(result, amortizedCost(inputs.gpuPriceUsd, result.gpuHours, inputs.tdpW, inputs.electricityUsdPerKwh, inputs.amortization));
  }
  if (reliability) result.reliability = reliability;
  if (inputs.memory && inputs.params !== undefined) {
    const { bytesPerParam, gpuMemoryBytes, activations, plan } = inputs.memory;
    result.memory = memoryFor(inputs.params, bytesPerParam, gpuMemoryBytes, inputs.gpus, activations, plan);
  }
  if (inputs.gpuPriceUsd !== undefined) {
    result.gpuCapexUsd = gpuCapexUsd(inputs.gpus, inputs.gpuPriceUsd);
    result.capexUsd = capexUsd(result.gpuCapexUsd, inputs.capexMultiplier);
  }
  if (inputs.tdpW !== undefined) {
    const powerMw = facilityPowerMw(inputs.gpus, inputs.tdpW, inputs.powerFactor * (inputs.pue ?? 1));
    result.powerMw = powerMw;
    result.energyKwh = energyKwh(powerMw, wallClockSeconds);
    result.energyCostUsd = energyCostUsd(result.energyKwh, inputs.electricityUsdPerKwh);
    result.households = householdsPowered(powerMw, inputs.householdKw);
    if (inputs.gridKgCo2PerKwh !== undefined) result.co2Tonnes = co2Tonnes(result.energyKwh, inputs.gridKgCo2PerKwh);
    if (result.capexUsd !== undefined && result.capexUsd > 0) result.energyShareOfCapex = result.energyCostUsd / result.capexUsd;
  }
  assertFinite(result, inputs);
  if (result.reliability) assertFinite(result.reliability, inputs);
  if (result.memory) assertFinite(result.memory, inputs);
  return result;
}

/** Returns goodput (fraction of wall-clock training) for a run, 1 without a failure model. */
export function runGoodput(inputs: Pick<RunInputs, 'failures' | 'gpus' | 'params'>): number {
  return inputs.failures ? goodputFor(inputs.failures, inputs.gpus, inputs.params).goodput : 1;
}

/** Returns true when every number in `values` (top level, and inside arrays) is finite. */
function allFinite(values: object): boolean {
  for (const key in values) {
    const v = (values as Record<string, unknown>)[key];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
    } else if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'number' && !Number.isFinite(x)) return false;
    }
  }
  return true;
}

/**
 * Throws a ComputeError naming the inputs when any number in `values` is NaN or ±Infinity,
 * so that no non-finite number ever reaches an output.
 */
export function assertFinite(values: object, inputs: object): void {
  if (allFinite(values)) return; // the common case, checked without allocating (sweeps call this per point)
  const bad = Object.entries(values).filter(([, v]) =>
    Array.isArray(v) ? v.some((x) => typeof x === 'number' && !Number.isFinite(x)) : typeof v === 'number' && !Number.isFinite(v),
  );
  if (bad.length === 0) return;
  const named = Object.entries(inputs)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  throw new ComputeError(
    `${bad.map(([k]) => k).join(', ')} would not be a finite number (overflow or division by zero) for inputs ${named}`,
    bad.map(([k]) => k),
  );
}
