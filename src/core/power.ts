import { SECONDS_PER_HOUR } from './units.js';

/** Returns the facility's all-in power in MW: GPUs × TDP (W) × power factor (facility W per GPU W) / 1e6. */
export function facilityPowerMw(gpus: number, tdpW: number, powerFactor: number): number {
  return (gpus * tdpW * powerFactor) / 1e6;
}

/** Returns energy in kWh drawn at `powerMw` for `seconds`. */
export function energyKwh(powerMw: number, seconds: number): number {
  return powerMw * 1000 * (seconds / SECONDS_PER_HOUR);
}

/** Returns the energy bill in USD: kWh × price (USD/kWh). */
export function energyCostUsd(kwh: number, electricityUsdPerKwh: number): number {
  return kwh * electricityUsdPerKwh;
}

/** Returns how many average households draw the same power: MW × 1000 / household kW. */
export function householdsPowered(powerMw: number, householdKw: number): number {
  return (powerMw * 1000) / householdKw;
}
