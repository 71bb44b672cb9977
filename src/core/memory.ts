import { inFlightMicroBatches, modelStageLayouts, type StageLayout } from './throughput/stages.js';

/**
 * Optimizers with a sourced training-state size per parameter. Mixed precision keeps fp32 gradients
 * (main-gradient buffers): Megatron-LM forces gradient accumulation and all-reduce in fp32 for bf16
 * (megatron/training/arguments.py), Llama 3 accumulates and reduce-scatters gradients in fp32
 * (Dubey et al. 2024 §3.3.2, "Numerical stability"); stateBytesOf splits these sums the same way.
 */
export const OPTIMIZERS = {
  /** bf16 weights (2) + fp32 gradients (4) + fp32 master weights, momentum and variance (12): Megatron-Core distributed-optimizer docs, "bf16 parameters, fp32 gradients" 18 (6 + 12/d distributed). */
  'adam-mixed': 18,
  /** fp32 weights (4) + gradients (4) + momentum and variance (8): Megatron-Core distributed-optimizer docs, "fp32 parameters, fp32 gradients" 16 (8 + 8/d); ZeRO paper §3.1. */
  'adam-fp32': 16,
  /** Mixed precision with 8-bit Adam states: 2 + 4 (fp32 gradients) + 4 (master) + 2 (two 1-byte states): Dettmers et al. 2022, §1. */
  'adam-8bit': 12,
  /** Mixed-precision SGD with momentum: 2 + 4 (fp32 gradients) + 4 (master) + 4 (momentum). */
  'sgd-mixed': 14,
} as const;
/** One optimizer name. */
export type Optimizer = keyof typeof OPTIMIZERS;

/**
 * The architecture numbers activation memory reads: the shape of `Architecture` (presets/schema),
 * restated here so the core imports nothing from presets. Defaults when absent: kvHeads = heads,
 * headDim = dModel / heads, ffnDim = 4·dModel, ffnGated = false, dropout = false.
 */
export interface ActivationArchitecture {
  layers: number;
  dModel: number;
  heads: number;
  kvHeads?: number | undefined;
  ffnDim?: number | undefined;
  headDim?: number | undefined;
  vocabSize?: number | undefined;
  ffnGated?: boolean | undefined;
  dropout?: boolean | undefined;
  mla?: { qLoraRank?: number | undefined; kvLoraRank: number; qkNopeHeadDim: number; qkRopeHeadDim: number; vHeadDim: number } | undefined;
  moe?: { experts: number; activeExperts: number; sharedExperts?: number | undefined; moeFfnDim?: number | undefined; denseLayers?: number | undefined } | undefined;
}

/**
 * Which activations the backward pass recomputes instead of storing (Korthikanti et al. 2022 §5),
 * one definition for results.memory and the throughput model: `full` keeps each layer's input
 * only; `selective` rebuilds the attention core (Korthikanti et al.'s selective: no a·s² scores) and
 * the memory-bound ops' outputs, the two norms' and the FFN activation function's, from the stored
 * norm inputs and GEMM outputs (op-level selective checkpointing: torchtitan's "op" policy saves
 * matmul and attention outputs only; Megatron-Core's --recompute-modules core_attn, layernorm,
 * moe_act); `none` stores everything the backward reads.
 */
export type Recompute = 'none' | 'selective' | 'full';

/**
 * How attention runs, for what it stores: 'materialized' (Korthikanti et al.'s case, the default
 * here) keeps the softmax output (and with dropout its mask and output); 'flash' (FlashAttention)
 * stores no scores at all, its backward rebuilds them.
 */
export type AttentionStorage = 'flash' | 'materialized';

/** The parallel plan activation memory depends on (the CONTRACTS.md item 2 `plan`). */
export interface ActivationPlan {
  /** Tokens per sequence. */
  seqLen: number;
  /** Sequences per micro-batch. */
  microBatch: number;
  tensorParallel: number;
  /** Megatron sequence parallelism: shards the norm and dropout regions over the tensor-parallel group. */
  sequenceParallel: boolean;
  pipelineParallel: number;
  /** Model chunks per pipeline stage (interleaved 1F1B); 1 for plain 1F1B. */
  virtualStages: number;
  /** Micro-batches per optimizer step per pipeline (m). */
  microBatches: number;
  contextParallel: number;
  recompute: Recompute;
  /** Default 'materialized'. */
  attention?: AttentionStorage | undefined;
}

/** Bytes of one 16-bit activation element (bf16/fp16, as the paper counts). */
const ELEMENT_BYTES = 2;

/** Per-token element counts of one layer, split by how they shard: see activationBytesPerLayer. */
interface LayerTerms {
  /** Outside the tensor-parallel region (norm inputs, the inputs of the first matmuls, dropout masks): bytes per token. */
  replicated: number;
  /** Inside it, already divided by t: bytes per token per GPU. */
  sharded: number;
  /** Attention-score terms, bytes per (query token x key token) per GPU. */
  scores: number;
  /** What selective recomputation rebuilds besides the scores: the two norms' outputs (replicated) and the activation function's outputs (sharded, /t). */
  rebuiltReplicated: number;
  rebuiltSharded: number;
}

/** Returns the stored-activation terms of one layer (dense FFN or MoE), bytes per token. */
function layerTerms(arch: ActivationArchitecture, plan: ActivationPlan, moeLayer: boolean): LayerTerms {
  const h = arch.dModel;
  const a = arch.heads;
  const t = plan.tensorParallel;
  const dropout = arch.dropout ?? false;
  const inner = (f: number): number => ELEMENT_BYTES * (arch.ffnGated ? 3 : 2) * f; // gate + up + product, or pre- and post-activation
  // Two norm inputs, the norm outputs that feed attention and the FFN, and (with dropout) the
  // one-byte masks after attention and after the FFN: Korthikanti et al. 2022 §4.1 (4 + 2 + 2 + 2)·sbh.
  let replicated = ELEMENT_BYTES * 4 * h + (dropout ? 2 * h : 0);
  let sharded: number;
  const headsPerGpu = a / t;
  if (arch.mla) {
    const m = arch.mla;
    const qk = m.qkNopeHeadDim + m.qkRopeHeadDim;
    // Latent down-projections are not split by t: their norm inputs and up-projection inputs are stored.
    replicated += ELEMENT_BYTES * 2 * ((m.qLoraRank ?? 0) + m.kvLoraRank + m.qkRopeHeadDim);
    // Q and K (qk wide per head), V and the attention output (v wide), per head after decompression.
    sharded = ELEMENT_BYTES * headsPerGpu * (2 * qk + 2 * m.vHeadDim);
  } else {
    const d = arch.headDim ?? h / a;
    // With fewer KV heads than tensor ranks each rank keeps a copy of one (Megatron replicates them).
    const kvPerGpu = Math.ceil((arch.kvHeads ?? a) / t);
    sharded = ELEMENT_BYTES * d * (2 * headsPerGpu + 2 * kvPerGpu); // Q, attention output; K, V
  }
  let activated: number; // the activation function's outputs per token (elements, before /t)
  if (moeLayer && arch.moe) {
    const e = arch.moe;
    const width = e.moeFfnDim ?? arch.ffnDim ?? 4 * h;
    // Router scores in fp32; each routed copy of a token stores its input and its output (for the
    // weighted sum's gradient) and the expert's inner activations; shared experts read the FFN input.
    replicated += 4 * e.experts;
    sharded += (e.activeExperts * (2 * ELEMENT_BYTES * h + inner(width)) + inner(width * (e.sharedExperts ?? 0))) / t;
    activated = width * (e.activeExperts + (e.sharedExperts ?? 0));
  } else {
    activated = arch.ffnDim ?? 4 * h;
    sharded += inner(activated) / t;
  }
  // Softmax output (2 bytes); with attention dropout also its mask (1) and output (2): 5·a·s²·b.
  const scores = headsPerGpu * (dropout ? 5 : 2);
  return { replicated, sharded, scores, rebuiltReplicated: ELEMENT_BYTES * 2 * h, rebuiltSharded: (ELEMENT_BYTES * activated) / t };
}

/** Returns stored bytes of one layer for one micro-batch on one GPU, for a recompute mode (Recompute says what each keeps). */
function layerBytes(arch: ActivationArchitecture, plan: ActivationPlan, moeLayer: boolean, recompute: Recompute): number {
  const tokens = (plan.seqLen / plan.contextParallel) * plan.microBatch;
  const spShare = plan.sequenceParallel ? 1 / plan.tensorParallel : 1;
  // Full recomputation keeps only the layer's input, sharded along the sequence under SP.
  if (recompute === 'full') return tokens * ELEMENT_BYTES * arch.dModel * spShare;
  const terms = layerTerms(arch, plan, moeLayer);
  if (recompute === 'selective') {
    return tokens * ((terms.replicated - terms.rebuiltReplicated) * spShare + terms.sharded - terms.rebuiltSharded);
  }
  const linear = tokens * (terms.replicated * spShare + terms.sharded);
  // Each context-parallel rank scores its s/c queries against all s keys.
  return plan.attention === 'flash' ? linear : linear + tokens * plan.seqLen * terms.scores;
}

/** Returns how many layers of `count` starting at `from` are MoE layers (the first `denseLayers` are dense). */
function moeLayersIn(arch: ActivationArchitecture, from: number, count: number): number {
  if (!arch.moe) return 0;
  const dense = arch.moe.denseLayers ?? 0;
  return count - Math.min(Math.max(dense - from, 0), count);
}

/**
 * Returns activation bytes of one transformer layer for one micro-batch on one GPU (averaged over
 * the layers when an MoE model has dense layers too), by Korthikanti et al. 2022 ("Reducing
 * Activation Recomputation in Large Transformer Models", §4.1 and Table 2), generalized to the
 * architecture: Q, K, V at their head counts and sizes (GQA, MLA), the FFN at its width (three
 * matrices when gated), dropout masks only for models trained with dropout, MoE experts per token.
 * For the paper's case (MHA, 4h GeLU MLP, dropout, materialized attention) with tensor + sequence
 * parallelism t this is s·b·h·(34/t + 5·a·s/(h·t)) without recomputation, 34/t with FlashAttention
 * (the paper's selective row), 22/t selective (the norms' 4 and GeLU output's 8 rebuilt too); full
 * keeps 2·s·b·h (/t under sequence parallelism).
 * @example activationBytesPerLayer(gpt3, { seqLen: 2048, microBatch: 1, tensorParallel: 8, sequenceParallel: true, ... recompute: 'none' })
 */
export function activationBytesPerLayer(arch: ActivationArchitecture, plan: ActivationPlan): number {
  const moe = moeLayersIn(arch, 0, arch.layers);
  const dense = arch.layers - moe;
  const bytes = (isMoe: boolean): number => layerBytes(arch, plan, isMoe, plan.recompute);
  return (dense * bytes(false) + (moe > 0 ? moe * bytes(true) : 0)) / arch.layers;
}

/** Returns the 1F1B memory factor of interleaving v equal chunks over p stages on stage 0, 1 + (p − 1)/(p·v) (Korthikanti et al. 2022 §4.2.3). */
export function interleavedFactor(pipelineParallel: number, virtualStages: number): number {
  return virtualStages > 1 ? 1 + (pipelineParallel - 1) / (pipelineParallel * virtualStages) : 1;
}

/**
 * Returns activation bytes of every pipeline stage under 1F1B (Korthikanti et al. 2022 §4.2.3, per
 * stage): each chunk's layers (whole layers, stageLayouts) times the micro-batches it holds in
 * flight (inFlightMicroBatches: p − s for stage s, so about L layers' worth on stage 0 whatever p,
 * x (1 + (p − 1)/(p·v)) interleaved). Adds the embedding dropout mask of each micro-batch in flight
 * on stage 0 (dropout models), the output layer's inputs and fp32 logits of one micro-batch on the
 * last stage (Megatron-LM theoretical_memory_usage.py), and, with recomputation, the one layer whose
 * activations are rebuilt during its backward pass. `layouts` may be passed in when already built.
 */
export function activationBytesByStage(arch: ActivationArchitecture, plan: ActivationPlan, layouts?: readonly StageLayout[]): number[] {
  const p = plan.pipelineParallel;
  const v = Math.max(1, plan.virtualStages);
  const stages = layouts ?? modelStageLayouts(arch, p, v);
  const dense = layerBytes(arch, plan, false, plan.recompute);
  const moe = arch.moe ? layerBytes(arch, plan, true, plan.recompute) : 0;
  const rebuilt = (isMoe: boolean): number => (plan.recompute === 'none' ? 0 : layerBytes(arch, plan, isMoe, 'none') - layerBytes(arch, plan, isMoe, plan.recompute));
  const tokens = (plan.seqLen / plan.contextParallel) * plan.microBatch;
  const spShare = plan.sequenceParallel ? 1 / plan.tensorParallel : 1;
  return stages.map((stage, s) => {
    const inFlight = inFlightMicroBatches(p, v, plan.microBatches, s);
    let bytes = 0;
    stage.chunks.forEach((chunk, k) => {
      bytes += (inFlight[k] ?? 0) * (chunk.dense * dense + chunk.moe * moe);
    });
    if (s === 0 && arch.dropout) bytes += (inFlight[0] ?? 0) * tokens * arch.dModel * spShare;
    if (s === p - 1 && arch.vocabSize !== undefined) {
      bytes += tokens * (2 * ELEMENT_BYTES * arch.dModel * spShare + (4 * arch.vocabSize) / plan.tensorParallel);
    }
    return bytes + rebuilt(stage.moe > 0);
  });
}

/** Returns activation bytes of pipeline stage `stage` (default the first) under 1F1B: activationBytesByStage. */
export function stageActivationBytes(arch: ActivationArchitecture, plan: ActivationPlan, stage = 0): number {
  return activationBytesByStage(arch, plan)[stage] ?? 0;
}

/** Returns the most activation bytes any pipeline stage holds (activationBytesByStage). */
export function peakActivationBytes(arch: ActivationArchitecture, plan: ActivationPlan): number {
  return Math.max(...activationBytesByStage(arch, plan));
}

/**
 * The memory of the plan the throughput model evaluated, which results.memory follows so that the
 * two never disagree (one plan, one definition of each recompute mode, one busiest stage).
 */
export interface PlanMemoryView {
  /** Bytes on the plan's busiest GPU: weights, gradients, optimizer state, activations (results.throughput.memoryBytesPerGpu.total). */
  bytesPerGpu: number;
  /** Whether that leaves the buffer allowance free (results.throughput.fits). */
  fits: boolean;
  /** Activations on the busiest GPU of the plan with each recompute mode, bytes. */
  activationBytes: Record<Recompute, number>;
}

/** Memory needs of a training run; bytes unless the name says otherwise. */
export interface MemoryResult {
  bytesPerParam: number;
  stateBytes: number;
  gpuMemoryBytes: number;
  /** Fewest GPUs that hold the training state fully sharded (ZeRO-3 / FSDP). */
  minGpusForState: number;
  /**
   * Whether it fits: with a plan (PlanMemoryView), the plan's busiest GPU within its memory less the
   * buffer allowance (results.throughput.fits); without one, whether the GPUs hold the sharded state.
   */
  fits: boolean;
  /** Bytes on the plan's busiest GPU (weights, gradients, optimizer state, activations), when a plan was evaluated. */
  bytesPerGpu?: number;
  /** Largest parameter count whose state fits the run's GPUs. */
  maxParamsForGpus: number;
  /** Activations on the busiest GPU (of the plan when there is one, else the stage holding the most) without recomputation. */
  activationBytesPerGpu?: number;
  /** The same with selective recomputation (attention core, norms and activation function rebuilt: Recompute). */
  activationBytesPerGpuSelectiveRecompute?: number;
  /** The same with full recomputation (only each layer's input kept). */
  activationBytesPerGpuFullRecompute?: number;
}

/**
 * Returns training-state bytes: parameters × bytes per parameter.
 * @example trainingStateBytes(405e9, 18) // 7.29e12 (7.29 TB)
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
 * Returns the memory view of a run: state size, GPUs needed to hold it sharded, and, when the
 * throughput model evaluated a plan, that plan's bytes per GPU, fit and activations for each
 * recompute mode (`plan`); otherwise whether `gpus` hold the sharded state and, when the
 * architecture is known, the activations of the stage holding the most for each mode.
 */
export function memoryFor(
  params: number,
  bytesPerParam: number,
  gpuMemoryBytes: number,
  gpus: number,
  activations?: { arch: ActivationArchitecture; plan: Omit<ActivationPlan, 'recompute'> },
  plan?: PlanMemoryView,
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
  if (plan) {
    result.fits = plan.fits;
    result.bytesPerGpu = plan.bytesPerGpu;
    result.activationBytesPerGpu = plan.activationBytes.none;
    result.activationBytesPerGpuSelectiveRecompute = plan.activationBytes.selective;
    result.activationBytesPerGpuFullRecompute = plan.activationBytes.full;
  } else if (activations) {
    const { arch, plan: at } = activations;
    const layouts = modelStageLayouts(arch, at.pipelineParallel, Math.max(1, at.virtualStages));
    const peak = (mode: Recompute): number => Math.max(...activationBytesByStage(arch, withRecompute(at, mode), layouts));
    result.activationBytesPerGpu = peak('none');
    result.activationBytesPerGpuSelectiveRecompute = peak('selective');
    result.activationBytesPerGpuFullRecompute = peak('full');
  }
  return result;
}

/**
 * Returns the plan with a recompute mode, its fields copied one by one: a spread copy with the extra
 * field was ~7x slower here and, in a sweep's loop of a million points, outlived minor collections
 * (~1 MB promoted per scavenge, the old generation and the resident memory growing with it).
 */
function withRecompute(plan: Omit<ActivationPlan, 'recompute'>, recompute: Recompute): ActivationPlan {
  return {
    seqLen: plan.seqLen,
    microBatch: plan.microBatch,
    tensorParallel: plan.tensorParallel,
    sequenceParallel: plan.sequenceParallel,
    pipelineParallel: plan.pipelineParallel,
    virtualStages: plan.virtualStages,
    microBatches: plan.microBatches,
    contextParallel: plan.contextParallel,
    recompute,
    attention: plan.attention,
  };
}
