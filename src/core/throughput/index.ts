// The throughput model and planner (issue 10): device and links, block costs, step time, memory, search.
import { COMPUTE_UNITS, DEFAULT_MATMUL_EFFICIENCY, MATMUL_EFFICIENCY, type Constant } from './constants.js';
import type { Device } from './device.js';

export { blockCost, edgeCost, type BlockCost, type BlockSplit, type ThroughputArchitecture } from './block.js';
export { busBytesPerSecond, gemmSeconds, waveEfficiency, type Device, type Group } from './device.js';
export { checkpointBytesOf, planMemory, stateBytesOf, type MemoryBreakdown, type StateBytes } from './memory.js';
export { MEMORY_REASON, microBatches, planGpus, structuralReason, type Plan, type Recompute, type StructuralReason, type ZeroStage } from './plan.js';
export { architectureParams } from './params.js';
export { batchOccupancy, divisors, searchPlans, type BatchOccupancy, type SearchModel, type SearchResult, type SearchSpace } from './search.js';
export { stageLayers, throughputModel, type BreakdownSeconds, type Evaluation, type ThroughputInputs } from './step.js';
export { chunkLayerCounts, inFlightMicroBatches, splitsIntoChunks, stageLayouts, type LayerKinds, type StageLayout } from './stages.js';

/** A GPU and its network as presets describe them; datasheet units. */
export interface HardwareSpec {
  /** GPU preset name: selects the measured matmul efficiency (MATMUL_EFFICIENCY). */
  gpuName: string;
  peakFlopsPerSecond: number;
  memoryBytes: number;
  memoryBandwidthTBs: number;
  /** Scale-up link per GPU, GB/s per direction. */
  scaleUpGBpsPerDirection: number;
  scaleUpDomainGpus: number;
  /** Scale-out network per GPU, Gb/s (bits) per direction. */
  scaleOutGbpsPerGpu: number;
}

/** Returns the matmul efficiency of a GPU preset (MAMF / peak) and its source. */
export function matmulEfficiencyOf(gpuName: string): Constant {
  return MATMUL_EFFICIENCY[gpuName] ?? DEFAULT_MATMUL_EFFICIENCY;
}

/** Returns the model's device (base units) for a GPU and its network. */
export function deviceOf(spec: HardwareSpec): Device {
  return {
    peakFlopsPerSecond: spec.peakFlopsPerSecond,
    matmulEfficiency: matmulEfficiencyOf(spec.gpuName).value,
    computeUnits: COMPUTE_UNITS[spec.gpuName]?.value ?? 0,
    hbmBytesPerSecond: spec.memoryBandwidthTBs * 1e12,
    memoryBytes: spec.memoryBytes,
    scaleUpBytesPerSecond: spec.scaleUpGBpsPerDirection * 1e9,
    scaleUpDomainGpus: spec.scaleUpDomainGpus,
    scaleOutBytesPerSecond: (spec.scaleOutGbpsPerGpu * 1e9) / 8,
  };
}
