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

/**
 * Returns the hardware's depreciation over the run in USD, Epoch AI's amortized-capex method
 * (Cottier et al. 2024, §2.1): value × GPU-hours / 8760 × r·ln 10, r in orders of magnitude per year.
 * @example amortizedCapexUsd(30_000, 30.84e6, 0.14) // ≈ 3.40e7
 */
export function amortizedCapexUsd(gpuPriceUsd: number, gpuHours: number, depreciationOomPerYear: number): number {
  return ((gpuPriceUsd * gpuHours) / 8760) * depreciationOomPerYear * Math.LN10;
}

/** Returns tonnes of CO2 for `kwh` at a grid intensity in kg CO2 per kWh. */
export function co2Tonnes(kwh: number, kgCo2PerKwh: number): number {
  return (kwh * kgCo2PerKwh) / 1000;
}
