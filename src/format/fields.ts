import type { UnitKind } from './human.js';

/** The groups a table is split into, in order. */
export const GROUPS = ['Solved', 'Compute', 'Time', 'Throughput', 'Cost', 'Power & energy', 'Failures & checkpoints', 'Memory'] as const;
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
  { key: 'activeParams', label: 'Active parameters (MoE)', unit: 'quantity', group: 'Compute' },
  { key: 'tokens', label: 'Training tokens', unit: 'quantity', group: 'Compute' },
  { key: 'trainingFlops', label: 'Training compute', unit: 'flops', group: 'Compute' },
  { key: 'trainingFlops6nd', label: '  by 6ND', unit: 'flops', group: 'Compute' },
  { key: 'trainingFlopsPalm', label: '  by PaLM (with attention)', unit: 'flops', group: 'Compute' },
  { key: 'attentionShare', label: '  attention share of PaLM count', unit: 'percent', group: 'Compute' },
  { key: 'clusterPeakFlopsPerSecond', label: 'Cluster peak', unit: 'flopRate', group: 'Compute' },
  { key: 'effectiveFlopsPerSecond', label: 'Achieved (peak x MFU x utilization)', unit: 'flopRate', group: 'Compute' },
  { key: 'gpus', label: 'GPUs', unit: 'count', group: 'Time' },
  { key: 'mfu', label: 'Steady-state MFU', unit: 'percent', group: 'Time' },
  { key: 'goodput', label: 'x goodput (failures)', unit: 'percent', group: 'Time' },
  { key: 'runUtilization', label: 'x run utilization', unit: 'percent', group: 'Time' },
  { key: 'runMfu', label: 'Run MFU (MFU x goodput x util.)', unit: 'percent', group: 'Time' },
  { key: 'wallClockSeconds', label: 'Wall-clock (seconds)', unit: 'seconds', group: 'Time' },
  { key: 'wallClockDays', label: 'Wall-clock', unit: 'days', group: 'Time' },
  { key: 'idealWallClockSeconds', label: 'Wall-clock if nothing failed (s)', unit: 'seconds', group: 'Time' },
  { key: 'idealWallClockDays', label: 'Wall-clock if nothing failed', unit: 'days', group: 'Time' },
  { key: 'wallClockDaysRange', label: 'Wall-clock 80 % range', unit: 'days', group: 'Time' },
  { key: 'gpuHours', label: 'GPU-hours', unit: 'gpuHours', group: 'Time' },
  { key: 'gpuHoursRange', label: 'GPU-hours 80 % range', unit: 'gpuHours', group: 'Time' },
  // The throughput model's prediction for the plan (issue 10): results.throughput.
  { key: 'throughput.plan', label: 'Parallel plan', unit: 'plan', group: 'Throughput' },
  { key: 'throughput.planOrigin', label: 'Plan from', unit: 'text', group: 'Throughput' },
  { key: 'throughput.tokensPerSecondPerGpu', label: 'Predicted tokens/s per GPU', unit: 'tokensPerSecond', group: 'Throughput' },
  { key: 'throughput.mfu', label: 'Predicted MFU', unit: 'percent', group: 'Throughput' },
  { key: 'throughput.hfu', label: 'Predicted HFU (with recompute)', unit: 'percent', group: 'Throughput' },
  { key: 'throughput.stepSeconds', label: 'Step time', unit: 'seconds', group: 'Throughput' },
  { key: 'throughput.breakdownSeconds.compute', label: '  compute', unit: 'seconds', group: 'Throughput' },
  { key: 'throughput.breakdownSeconds.recompute', label: '  recomputation', unit: 'seconds', group: 'Throughput' },
  { key: 'throughput.breakdownSeconds.tensorParallel', label: '  tensor-parallel comms', unit: 'seconds', group: 'Throughput' },
  { key: 'throughput.breakdownSeconds.pipelineBubble', label: '  pipeline bubble', unit: 'seconds', group: 'Throughput' },
  { key: 'throughput.breakdownSeconds.pipelineSend', label: '  pipeline sends', unit: 'seconds', group: 'Throughput' },
  { key: 'throughput.breakdownSeconds.dataParallelExposed', label: '  data-parallel (exposed)', unit: 'seconds', group: 'Throughput' },
  { key: 'throughput.breakdownSeconds.contextParallel', label: '  context-parallel (exposed)', unit: 'seconds', group: 'Throughput' },
  { key: 'throughput.breakdownSeconds.expertParallel', label: '  expert all-to-all', unit: 'seconds', group: 'Throughput' },
  { key: 'throughput.breakdownSeconds.optimizer', label: '  optimizer step', unit: 'seconds', group: 'Throughput' },
  { key: 'throughput.bubbleFraction', label: 'Bubble share of the step', unit: 'percent', group: 'Throughput' },
  { key: 'throughput.memoryBytesPerGpu.weights', label: 'Weights / GPU', unit: 'bytes', group: 'Throughput' },
  { key: 'throughput.memoryBytesPerGpu.gradients', label: 'Gradients / GPU', unit: 'bytes', group: 'Throughput' },
  { key: 'throughput.memoryBytesPerGpu.optimizer', label: 'Optimizer state / GPU', unit: 'bytes', group: 'Throughput' },
  { key: 'throughput.memoryBytesPerGpu.activations', label: 'Activations / GPU (busiest stage)', unit: 'bytes', group: 'Throughput' },
  { key: 'throughput.memoryBytesPerGpu.total', label: 'Memory / GPU for the plan', unit: 'bytes', group: 'Throughput' },
  { key: 'throughput.fits', label: 'Plan fits in GPU memory', unit: 'yesNo', group: 'Throughput' },
  { key: 'gpuCapexUsd', label: 'GPU capex', unit: 'usd', group: 'Cost' },
  { key: 'capexUsd', label: 'Total capex', unit: 'usd', group: 'Cost' },
  { key: 'cloudCostUsd', label: 'Cloud rental (GPU-hours x price)', unit: 'usd', group: 'Cost' },
  { key: 'amortizedCostUsd', label: 'Amortized cost (Epoch AI method)', unit: 'usd', group: 'Cost' },
  { key: 'amortizedCapexUsd', label: '  hardware: GPUs, servers, network', unit: 'usd', group: 'Cost' },
  { key: 'amortizedGpuCapexUsd', label: '  of which the GPUs', unit: 'usd', group: 'Cost' },
  { key: 'amortizedEnergyUsd', label: '  energy (Epoch power model)', unit: 'usd', group: 'Cost' },
  { key: 'energyCostUsd', label: 'Energy cost', unit: 'usd', group: 'Cost' },
  { key: 'energyShareOfCapex', label: 'Energy / capex', unit: 'percent', group: 'Cost' },
  { key: 'powerMw', label: 'Facility power', unit: 'mw', group: 'Power & energy' },
  { key: 'energyKwh', label: 'Energy', unit: 'kwh', group: 'Power & energy' },
  { key: 'households', label: 'Households (same draw)', unit: 'count', group: 'Power & energy' },
  { key: 'co2Tonnes', label: 'CO2', unit: 'tonnes', group: 'Power & energy' },
  { key: 'reliability.jobMtbiHours', label: 'Job MTBI', unit: 'hours', group: 'Failures & checkpoints' },
  { key: 'reliability.interruptionsPerDay', label: 'Interruptions per day', unit: 'quantity', group: 'Failures & checkpoints' },
  { key: 'reliability.interruptions', label: 'Interruptions over the run', unit: 'count', group: 'Failures & checkpoints' },
  { key: 'reliability.checkpointSeconds', label: 'Checkpoint write', unit: 'seconds', group: 'Failures & checkpoints' },
  { key: 'reliability.checkpointIntervalMinutes', label: 'Checkpoint interval', unit: 'minutes', group: 'Failures & checkpoints' },
  { key: 'reliability.restartMinutes', label: 'Restart', unit: 'minutes', group: 'Failures & checkpoints' },
  { key: 'reliability.goodput', label: 'Goodput (useful wall-clock)', unit: 'percent', group: 'Failures & checkpoints' },
  { key: 'reliability.lostGpuHours', label: 'GPU-hours lost to failures', unit: 'gpuHours', group: 'Failures & checkpoints' },
  { key: 'memory.bytesPerParam', label: 'Training state per parameter', unit: 'bytesPlain', group: 'Memory' },
  { key: 'memory.stateBytes', label: 'Training state', unit: 'bytes', group: 'Memory' },
  { key: 'memory.gpuMemoryBytes', label: 'Memory per GPU', unit: 'bytes', group: 'Memory' },
  { key: 'memory.minGpusForState', label: 'Min GPUs to hold it (ZeRO-3)', unit: 'count', group: 'Memory' },
  { key: 'memory.maxParamsForGpus', label: 'Largest model these GPUs hold', unit: 'quantity', group: 'Memory' },
  { key: 'memory.fits', label: 'Fits in memory', unit: 'yesNo', group: 'Memory' },
  { key: 'memory.bytesPerGpu', label: 'Memory / GPU at the plan', unit: 'bytes', group: 'Memory' },
  { key: 'memory.activationBytesPerGpu', label: 'Activations / GPU, no recompute', unit: 'bytes', group: 'Memory' },
  { key: 'memory.activationBytesPerGpuSelectiveRecompute', label: 'Activations / GPU, selective', unit: 'bytes', group: 'Memory' },
  { key: 'memory.activationBytesPerGpuFullRecompute', label: 'Activations / GPU, full recompute', unit: 'bytes', group: 'Memory' },
];

/** Returns the value at a dotted key ("reliability.goodput") of a results object. */
export function valueAt(results: Readonly<Record<string, unknown>>, key: string): unknown {
  let current: unknown = results;
  for (const part of key.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

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
  mfu: { label: 'steady-state MFU', unit: 'percent' },
  runUtilization: { label: 'run utilization', unit: 'percent' },
  rangeFactors: { label: '80 % range (x estimate)', unit: 'multiplier' },
  gpuPriceUsd: { label: 'GPU price', unit: 'usd' },
  capexMultiplier: { label: 'capex multiplier', unit: 'multiplier' },
  tdpW: { label: 'GPU TDP', unit: 'watts' },
  powerFactor: { label: 'power factor', unit: 'multiplier' },
  electricityUsdPerKwh: { label: 'electricity', unit: 'usdPerKwh' },
  householdKw: { label: 'household draw', unit: 'kw' },
  budgetDays: { label: 'time budget', unit: 'days' },
  solveFor: { label: 'solve for', unit: 'text' },
  tokensPerParam: { label: 'tokens per parameter', unit: 'quantity' },
  failures: { label: 'model failures', unit: 'yesNo' },
  gpuMtbfHours: { label: 'per-GPU MTBF', unit: 'hours' },
  interruptionsPerDay: { label: 'interruptions per day', unit: 'quantity' },
  restartSeconds: { label: 'restart time', unit: 'duration' },
  checkpointSeconds: { label: 'checkpoint write', unit: 'duration' },
  storageBytesPerSecond: { label: 'checkpoint bandwidth', unit: 'bytesPerSecond' },
  checkpointIntervalSeconds: { label: 'checkpoint interval', unit: 'duration' },
  optimizer: { label: 'optimizer', unit: 'text' },
  stateBytesPerParam: { label: 'state bytes per parameter', unit: 'bytesPlain' },
  gpuMemoryBytes: { label: 'GPU memory', unit: 'bytes' },
  microBatch: { label: 'micro-batch', unit: 'count' },
  seqLen: { label: 'sequence length', unit: 'count' },
  tensorParallel: { label: 'tensor parallel', unit: 'count' },
  pipelineParallel: { label: 'pipeline parallel', unit: 'count' },
  architecture: { label: 'architecture', unit: 'architecture' },
  hbmBytesPerSecond: { label: 'HBM bandwidth', unit: 'bytesPerSecond' },
  scaleUpBytesPerSecond: { label: 'scale-up link per direction', unit: 'bytesPerSecond' },
  scaleUpDomainGpus: { label: 'scale-up domain', unit: 'count' },
  scaleOutBytesPerSecond: { label: 'scale-out network per GPU', unit: 'bytesPerSecond' },
  globalBatch: { label: 'global batch (sequences)', unit: 'count' },
  dataParallel: { label: 'data parallel', unit: 'count' },
  contextParallel: { label: 'context parallel', unit: 'count' },
  expertParallel: { label: 'expert parallel', unit: 'count' },
  virtualStages: { label: 'virtual stages', unit: 'count' },
  recompute: { label: 'recompute', unit: 'text' },
  zero: { label: 'ZeRO stage', unit: 'count' },
  mfuFrom: { label: 'MFU from', unit: 'text' },
  plan: { label: 'parallel plan', unit: 'plan' },
  activeParams: { label: 'active parameters', unit: 'quantity' },
  flopsMethod: { label: 'FLOP count', unit: 'text' },
  usdPerGpuHour: { label: 'GPU-hour price', unit: 'usd' },
  gridKgCo2PerKwh: { label: 'grid intensity (kg CO2/kWh)', unit: 'quantity' },
  pue: { label: 'PUE', unit: 'multiplier' },
  depreciationOomPerYear: { label: 'depreciation (OOM/year)', unit: 'quantity' },
  serverCostOverhead: { label: 'server cost / GPU price', unit: 'multiplier' },
  interconnectCostFraction: { label: 'network share of cluster', unit: 'percent' },
  hardwareAgeYears: { label: 'hardware age (years)', unit: 'quantity' },
  amortizedPowerPerTdp: { label: 'Epoch power per W of TDP', unit: 'multiplier' },
};
