// One GPU, its scale-up domain and the scale-out network: rates, and the time of each collective.
import { GEMM_TILE, HBM_EFFICIENCY, OVERLAP_EFFICIENCY, SUSTAINED_MATMUL_FRACTION, KERNEL_OVERHEAD_SECONDS, SCALE_OUT_EFFICIENCY, SCALE_UP_EFFICIENCY } from './constants.js';

/** What one GPU and its links offer; base units (FLOP/s, bytes, bytes/s per direction). */
export interface Device {
  /** Dense peak at the training precision, FLOP/s. */
  peakFlopsPerSecond: number;
  /** Best fraction of the peak that large GEMMs reach (MAMF / peak). */
  matmulEfficiency: number;
  /** SMs or compute units a GEMM's tiles are spread over (0: no wave quantization modelled). */
  computeUnits: number;
  /** HBM bandwidth, bytes/s (datasheet). */
  hbmBytesPerSecond: number;
  /** HBM capacity, bytes. */
  memoryBytes: number;
  /** Scale-up link (NVLink ...) bandwidth of one GPU, bytes/s per direction. */
  scaleUpBytesPerSecond: number;
  /** GPUs that reach each other over the scale-up link. */
  scaleUpDomainGpus: number;
  /** Scale-out network bandwidth of one GPU, bytes/s per direction. */
  scaleOutBytesPerSecond: number;
}

/** A communication group of a plan: its size and how its ranks sit on the scale-up domains. */
export interface Group {
  /** Ranks in the group. */
  size: number;
  /** Distance between consecutive ranks of the group in the global rank order (Megatron: TP, CP, DP/EP, PP). */
  stride: number;
}

/**
 * Returns the bus bandwidth of a collective over `group`, bytes/s: the scale-up link when the whole
 * group sits in one domain, else each GPU's own scale-out port (a ring over several domains is paced
 * by its slowest hop, one NIC per rank), at NCCL's large-message efficiency.
 */
export function busBytesPerSecond(device: Device, group: Group): number {
  const span = group.size * group.stride;
  // In one domain when the span divides the domain (a span larger than the domain never does).
  const inDomain = device.scaleUpDomainGpus % span === 0;
  return inDomain
    ? device.scaleUpBytesPerSecond * SCALE_UP_EFFICIENCY.value
    : Math.min(device.scaleOutBytesPerSecond, device.scaleUpBytesPerSecond) * SCALE_OUT_EFFICIENCY.value;
}

/** Returns seconds of a ring all-reduce of `bytes` (the buffer on each rank) over `group`: 2(n − 1)/n · bytes / bus bandwidth. */
export function allReduceSeconds(device: Device, group: Group, bytes: number): number {
  const n = group.size;
  if (n <= 1 || bytes <= 0) return 0;
  return (2 * (n - 1) * bytes) / (n * busBytesPerSecond(device, group)) + KERNEL_OVERHEAD_SECONDS.value;
}

/** Returns seconds of a ring all-gather or reduce-scatter whose full (gathered) buffer is `bytes`: (n − 1)/n · bytes / bus bandwidth. */
export function allGatherSeconds(device: Device, group: Group, bytes: number): number {
  const n = group.size;
  if (n <= 1 || bytes <= 0) return 0;
  return ((n - 1) * bytes) / (n * busBytesPerSecond(device, group)) + KERNEL_OVERHEAD_SECONDS.value;
}

/** Returns seconds of an all-to-all in which each rank holds `bytes` and keeps 1/n of them. */
export function allToAllSeconds(device: Device, group: Group, bytes: number): number {
  return allGatherSeconds(device, group, bytes);
}

/** Returns seconds to send `bytes` to one neighbour over `group`'s link (point-to-point, one direction). */
export function sendSeconds(device: Device, group: Group, bytes: number): number {
  if (group.size <= 1 || bytes <= 0) return 0;
  return bytes / busBytesPerSecond(device, group) + KERNEL_OVERHEAD_SECONDS.value;
}

/** Returns the FLOP/s large GEMMs sustain in training: peak x MAMF fraction x SUSTAINED_MATMUL_FRACTION. */
export function matmulRate(device: Device): number {
  return device.peakFlopsPerSecond * device.matmulEfficiency * SUSTAINED_MATMUL_FRACTION.value;
}

/**
 * Returns the exposed seconds of `comm` scheduled behind `compute` seconds of work: the overlap
 * hides OVERLAP_EFFICIENCY of the shorter of the two.
 * @example exposedSeconds(3, 2) // 3 − 2 x OVERLAP_EFFICIENCY
 */
export function exposedSeconds(comm: number, compute: number): number {
  return comm - OVERLAP_EFFICIENCY.value * Math.min(comm, Math.max(0, compute));
}

/** Returns seconds of a memory-bound kernel pass that moves `bytes` through HBM. */
export function hbmSeconds(device: Device, bytes: number): number {
  return bytes / (device.hbmBytesPerSecond * HBM_EFFICIENCY.value);
}

/**
 * Returns the share of its waves a GEMM's output tiles fill: tiles / (waves x units), 1 for a whole
 * number of waves (wave quantization; a GEMM smaller than one wave leaves units idle).
 * @example waveEfficiency(132, 576) // 576 tiles in 5 waves of 132: 0.87
 */
export function waveEfficiency(computeUnits: number, tiles: number): number {
  if (computeUnits <= 0) return 1;
  return tiles / (Math.ceil(tiles / computeUnits) * computeUnits);
}

/**
 * Returns seconds of one GEMM of M x K by K x N on one GPU, or of a batch of `count` of them in one
 * kernel (attention heads, grouped experts): the roofline of its FLOPs at the GPU's matmul
 * efficiency (times the wave quantization of all the batch's tiles) and its 16-bit operands through
 * HBM, plus one kernel's fixed cost.
 * @example gemmSeconds(h100, 8192, 2048, 16384) // ≈ 0.7 ms
 */
export function gemmSeconds(device: Device, m: number, n: number, k: number, count = 1): number {
  const flops = 2 * m * n * k * count;
  const bytes = 2 * (m * k + k * n + m * n) * count;
  const tiles = Math.ceil(m / GEMM_TILE.rows) * Math.ceil(n / GEMM_TILE.columns) * count;
  const rate = matmulRate(device) * waveEfficiency(device.computeUnits, tiles);
  return Math.max(flops / rate, hbmSeconds(device, bytes)) + KERNEL_OVERHEAD_SECONDS.value;
}
