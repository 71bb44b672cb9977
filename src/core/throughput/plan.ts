// A parallel plan and the structural rules it must satisfy before it can be evaluated.
import type { ThroughputArchitecture } from './block.js';
import { splitsIntoChunks } from './stages.js';

/** Which activations the backward pass recomputes (Korthikanti et al. 2022 §5). */
export type Recompute = 'none' | 'selective' | 'full';
/** ZeRO stage over data parallelism: 0 none, 1 optimizer state, 2 + gradients, 3 + weights sharded. */
export type ZeroStage = 0 | 1 | 2 | 3;

/** A parallel plan: the `results.throughput.plan` object (issue 10). */
export interface Plan {
  tensorParallel: number;
  pipelineParallel: number;
  dataParallel: number;
  contextParallel: number;
  expertParallel: number;
  /** Sequences per micro-batch. */
  microBatch: number;
  /** Sequences per optimizer step, over all data-parallel ranks. */
  globalBatch: number;
  recompute: Recompute;
  /** Model chunks per pipeline stage (interleaved 1F1B); 1 for plain 1F1B. */
  virtualStages: number;
  zero: ZeroStage;
}

/** Why a plan cannot run at all (before memory): the keys of `plan --json`'s `rejected` counts. */
export type StructuralReason =
  | 'heads not divisible by tensor parallel'
  | 'layers fewer than pipeline chunks'
  | 'layers not divisible into equal interleaved chunks'
  | 'global batch not divisible by data parallel x micro-batch'
  | 'experts not divisible by expert parallel'
  | 'sequence not divisible by 2 x context parallel'
  | 'interleaving needs pipeline and micro-batches divisible by it';

/** The reason a plan is rejected for memory. */
export const MEMORY_REASON = 'does not fit in GPU memory';

/** Returns micro-batches per optimizer step per pipeline, m = global batch / (DP x micro-batch). */
export function microBatches(plan: Plan): number {
  return plan.globalBatch / (plan.dataParallel * plan.microBatch);
}

/** Returns the GPUs a plan uses, TP x PP x DP x CP (EP shares the data-parallel ranks). */
export function planGpus(plan: Plan): number {
  return plan.tensorParallel * plan.pipelineParallel * plan.dataParallel * plan.contextParallel;
}

/**
 * Returns why `plan` cannot run on `arch`, or undefined when it can: TP must divide the heads, every
 * stage must get a layer and, interleaved, every chunk as many as every other (splitsIntoChunks: L
 * or L + 2 divisible by p·v, Megatron-LM and Llama 3 §3.3.2), the global batch must split into whole
 * micro-batches on every data-parallel rank, EP must divide the experts and the data-parallel ranks, a context-parallel
 * sequence must split into 2·CP balanced chunks, interleaving needs PP > 1 and m divisible by PP
 * (Megatron-LM's interleaved 1F1B).
 */
export function structuralReason(arch: ThroughputArchitecture, plan: Plan): StructuralReason | undefined {
  if (arch.heads % plan.tensorParallel !== 0) return 'heads not divisible by tensor parallel';
  // Llama 3's split lets the embedding and the output layer fill a chunk each: L + 2 chunks at most.
  if (plan.pipelineParallel > arch.layers || plan.pipelineParallel * plan.virtualStages > arch.layers + 2) return 'layers fewer than pipeline chunks';
  if (plan.globalBatch % (plan.dataParallel * plan.microBatch) !== 0) return 'global batch not divisible by data parallel x micro-batch';
  const experts = arch.moe?.experts;
  if (plan.expertParallel > 1 && (experts === undefined || experts % plan.expertParallel !== 0 || plan.dataParallel % plan.expertParallel !== 0)) {
    return 'experts not divisible by expert parallel';
  }
  if (plan.contextParallel > 1 && arch.seqLen % (2 * plan.contextParallel) !== 0) return 'sequence not divisible by 2 x context parallel';
  if (plan.virtualStages > 1 && (plan.pipelineParallel === 1 || microBatches(plan) % plan.pipelineParallel !== 0)) {
    return 'interleaving needs pipeline and micro-batches divisible by it';
  }
  if (!splitsIntoChunks(arch.layers, plan.pipelineParallel, plan.virtualStages)) return 'layers not divisible into equal interleaved chunks';
  return undefined;
}
