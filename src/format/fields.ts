import type { UnitKind } from './human.js';

/** The groups a table is split into, in order. */
export const GROUPS = ['Solved', 'Compute', 'Time', 'Cost', 'Power & energy'] as const;
/** One table group. */
export type Group = (typeof GROUPS)[number];

/** How one result field is labelled and shown. */
export interface FieldSpec {
  key: string;
  label: string;
  unit: UnitKind;
  group: Group;
}

/** Every result field a table can show, in display order; JSON carries the same keys. */
export const RESULT_FIELDS: readonly FieldSpec[] = [
  { key: 'params', label: 'Parameters', unit: 'quantity', group: 'Compute' },
  { key: 'tokens', label: 'Training tokens', unit: 'quantity', group: 'Compute' },
  { key: 'trainingFlops', label: 'Training compute', unit: 'flops', group: 'Compute' },
  { key: 'clusterPeakFlopsPerSecond', label: 'Cluster peak', unit: 'flopRate', group: 'Compute' },
  { key: 'effectiveFlopsPerSecond', label: 'Achieved (peak x MFU)', unit: 'flopRate', group: 'Compute' },
  { key: 'gpus', label: 'GPUs', unit: 'count', group: 'Time' },
  { key: 'mfu', label: 'MFU', unit: 'percent', group: 'Time' },
  { key: 'wallClockSeconds', label: 'Wall-clock (seconds)', unit: 'seconds', group: 'Time' },
  { key: 'wallClockDays', label: 'Wall-clock', unit: 'days', group: 'Time' },
  { key: 'gpuHours', label: 'GPU-hours', unit: 'gpuHours', group: 'Time' },
  { key: 'gpuCapexUsd', label: 'GPU capex', unit: 'usd', group: 'Cost' },
  { key: 'capexUsd', label: 'Total capex', unit: 'usd', group: 'Cost' },
  { key: 'energyCostUsd', label: 'Energy cost', unit: 'usd', group: 'Cost' },
  { key: 'energyShareOfCapex', label: 'Energy / capex', unit: 'percent', group: 'Cost' },
  { key: 'powerMw', label: 'Facility power', unit: 'mw', group: 'Power & energy' },
  { key: 'energyKwh', label: 'Energy', unit: 'kwh', group: 'Power & energy' },
  { key: 'households', label: 'Households (same draw)', unit: 'count', group: 'Power & energy' },
];

/** How each scenario input is labelled and shown in the assumptions table. */
export const INPUT_FIELDS: Readonly<Record<string, { label: string; unit: UnitKind }>> = {
  model: { label: 'model', unit: 'text' },
  cluster: { label: 'cluster', unit: 'text' },
  gpu: { label: 'GPU', unit: 'text' },
  params: { label: 'parameters', unit: 'quantity' },
  tokens: { label: 'tokens', unit: 'quantity' },
  trainingFlops: { label: 'training compute', unit: 'flops' },
  gpus: { label: 'GPUs', unit: 'count' },
  precision: { label: 'precision', unit: 'text' },
  gpuPeakFlopsPerSecond: { label: 'dense peak per GPU', unit: 'tflops' },
  mfu: { label: 'MFU', unit: 'percent' },
  gpuPriceUsd: { label: 'GPU price', unit: 'usd' },
  capexMultiplier: { label: 'capex multiplier', unit: 'multiplier' },
  tdpW: { label: 'GPU TDP', unit: 'watts' },
  powerFactor: { label: 'power factor', unit: 'multiplier' },
  electricityUsdPerKwh: { label: 'electricity', unit: 'usdPerKwh' },
  householdKw: { label: 'household draw', unit: 'kw' },
  budgetDays: { label: 'time budget', unit: 'days' },
  solveFor: { label: 'solve for', unit: 'text' },
  tokensPerParam: { label: 'tokens per parameter', unit: 'quantity' },
};
