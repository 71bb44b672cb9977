// Memory per GPU of a plan: the first pipeline stage (the busiest) with its weights, gradients,
// optimizer state under the ZeRO stage, and its activations under 1F1B.
import { activationBytesPerLayer, stageActivationBytes, type ActivationPlan } from '../memory.js';
import type { ThroughputArchitecture } from './block.js';
import { microBatches, type Plan } from './plan.js';

/** Bytes per parameter of each part of the training state. */
export interface StateBytes {
  weights: number;
  gradients: number;
  optimizer: number;
}

/** Memory of one GPU, bytes: the `results.throughput.memoryBytesPerGpu` object (issue 10). */
export interface MemoryBreakdown {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  total: number;
}

/**
 * Returns the split of an optimizer's bytes per parameter into 16-bit weights, gradients and the rest
 * (fp32 master weights and moments): ZeRO paper §3.1's 2 + 2 + 12 for mixed-precision Adam; fp32
 * training keeps 4-byte weights and gradients.
 * @example stateBytesOf(16) // { weights: 2, gradients: 2, optimizer: 12 }
 */
export function stateBytesOf(bytesPerParam: number, fp32 = false): StateBytes {
  const w = fp32 ? 4 : 2;
  if (bytesPerParam <= 2 * w) return { weights: bytesPerParam / 2, gradients: bytesPerParam / 2, optimizer: 0 };
  return { weights: w, gradients: w, optimizer: bytesPerParam - 2 * w };
}

/**
 * Returns the share of a layer's selectively-recomputed activations (Korthikanti et al.'s selective:
 * no attention scores) that llmcost's selective recomputation also drops: the two norm outputs and
 * the FFN activation function's output, rebuilt from the stored norm inputs and GEMM outputs in the
 * backward (op-level selective checkpointing: torchtitan's "op" policy saves matmul and attention
 * outputs only; Megatron-Core's --recompute-modules layernorm, moe_act).
 */
function selectiveSavings(arch: ThroughputArchitecture, plan: ActivationPlan): number {
  const stored = activationBytesPerLayer(arch, plan);
  const tokens = (plan.seqLen / plan.contextParallel) * plan.microBatch;
  const spShare = plan.sequenceParallel ? 1 / plan.tensorParallel : 1;
  const h = arch.dModel;
  const e = arch.moe;
  // MoE layers: the routed copies' and shared experts' activation outputs (averaged with dense layers as activationBytesPerLayer does).
  const moeShare = e ? (arch.layers - Math.min(e.denseLayers ?? 0, arch.layers)) / arch.layers : 0;
  const width = e ? (e.moeFfnDim ?? arch.ffnDim ?? 4 * h) * (e.activeExperts + (e.sharedExperts ?? 0)) : 0;
  const ffn = (1 - moeShare) * (arch.ffnDim ?? 4 * h) + moeShare * width;
  const saved = tokens * 2 * (2 * h * spShare + ffn / plan.tensorParallel);
  return Math.min(0.9, saved / stored);
}

/**
 * Returns memory per GPU of the first pipeline stage: its parameters (`params`, dense ones sharded
 * over DP x CP and expert ones over DP x CP / EP as the ZeRO stage says: 1 the optimizer state, 2 also
 * the gradients, 3 also the weights, which then need two gathered layers in flight) and its
 * activations (stageActivationBytes, Korthikanti et al. 2022 with the real architecture). With
 * FlashAttention the scores are never stored, so no recomputation stores what selective keeps.
 */
export function planMemory(
  arch: ThroughputArchitecture,
  plan: Plan,
  state: StateBytes,
  sequenceParallel: boolean,
  params: { dense: number; expert: number },
  flashAttention = true,
): MemoryBreakdown {
  const dc = plan.dataParallel * plan.contextParallel;
  const shard = (stage: number, bytes: number): number =>
    params.dense * bytes / (plan.zero >= stage ? dc : 1) + params.expert * bytes / (plan.zero >= stage ? dc / plan.expertParallel : 1);
  let weights = shard(3, state.weights);
  if (plan.zero === 3) {
    const layers = Math.max(1, Math.ceil(arch.layers / plan.pipelineParallel));
    weights += (2 * (params.dense + params.expert) * state.weights) / layers;
  }
  const gradients = shard(2, state.gradients);
  const optimizer = shard(1, state.optimizer);
  const activationPlan: ActivationPlan = {
    seqLen: arch.seqLen,
    microBatch: plan.microBatch,
    tensorParallel: plan.tensorParallel,
    sequenceParallel,
    pipelineParallel: plan.pipelineParallel,
    virtualStages: plan.virtualStages,
    microBatches: microBatches(plan),
    contextParallel: plan.contextParallel,
    recompute: flashAttention && plan.recompute === 'none' ? 'selective' : plan.recompute,
  };
  let activations = stageActivationBytes(arch, activationPlan);
  if (plan.recompute === 'selective') activations *= 1 - selectiveSavings(arch, activationPlan);
  return { weights, gradients, optimizer, activations, total: weights + gradients + optimizer + activations };
}
