/** Returns the GPUs' purchase cost in USD: count × unit price (USD). */
export function gpuCapexUsd(gpus: number, gpuPriceUsd: number): number {
  return gpus * gpuPriceUsd;
}

/**
 * Returns total build cost in USD: GPU spend × capex multiplier (2.0 when the facility, network
 * and everything else cost as much as the GPUs: the seed article's "facility = 50 % of total").
 */
export function capexUsd(gpuCapex: number, capexMultiplier: number): number {
  return gpuCapex * capexMultiplier;
}

/** Returns the cloud bill in USD: GPU-hours × price per GPU-hour (USD). */
export function cloudCostUsd(gpuHours: number, usdPerGpuHour: number): number {
  return gpuHours * usdPerGpuHour;
}

/** Hours in Epoch AI's year (365.25 days, training-cost-trends constants.py HOURS_PER_YEAR). */
const HOURS_PER_YEAR = 8766;

/**
 * The assumptions of Epoch AI's amortized hardware CapEx + energy method (Cottier et al. 2024,
 * "The rising costs of training frontier AI models", arXiv:2405.21015, §2; code:
 * github.com/epoch-research/training-cost-trends). Defaults and sources in presets/defaults.json.
 */
export interface AmortizationAssumptions {
  /** Hardware value decline, orders of magnitude per year (0.14: ML GPU price-performance). */
  depreciationOomPerYear: number;
  /** Server cost per GPU / GPU price (CPUs, memory, chassis: 1.64, P100 1.54 to V100 1.69). */
  serverCostOverhead: number;
  /** Cluster-level interconnect as a fraction of the whole cluster's cost (0.19). */
  interconnectCostFraction: number;
  /** Years from buying the hardware to the start of training: its value has fallen meanwhile. */
  hardwareAgeYears: number;
  /** Average facility W per W of GPU TDP: server power / chip power x average draw x PUE. */
  powerPerTdp: number;
}

/** Epoch AI's amortized cost of one run and its parts, USD. */
export interface AmortizedCost {
  /** The GPUs' share of the amortized hardware (the chip term alone). */
  amortizedGpuCapexUsd: number;
  /** GPUs, other server components and cluster-level interconnect, amortized over the run. */
  amortizedCapexUsd: number;
  /** Energy by Epoch's server-power model; absent without a TDP. */
  amortizedEnergyUsd?: number;
  /** Amortized hardware CapEx + energy: Epoch's headline training cost; absent without a TDP. */
  amortizedCostUsd?: number;
}

/**
 * Returns a run's cost by Epoch AI's amortized hardware CapEx + energy method (Cottier et al. 2024,
 * training-cost-trends cost_estimation.py): the server value per GPU (price x server overhead)
 * depreciated by r orders of magnitude a year from acquisition to training start, charged at
 * r·ln 10 of its value a year for the GPU-hours used, plus the cluster interconnect (a fraction f of
 * the whole: x f/(1 − f)), plus energy (GPU-hours x TDP x power per TDP x electricity price).
 * @example amortizedCost(30_000, 30.84e6, 700, 0.083, { depreciationOomPerYear: 0.14, serverCostOverhead: 1.64, interconnectCostFraction: 0.19, hardwareAgeYears: 0, powerPerTdp: 1.5 }).amortizedCapexUsd // ≈ 6.89e7
 */
export function amortizedCost(
  gpuPriceUsd: number,
  gpuHours: number,
  tdpW: number | undefined,
  electricityUsdPerKwh: number,
  a: AmortizationAssumptions,
): AmortizedCost {
  const valueAtStart = gpuPriceUsd * a.serverCostOverhead * 10 ** (-a.depreciationOomPerYear * a.hardwareAgeYears);
  const serverUsd = ((valueAtStart * a.depreciationOomPerYear * Math.LN10) / HOURS_PER_YEAR) * gpuHours;
  const amortizedCapexUsd = serverUsd / (1 - a.interconnectCostFraction);
  const result: AmortizedCost = { amortizedGpuCapexUsd: serverUsd / a.serverCostOverhead, amortizedCapexUsd };
  if (tdpW !== undefined) {
    result.amortizedEnergyUsd = ((gpuHours * tdpW * a.powerPerTdp) / 1000) * electricityUsdPerKwh;
    result.amortizedCostUsd = amortizedCapexUsd + result.amortizedEnergyUsd;
  }
  return result;
}

/** Returns tonnes of CO2 for `kwh` at a grid intensity in kg CO2 per kWh. */
export function co2Tonnes(kwh: number, kgCo2PerKwh: number): number {
  return (kwh * kgCo2PerKwh) / 1000;
}
