// Memory per GPU of a plan: the busiest pipeline stage for memory with its weights, gradients,
// optimizer state under the ZeRO stage, and its activations under 1F1B.
import { activationBytesByStage, type ActivationPlan } from '../memory.js';
import type { ThroughputArchitecture } from './block.js';
import { microBatches, type Plan } from './plan.js';
import { modelStageLayouts, type StageLayout } from './stages.js';

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

/** Bytes per parameter of 16-bit weights and of fp32 gradients under mixed precision (OPTIMIZERS' rule). */
const MIXED_WEIGHT_BYTES = 2;
const MIXED_GRADIENT_BYTES = 4;

/**
 * Returns the split of an optimizer's bytes per parameter into weights, gradients and the rest
 * (fp32 master weights and moments), bytes per parameter: mixed precision keeps 16-bit weights and
 * fp32 gradients (Megatron-Core's "bf16 parameters, fp32 gradients" 2 + 4 + 12 = 18; Llama 3
 * §3.3.2), fp32 training 4-byte weights and gradients (4 + 4 + 8). A total below the two is split
 * in the same proportion with no optimizer state.
 * @example stateBytesOf(18) // { weights: 2, gradients: 4, optimizer: 12 }
 */
export function stateBytesOf(bytesPerParam: number, fp32 = false): StateBytes {
  const w = fp32 ? 4 : MIXED_WEIGHT_BYTES;
  const g = fp32 ? 4 : MIXED_GRADIENT_BYTES;
  if (bytesPerParam <= w + g) return { weights: (bytesPerParam * w) / (w + g), gradients: (bytesPerParam * g) / (w + g), optimizer: 0 };
  return { weights: w, gradients: g, optimizer: bytesPerParam - w - g };
}

/**
 * Returns the bytes per parameter a checkpoint writes: the training state less its gradients, which
 * are not saved (weights, fp32 master and moments: 2 + 12 = 14 of mixed-precision Adam's 18).
 * @example checkpointBytesOf(18) // 14
 */
export function checkpointBytesOf(bytesPerParam: number, fp32 = false): number {
  return bytesPerParam - stateBytesOf(bytesPerParam, fp32).gradients;
}

/**
 * Returns memory per GPU of the plan's busiest pipeline stage for memory: the stage whose total is
 * largest, each stage holding its own whole layers (stageLayouts) with their parameters
 * (`paramsOf(stage)`, dense ones sharded over DP x CP and expert ones over DP x CP / EP as the ZeRO
 * stage says: 1 the optimizer state, 2 also the gradients, 3 also the weights, which then need two
 * gathered layers in flight) and its activations (activationBytesByStage: its chunks' micro-batches
 * in flight under 1F1B, Korthikanti et al. 2022 with the real architecture; with FlashAttention no
 * scores are stored). With leading dense layers (DeepSeek-V3's 3) or uneven stages (Llama 3's 7 on
 * the first and last) the busiest is not necessarily the first.
 */
export function planMemory(
  arch: ThroughputArchitecture,
  plan: Plan,
  state: StateBytes,
  sequenceParallel: boolean,
  paramsOf: (stage: number) => { dense: number; expert: number },
  flashAttention = true,
  layouts: readonly StageLayout[] = modelStageLayouts(arch, plan.pipelineParallel, plan.virtualStages),
): MemoryBreakdown {
  const dc = plan.dataParallel * plan.contextParallel;
  const activationPlan: ActivationPlan = {
    seqLen: arch.seqLen,
    microBatch: plan.microBatch,
    tensorParallel: plan.tensorParallel,
    sequenceParallel,
    pipelineParallel: plan.pipelineParallel,
    virtualStages: plan.virtualStages,
    microBatches: microBatches(plan),
    contextParallel: plan.contextParallel,
    recompute: plan.recompute,
    attention: flashAttention ? 'flash' : 'materialized',
  };
  const activations = activationBytesByStage(arch, activationPlan, layouts);
  let busiest: MemoryBreakdown | undefined;
  for (let stage = 0; stage < layouts.length; stage++) {
    const params = paramsOf(stage);
    const shard = (zero: number, bytes: number): number =>
      params.dense * bytes / (plan.zero >= zero ? dc : 1) + params.expert * bytes / (plan.zero >= zero ? dc / plan.expertParallel : 1);
    let weights = shard(3, state.weights);
    if (plan.zero === 3) {
      const layout = layouts[stage] as StageLayout;
      weights += (2 * (params.dense + params.expert) * state.weights) / Math.max(1, layout.dense + layout.moe);
    }
    const gradients = shard(2, state.gradients);
    const optimizer = shard(1, state.optimizer);
    const acts = activations[stage] ?? 0;
    const total = weights + gradients + optimizer + acts;
    if (!busiest || total > busiest.total) busiest = { weights, gradients, optimizer, activations: acts, total };
  }
  return busiest ?? { weights: 0, gradients: 0, optimizer: 0, activations: 0, total: 0 };
}
