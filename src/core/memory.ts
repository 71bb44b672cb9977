/** Optimizers with a sourced training-state size per parameter. */
export const OPTIMIZERS = {
  /** bf16/fp16 weights (2) + gradients (2) + fp32 master weights, momentum and variance (12): ZeRO paper §3.1. */
  'adam-mixed': 16,
  /** fp32 weights (4) + gradients (4) + momentum and variance (8): ZeRO paper §3.1 (no master copy needed). */
  'adam-fp32': 16,
  /** Mixed precision with 8-bit Adam states: 2 + 2 + 4 (master) + 2 (two 1-byte states): Dettmers et al. 2022, §1. */
  'adam-8bit': 10,
  /** Mixed-precision SGD with momentum: 2 + 2 + 4 (master) + 4 (momentum), ZeRO paper §3.1 accounting. */
  'sgd-mixed': 12,
} as const;
/** One optimizer name. */
export type Optimizer = keyof typeof OPTIMIZERS;

/** The architecture numbers activation memory needs. */
export interface ActivationShape {
  layers: number;
  dModel: number;
  heads: number;
  seqLen: number;
  microBatch: number;
  /** Tensor-parallel degree (sequence parallelism assumed on). */
  tensorParallel: number;
  /** Pipeline stages; each GPU holds layers / stages layers. */
  pipelineParallel: number;
}

/** Memory needs of a training run; bytes unless the name says otherwise. */
export interface MemoryResult {
  bytesPerParam: number;
  stateBytes: number;
  gpuMemoryBytes: number;
  /** Fewest GPUs that hold the training state fully sharded (ZeRO-3 / FSDP). */
  minGpusForState: number;
  /** Whether the run's GPU count holds the sharded state. */
  fits: boolean;
  /** Largest parameter count whose state fits the run's GPUs. */
  maxParamsForGpus: number;
  activationBytesPerGpu?: number;
  activationBytesPerGpuSelectiveRecompute?: number;
  activationBytesPerGpuFullRecompute?: number;
}

/**
 * Returns training-state bytes: parameters × bytes per parameter.
 * @example trainingStateBytes(405e9, 16) // 6.48e12 (6.48 TB)
 */
export function trainingStateBytes(params: number, bytesPerParam: number): number {
  return params * bytesPerParam;
}

/**
 * Returns the fewest GPUs whose memory (bytes each) holds `stateBytes`, fully sharded.
 * @example minGpusForState(6.48e12, 80e9) // 81
 */
export function minGpusForState(stateBytes: number, gpuMemoryBytes: number): number {
  // Tolerate float noise so an exact fit (6.48e12 / 80e9 = 81) is not rounded up to 82.
  return Math.max(1, Math.ceil(stateBytes / gpuMemoryBytes - 1e-9));
}

/**
 * Returns activation bytes per GPU for one micro-batch, by Korthikanti et al. 2022 ("Reducing
 * Activation Recomputation in Large Transformer Models", Table 2), with tensor + sequence
 * parallelism t: per layer s·b·h·(34/t + 5·a·s/(h·t)) with no recomputation, s·b·h·34/t with
 * selective recomputation, and 2·s·b·h/t (the layer input) with full recomputation.
 */
export function activationBytesPerGpu(shape: ActivationShape): { none: number; selective: number; full: number } {
  const { layers, dModel: h, heads: a, seqLen: s, microBatch: b, tensorParallel: t, pipelineParallel: p } = shape;
  const layersPerGpu = layers / p;
  const sbh = s * b * h;
  return {
    none: layersPerGpu * sbh * (34 / t + (5 * a * s) / (h * t)),
    selective: (layersPerGpu * sbh * 34) / t,
    full: (layersPerGpu * 2 * sbh) / t,
  };
}

/**
 * Returns the memory view of a run: state size, GPUs needed to hold it sharded, whether `gpus`
 * suffice, and activations per GPU when the shape is known.
 */
export function memoryFor(
  params: number,
  bytesPerParam: number,
  gpuMemoryBytes: number,
  gpus: number,
  shape?: ActivationShape,
): MemoryResult {
  const stateBytes = trainingStateBytes(params, bytesPerParam);
  const minGpus = minGpusForState(stateBytes, gpuMemoryBytes);
  const result: MemoryResult = {
    bytesPerParam,
    stateBytes,
    gpuMemoryBytes,
    minGpusForState: minGpus,
    fits: gpus >= minGpus,
    maxParamsForGpus: (gpus * gpuMemoryBytes) / bytesPerParam,
  };
  if (shape) {
    const act = activationBytesPerGpu(shape);
    result.activationBytesPerGpu = act.none;
    result.activationBytesPerGpuSelectiveRecompute = act.selective;
    result.activationBytesPerGpuFullRecompute = act.full;
  }
  return result;
}
