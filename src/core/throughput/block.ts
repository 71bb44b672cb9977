// One transformer block's work on one GPU for one micro-batch: FLOPs, bytes through HBM and the
// collectives it needs, for a dense or a mixture-of-experts block, under a given split (TP, CP, EP).
import { ACTIVATION_BYTES, ATTENTION_BACKWARD_RATIO, ATTENTION_EFFICIENCY } from './constants.js';
import { allGatherSeconds, allReduceSeconds, allToAllSeconds, gemmSeconds, hbmSeconds, matmulRate, sendSeconds, type Device } from './device.js';

/** The architecture the throughput model reads (the shape of `Architecture`, presets/schema; CONTRACTS item 1). */
export interface ThroughputArchitecture {
  layers: number;
  dModel: number;
  heads: number;
  kvHeads?: number | undefined;
  ffnDim?: number | undefined;
  headDim?: number | undefined;
  vocabSize?: number | undefined;
  tiedEmbeddings?: boolean | undefined;
  seqLen: number;
  ffnGated?: boolean | undefined;
  dropout?: boolean | undefined;
  mla?: { qLoraRank?: number | undefined; kvLoraRank: number; qkNopeHeadDim: number; qkRopeHeadDim: number; vHeadDim: number } | undefined;
  moe?: { experts: number; activeExperts: number; sharedExperts?: number | undefined; moeFfnDim?: number | undefined; denseLayers?: number | undefined } | undefined;
}

/**
 * How attention runs: 'flash' (FlashAttention, Dao et al. 2022: causal blocks only, scores never
 * written to HBM, recomputed in the backward) or 'materialized' (the s x s scores written, softmaxed
 * and read back, as Megatron-LM did before FlashAttention).
 */
export type AttentionKernel = 'flash' | 'materialized';

/** How one block is split over GPUs and how many tokens one GPU sees per micro-batch. */
export interface BlockSplit {
  attention: AttentionKernel;
  /** Sequences per micro-batch. */
  microBatch: number;
  tensorParallel: number;
  contextParallel: number;
  expertParallel: number;
  /** Tokens of one micro-batch on one GPU: micro-batch x sequence / context parallel. */
  tokens: number;
  sequenceParallel: boolean;
}

/** One block's costs on one GPU for one micro-batch; seconds unless the name says otherwise. */
export interface BlockCost {
  /** Forward GEMMs, attention and element-wise kernels. */
  forwardSeconds: number;
  /** Backward of the same (GEMMs twice, FlashAttention 2.5x, element-wise twice). */
  backwardSeconds: number;
  /** The attention core's forward and backward (what context-parallel exchanges hide behind). */
  attentionForwardSeconds: number;
  attentionBackwardSeconds: number;
  /**
   * What selective recomputation adds: the norms and the FFN activation function again (their
   * outputs are not stored), and with materialized attention its core (FlashAttention's backward
   * rebuilds the scores anyway).
   */
  selectiveRecomputeSeconds: number;
  /** Tensor-parallel collectives of one forward pass (the backward has as many). */
  tensorParallelSeconds: number;
  /** Context-parallel KV exchange of the forward and of the backward, before overlap. */
  contextParallelForwardSeconds: number;
  contextParallelBackwardSeconds: number;
  /** Expert all-to-all (dispatch + combine) of one forward pass (the backward has as many). */
  expertParallelSeconds: number;
  /** FLOPs of one forward pass as executed (causal attention counted once). */
  forwardFlops: number;
  /** Parameters on this GPU that all data-parallel ranks hold (reduced over DP x CP). */
  denseParams: number;
  /** Expert parameters on this GPU (reduced over DP x CP / EP). */
  expertParams: number;
}

/** Returns the attention dimensions: query/key and value width per head. */
function headDims(arch: ThroughputArchitecture): { qk: number; v: number } {
  if (arch.mla) return { qk: arch.mla.qkNopeHeadDim + arch.mla.qkRopeHeadDim, v: arch.mla.vHeadDim };
  const d = arch.headDim ?? arch.dModel / arch.heads;
  return { qk: d, v: d };
}

/** Returns the groups of a split: TP ranks are adjacent, CP next, then DP (EP its innermost ranks). */
function groups(split: BlockSplit): { tp: { size: number; stride: number }; cp: { size: number; stride: number }; ep: { size: number; stride: number } } {
  const t = split.tensorParallel;
  const c = split.contextParallel;
  return { tp: { size: t, stride: 1 }, cp: { size: c, stride: t }, ep: { size: split.expertParallel, stride: t * c } };
}

/**
 * Returns one block's costs under `split`: the GEMMs of the attention projections and the FFN (or
 * the routed and shared experts) at their shapes, causal FlashAttention, the memory-bound kernels
 * (norms, residual adds, activation function) at HBM bandwidth, and the collectives (Megatron-LM
 * tensor parallelism: two all-reduces, or all-gather + reduce-scatter pairs, per pass; ring
 * context parallelism; expert dispatch and combine).
 */
export function blockCost(arch: ThroughputArchitecture, device: Device, split: BlockSplit, moeBlock: boolean): BlockCost {
  const h = arch.dModel;
  const a = arch.heads;
  const t = split.tensorParallel;
  const T = split.tokens;
  const { qk, v } = headDims(arch);
  const headsPerGpu = a / t;
  const g = groups(split);
  let gemm = 0;
  let flops = 0;
  let dense = 2 * h; // two norms' weights, replicated
  let expert = 0;
  // Every dimension is positive: the architecture's sizes are counts (presets/schema, quantity rules).
  const add = (m: number, n: number, k: number, copies = 1): void => {
    gemm += gemmSeconds(device, m, n, k, copies);
    flops += copies * 2 * m * n * k;
  };
  // Attention projections; kvWidth: the K and V of this rank's tokens (what ring attention sends).
  let kvWidth: number;
  if (arch.mla) {
    const mla = arch.mla;
    if (mla.qLoraRank) {
      add(T, mla.qLoraRank, h);
      add(T, headsPerGpu * qk, mla.qLoraRank);
      dense += h * mla.qLoraRank + (mla.qLoraRank * a * qk) / t;
    } else {
      add(T, headsPerGpu * qk, h);
      dense += (h * a * qk) / t;
    }
    add(T, mla.kvLoraRank + mla.qkRopeHeadDim, h);
    add(T, headsPerGpu * (mla.qkNopeHeadDim + v), mla.kvLoraRank);
    dense += h * (mla.kvLoraRank + mla.qkRopeHeadDim) + (mla.kvLoraRank * a * (mla.qkNopeHeadDim + v)) / t;
    kvWidth = headsPerGpu * (qk + v);
  } else {
    // Fewer KV heads than tensor ranks: each rank keeps a copy of one (Megatron-LM replicates them).
    const kvPerGpu = Math.ceil((arch.kvHeads ?? a) / t);
    const qkvWidth = (headsPerGpu + 2 * kvPerGpu) * qk;
    kvWidth = 2 * kvPerGpu * qk;
    add(T, qkvWidth, h);
    dense += h * qkvWidth;
  }
  add(T, h, headsPerGpu * v);
  dense += h * headsPerGpu * v;
  const attention = attentionCost(arch, device, split, headsPerGpu, qk, v);
  flops += attention.flops;

  // Memory-bound kernels, bytes per token: two norms (read + write h), two residual adds with their
  // bias and dropout (read 2h, write h), dropout masks (1 byte); sharded over t with sequence parallelism.
  const gated = arch.ffnGated ?? false;
  const spShare = split.sequenceParallel ? 1 / t : 1;
  const normBytes = T * ACTIVATION_BYTES * 4 * h * spShare;
  let elementwise = normBytes + T * (ACTIVATION_BYTES * 6 * h + (arch.dropout ? 2 * h : 0)) * spShare;
  let activationBytes = 0;
  const activation = (width: number): number => ACTIVATION_BYTES * (gated ? 3 : 2) * width; // read gate(+up), write product
  const ffnMatrices = gated ? 3 : 2;
  let expertParallelSeconds = 0;
  if (moeBlock && arch.moe) {
    const e = arch.moe;
    const width = e.moeFfnDim ?? arch.ffnDim ?? 4 * h;
    const local = e.experts / split.expertParallel;
    // Balanced routing: each local expert sees tokens x k x EP / experts of the tokens on this rank's EP peers.
    const perExpert = (T * e.activeExperts * split.expertParallel) / e.experts;
    add(T, e.experts, h);
    add(perExpert, ((gated ? 2 : 1) * width) / t, h, local);
    add(perExpert, h, width / t, local);
    const shared = e.sharedExperts ?? 0;
    if (shared > 0) {
      add(T, ((gated ? 2 : 1) * width * shared) / t, h);
      add(T, h, (width * shared) / t);
    }
    dense += h * e.experts + (ffnMatrices * h * width * shared) / t;
    expert += (local * ffnMatrices * h * width) / t;
    // Activation function of each routed copy, and the permutation copies in and out (read + write h each).
    activationBytes = (T * (e.activeExperts + shared) * activation(width)) / t;
    elementwise += activationBytes + T * 4 * ACTIVATION_BYTES * e.activeExperts * h;
    // Dispatch and combine move every routed copy of this rank's tokens (sequence-parallel share).
    const bytes = (T * e.activeExperts * h * ACTIVATION_BYTES) / (split.sequenceParallel ? t : 1);
    expertParallelSeconds = 2 * allToAllSeconds(device, g.ep, bytes);
  } else {
    const f = arch.ffnDim ?? 4 * h;
    add(T, ((gated ? 2 : 1) * f) / t, h);
    add(T, h, f / t);
    dense += (ffnMatrices * h * f) / t;
    activationBytes = (T * activation(f)) / t;
    elementwise += activationBytes;
  }
  const elementwiseSeconds = hbmSeconds(device, elementwise);

  // Two all-reduces of the block's output per pass (or their all-gather + reduce-scatter halves).
  const blockOutputBytes = T * h * ACTIVATION_BYTES;
  const tensorParallelSeconds = split.sequenceParallel
    ? 2 * (allGatherSeconds(device, g.tp, blockOutputBytes) + allGatherSeconds(device, g.tp, blockOutputBytes))
    : 2 * allReduceSeconds(device, g.tp, blockOutputBytes);
  // Ring attention: this rank's K and V travel c − 1 hops; the backward sends them and their gradients.
  const kvBytes = T * kvWidth * ACTIVATION_BYTES;
  const hops = split.contextParallel - 1;
  const contextParallelForwardSeconds = hops * sendSeconds(device, g.cp, kvBytes);
  // Each hop's partial attention output is merged into the running one (online softmax): fp32
  // output and log-sum-exp read and written per hop, in the forward and (for dQ) in the backward.
  const mergeSeconds = hops * hbmSeconds(device, T * headsPerGpu * (v + 1) * 4 * 2);
  return {
    forwardSeconds: gemm + attention.forwardSeconds + elementwiseSeconds + mergeSeconds,
    backwardSeconds: 2 * gemm + attention.backwardSeconds + 2 * elementwiseSeconds + mergeSeconds,
    attentionForwardSeconds: attention.forwardSeconds,
    attentionBackwardSeconds: attention.backwardSeconds,
    selectiveRecomputeSeconds: hbmSeconds(device, normBytes + activationBytes) + (split.attention === 'flash' ? 0 : attention.forwardSeconds),
    tensorParallelSeconds,
    contextParallelForwardSeconds,
    contextParallelBackwardSeconds: 2 * contextParallelForwardSeconds,
    expertParallelSeconds,
    forwardFlops: flops,
    denseParams: dense,
    expertParams: expert,
  };
}

/**
 * Returns the attention core's forward and backward seconds and its executed forward FLOPs on one
 * GPU. FlashAttention: causal, each query meets s/2 keys on average (context parallelism balances
 * the halves), at ATTENTION_EFFICIENCY of the GEMM rate, backward 2.5x. Materialized: full s x s
 * batched GEMMs (QK^T and scores x V, one per sequence and head) and the scores' HBM traffic (written
 * by QK^T, read and written by the fused scale-mask-softmax, read by the second GEMM; with dropout
 * its mask and output too), backward twice the forward.
 */
function attentionCost(
  arch: ThroughputArchitecture,
  device: Device,
  split: BlockSplit,
  headsPerGpu: number,
  qk: number,
  v: number,
): { forwardSeconds: number; backwardSeconds: number; flops: number } {
  const T = split.tokens;
  const s = arch.seqLen;
  if (split.attention === 'flash') {
    const flops = T * s * headsPerGpu * (qk + v);
    const forwardSeconds = flops / (matmulRate(device) * ATTENTION_EFFICIENCY.value);
    return { forwardSeconds, backwardSeconds: ATTENTION_BACKWARD_RATIO * forwardSeconds, flops };
  }
  const queries = T / split.microBatch;
  const copies = split.microBatch * headsPerGpu;
  const gemms = gemmSeconds(device, queries, s, qk, copies) + gemmSeconds(device, queries, v, s, copies);
  const scoreBytes = copies * queries * s * (ACTIVATION_BYTES * 4 + (arch.dropout ? 2 * ACTIVATION_BYTES + 1 : 0));
  const forwardSeconds = gemms + hbmSeconds(device, scoreBytes);
  return { forwardSeconds, backwardSeconds: 2 * forwardSeconds, flops: 2 * T * s * headsPerGpu * (qk + v) };
}

/** The embedding and output layer's costs on one GPU for one micro-batch; seconds. */
export interface EdgeCost {
  /** First stage: the embedding lookup (forward + backward) and its tensor-parallel all-reduce. */
  embeddingSeconds: number;
  embeddingTensorParallelSeconds: number;
  /** Last stage: the logits GEMM and the cross-entropy (forward + backward). */
  outputSeconds: number;
  outputFlopsForward: number;
  /** Parameters of each on one GPU (vocabulary split over TP). */
  embeddingParams: number;
  outputParams: number;
}

/** Returns the costs of the vocabulary layers (none when the vocabulary is unknown). */
export function edgeCost(arch: ThroughputArchitecture, device: Device, split: BlockSplit): EdgeCost {
  const V = arch.vocabSize ?? 0;
  const h = arch.dModel;
  const t = split.tensorParallel;
  const T = split.tokens;
  if (V === 0) return { embeddingSeconds: 0, embeddingTensorParallelSeconds: 0, outputSeconds: 0, outputFlopsForward: 0, embeddingParams: 0, outputParams: 0 };
  const vPerGpu = V / t;
  // Logits: forward, then the input gradient and the weight gradient; fp32 logits written, read by the
  // softmax and their gradient written (vocab-parallel cross-entropy).
  const logits = gemmSeconds(device, T, vPerGpu, h);
  const outputSeconds = 3 * logits + hbmSeconds(device, T * vPerGpu * 4 * 3);
  const embeddingSeconds = hbmSeconds(device, 3 * T * h * ACTIVATION_BYTES);
  // The vocabulary-parallel lookup sums its partial rows once, in the forward pass.
  const embeddingTensorParallelSeconds = allReduceSeconds(device, { size: t, stride: 1 }, T * h * ACTIVATION_BYTES);
  return { embeddingSeconds, embeddingTensorParallelSeconds, outputSeconds, outputFlopsForward: 2 * T * vPerGpu * h, embeddingParams: vPerGpu * h, outputParams: vPerGpu * h };
}
