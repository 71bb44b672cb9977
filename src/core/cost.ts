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
