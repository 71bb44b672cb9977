// One optimizer step of a plan: the busiest pipeline stage's micro-batches, the bubble, the sends,
// the data-parallel reduction and the optimizer, in seconds with the breakdown; and memory per GPU.
import { blockCost, edgeCost, type AttentionKernel, type BlockCost, type EdgeCost, type ThroughputArchitecture } from './block.js';
import { ACTIVATION_BYTES, MEMORY_ALLOWANCE, OPTIMIZER_STEP_BYTES } from './constants.js';
import { allGatherSeconds, allReduceSeconds, exposedSeconds, hbmSeconds, sendSeconds, type Device, type Group } from './device.js';
import { planMemory, type MemoryBreakdown, type StateBytes } from './memory.js';
import { microBatches, planGpus, type Plan } from './plan.js';
import { modelStageLayouts, type LayerKinds, type StageLayout } from './stages.js';

/** What a throughput model is built from (once per architecture and hardware). */
export interface ThroughputInputs {
  arch: ThroughputArchitecture;
  device: Device;
  /** FLOPs per trained token as `trainingFlops` counts them (6 x active parameters, or PaLM's count): MFU's numerator. */
  modelFlopsPerToken: number;
  /** Bytes per parameter of weights, gradients and optimizer state (stateBytesOf; sum: the optimizer's bytes per parameter). */
  stateBytes: StateBytes;
  /** Megatron-LM sequence parallelism with tensor parallelism (default true; the 2021 runs had none). */
  sequenceParallel?: boolean;
  /** How attention runs (default FlashAttention; 'materialized' for runs from before it, 2022). */
  attention?: AttentionKernel;
}

/** Seconds of one optimizer step by where they go; they sum to the step time. */
export interface BreakdownSeconds {
  compute: number;
  recompute: number;
  tensorParallel: number;
  pipelineBubble: number;
  pipelineSend: number;
  dataParallelExposed: number;
  contextParallel: number;
  expertParallel: number;
  optimizer: number;
}

/** A plan evaluated: the `results.throughput` object without its origin (issue 10). */
export interface Evaluation {
  plan: Plan;
  stepSeconds: number;
  tokensPerSecondPerGpu: number;
  /** Model FLOPs (as trainingFlops counts them) per second over peak. */
  mfu: number;
  /** The same with the recomputed forward passes counted. */
  hfu: number;
  /** Share of the step the pipeline bubble takes. */
  bubbleFraction: number;
  breakdownSeconds: BreakdownSeconds;
  memoryBytesPerGpu: MemoryBreakdown;
  fits: boolean;
}

/** One split's block costs: a dense block, an MoE block (MoE models) and the vocabulary layers. */
interface Costs {
  dense: BlockCost;
  moe: BlockCost | undefined;
  edge: EdgeCost;
}

/** Returns a plan's stages (whole layers, stages.ts's split rule) for an architecture. */
function layoutsOf(arch: ThroughputArchitecture, plan: Plan): StageLayout[] {
  return modelStageLayouts(arch, plan.pipelineParallel, plan.virtualStages);
}

/**
 * Returns the dense and MoE layers of `stage`: whole layers, its chunks stage, stage + p, ... of
 * the model (stages.ts's split rule; the first `denseLayers` of an MoE model are dense).
 * @example stageLayers(llama405b, { ...plan, pipelineParallel: 16 }, 0) // { dense: 7, moe: 0 } (Llama 3 §3.3.2)
 */
export function stageLayers(arch: ThroughputArchitecture, plan: Plan, stage: number): LayerKinds {
  const layout = layoutsOf(arch, plan)[stage];
  return { dense: layout?.dense ?? 0, moe: layout?.moe ?? 0 };
}

/** A stage's costs for one micro-batch, seconds. */
interface StageCost {
  compute: number;
  forward: number;
  backward: number;
  recompute: number;
  recomputeFlops: number;
  tensorParallel: number;
  contextParallel: number;
  expertParallel: number;
}

/** Returns a throughput model of `inputs`: evaluate(plan) is a little arithmetic on block costs computed once per split. */
export function throughputModel(inputs: ThroughputInputs): { evaluate: (plan: Plan, memory?: MemoryBreakdown) => Evaluation; memory: (plan: Plan) => MemoryBreakdown } {
  const { arch, device } = inputs;
  const blocks = new Map<string, Costs>();
  // The search asks for the same split many times in a row: the last one answers without a lookup.
  let last: { t: number; c: number; e: number; b: number; costs: Costs } | undefined;
  const sequenceParallelOn = inputs.sequenceParallel ?? true;
  const costs = (plan: Plan): Costs => {
    if (last && last.t === plan.tensorParallel && last.c === plan.contextParallel && last.e === plan.expertParallel && last.b === plan.microBatch) return last.costs;
    const key = `${plan.tensorParallel}/${plan.contextParallel}/${plan.expertParallel}/${plan.microBatch}`;
    let found = blocks.get(key);
    if (!found) {
      const split = {
        attention: inputs.attention ?? 'flash',
        microBatch: plan.microBatch,
        tensorParallel: plan.tensorParallel,
        contextParallel: plan.contextParallel,
        expertParallel: plan.expertParallel,
        tokens: (plan.microBatch * arch.seqLen) / plan.contextParallel,
        sequenceParallel: sequenceParallelOn && plan.tensorParallel > 1,
      };
      found = {
        dense: blockCost(arch, device, split, false),
        moe: arch.moe ? blockCost(arch, device, split, true) : undefined,
        edge: edgeCost(arch, device, split),
      };
      blocks.set(key, found);
    }
    last = { t: plan.tensorParallel, c: plan.contextParallel, e: plan.expertParallel, b: plan.microBatch, costs: found };
    return found;
  };

  const stageCost = (plan: Plan, c: Costs, layers: LayerKinds, first: boolean, last: boolean): StageCost => {
    const stage: StageCost = { compute: 0, forward: 0, backward: 0, recompute: 0, recomputeFlops: 0, tensorParallel: 0, contextParallel: 0, expertParallel: 0 };
    addBlocks(stage, plan.recompute, layers.dense, c.dense);
    if (c.moe) addBlocks(stage, plan.recompute, layers.moe, c.moe);
    if (plan.recompute === 'full') stage.recompute = stage.forward;
    if (first) {
      stage.forward += c.edge.embeddingSeconds / 3;
      stage.backward += (2 * c.edge.embeddingSeconds) / 3;
      stage.tensorParallel += c.edge.embeddingTensorParallelSeconds;
    }
    if (last) {
      stage.forward += c.edge.outputSeconds / 3;
      stage.backward += (2 * c.edge.outputSeconds) / 3;
    }
    stage.compute = stage.forward + stage.backward;
    return stage;
  };

  const flash = (inputs.attention ?? 'flash') === 'flash';
  // A search asks for a few pipeline splits many times: each is built once.
  const splits = new Map<number, StageLayout[]>();
  const layouts = (plan: Plan): StageLayout[] => {
    const key = plan.pipelineParallel * 65536 + plan.virtualStages;
    let found = splits.get(key);
    if (!found) {
      found = layoutsOf(arch, plan);
      splits.set(key, found);
    }
    return found;
  };
  const memory = (plan: Plan): MemoryBreakdown => {
    const c = costs(plan);
    const stages = layouts(plan);
    return planMemory(arch, plan, inputs.stateBytes, sequenceParallelOn && plan.tensorParallel > 1, (s) => stageParams(plan, c, stages, s), flash, stages);
  };

  /**
   * Parameters on one GPU of `stage`, dense and expert: its layers', the embedding on the first, the
   * output layer on the last (with several stages a tied embedding is copied there, as Megatron-LM does).
   */
  const stageParams = (plan: Plan, c: Costs, stages: readonly StageLayout[], stage: number): { dense: number; expert: number } => {
    const layers = stages[stage] ?? { dense: 0, moe: 0 };
    let dense = layers.dense * c.dense.denseParams + (c.moe ? layers.moe * c.moe.denseParams : 0);
    if (stage === 0) dense += c.edge.embeddingParams;
    if (stage === plan.pipelineParallel - 1 && (plan.pipelineParallel > 1 || !arch.tiedEmbeddings)) dense += c.edge.outputParams;
    return { dense, expert: c.moe ? layers.moe * c.moe.expertParams : 0 };
  };

  const evaluate = (plan: Plan, memoryBytesPerGpu: MemoryBreakdown = memory(plan)): Evaluation => {
    const p = plan.pipelineParallel;
    const m = microBatches(plan);
    const gpus = planGpus(plan);
    const c = costs(plan);
    const stages = layouts(plan);
    const shard = plan.zero >= 1 ? plan.dataParallel * plan.contextParallel : 1;
    // The busiest stage: the one whose micro-batches, exposed data-parallel traffic and optimizer step
    // take longest (stages alike in layers and edges cost alike: each kind is costed once).
    let busiest: { stage: StageCost; dp: { perMicroBatchExposed: number; stepExposed: number }; optimizer: number; seconds: number } | undefined;
    const seen = new Set<string>();
    for (let s = 0; s < p; s++) {
      const layers = stages[s] as StageLayout;
      const key = `${layers.dense}/${layers.moe}/${s === 0}/${s === p - 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const stage = stageCost(plan, c, layers, s === 0, s === p - 1);
      const params = stageParams(plan, c, stages, s);
      const dp = dataParallelSeconds(device, plan, params, stage, layers.dense + layers.moe, inputs.stateBytes.gradients);
      const optimizer = hbmSeconds(device, ((params.dense + params.expert) * OPTIMIZER_STEP_BYTES) / shard);
      const seconds = m * (total(stage) + dp.perMicroBatchExposed) + dp.stepExposed + optimizer;
      if (!busiest || seconds > busiest.seconds) busiest = { stage, dp, optimizer, seconds };
    }
    if (!busiest) throw new Error('evaluate: a plan without pipeline stages');
    const { dp, optimizer } = busiest;
    const perMicroBatch = total(busiest.stage) + dp.perMicroBatchExposed;
    const bubble = ((p - 1) / plan.virtualStages) * perMicroBatch;
    // Megatron-LM sends 1/t of each boundary activation per tensor rank (scatter-gather), forward and backward.
    const ppGroup: Group = { size: p, stride: plan.tensorParallel * plan.contextParallel * plan.dataParallel };
    const sendBytes = (plan.microBatch * arch.seqLen * arch.dModel * ACTIVATION_BYTES) / (plan.contextParallel * plan.tensorParallel);
    const pipelineSend = p > 1 ? 2 * (m * plan.virtualStages + p - 1) * sendSeconds(device, ppGroup, sendBytes) : 0;
    const stage = busiest.stage;
    const breakdownSeconds: BreakdownSeconds = {
      compute: m * stage.compute,
      recompute: m * stage.recompute,
      tensorParallel: m * stage.tensorParallel,
      pipelineBubble: bubble,
      pipelineSend,
      dataParallelExposed: m * dp.perMicroBatchExposed + dp.stepExposed,
      contextParallel: m * stage.contextParallel,
      expertParallel: m * stage.expertParallel,
      optimizer,
    };
    const b = breakdownSeconds;
    const stepSeconds =
      b.compute + b.recompute + b.tensorParallel + b.pipelineBubble + b.pipelineSend + b.dataParallelExposed + b.contextParallel + b.expertParallel + b.optimizer;
    const tokensPerSecondPerGpu = (plan.globalBatch * arch.seqLen) / (stepSeconds * gpus);
    const peak = device.peakFlopsPerSecond;
    const mfu = (inputs.modelFlopsPerToken * tokensPerSecondPerGpu) / peak;
    const hfu = mfu + (m * stage.recomputeFlops) / (stepSeconds * peak);
    return {
      plan,
      stepSeconds,
      tokensPerSecondPerGpu,
      mfu,
      hfu,
      bubbleFraction: bubble / stepSeconds,
      breakdownSeconds,
      memoryBytesPerGpu,
      fits: memoryBytesPerGpu.total <= device.memoryBytes * (1 - MEMORY_ALLOWANCE.value),
    };
  };
  return { evaluate, memory };
}

/**
 * Adds `count` blocks to a stage's costs: their compute, what the recompute mode adds (full: the
 * forward again, with its collectives; selective: the norms and activation function), their
 * collectives (tensor parallel and expert all-to-all per pass) and the context-parallel exchanges
 * that the attention does not hide. recomputeFlops holds the forward FLOPs (counted when full).
 */
function addBlocks(stage: StageCost, recompute: Plan['recompute'], count: number, block: BlockCost): void {
  const full = recompute === 'full';
  const passes = full ? 3 : 2;
  stage.forward += count * block.forwardSeconds;
  stage.backward += count * block.backwardSeconds;
  if (full) stage.recomputeFlops += count * block.forwardFlops;
  else if (recompute === 'selective') stage.recompute += count * block.selectiveRecomputeSeconds;
  stage.tensorParallel += count * passes * block.tensorParallelSeconds;
  stage.expertParallel += count * passes * block.expertParallelSeconds;
  const hiddenForward = exposedSeconds(block.contextParallelForwardSeconds, block.attentionForwardSeconds);
  const hiddenBackward = exposedSeconds(block.contextParallelBackwardSeconds, block.attentionBackwardSeconds);
  stage.contextParallel += count * ((full ? 2 : 1) * hiddenForward + hiddenBackward);
}

/** Returns a stage's seconds for one micro-batch (compute, recompute and exposed communication). */
function total(s: StageCost): number {
  return s.compute + s.recompute + s.tensorParallel + s.contextParallel + s.expertParallel;
}

/**
 * Returns the exposed seconds of the data-parallel traffic of the stage's parameters: ZeRO 0/1
 * reduce the gradients once per step (all-reduce, or reduce-scatter + all-gather of the updated
 * weights), overlapped with the last micro-batch's backward (all but the last layer's bucket);
 * ZeRO-2 reduce-scatters every micro-batch's gradients behind its backward; ZeRO-3 also gathers the
 * weights before each forward and backward, prefetched behind the micro-batch's compute. Gradients
 * travel at the bytes they are kept in (`gradientBytes`, fp32 under mixed precision: Megatron-LM
 * all-reduces or reduce-scatters its fp32 main-gradient buffers, Llama 3 §3.3.2 reduce-scatters in
 * fp32); weights are gathered in 16 bits.
 */
function dataParallelSeconds(
  device: Device,
  plan: Plan,
  params: { dense: number; expert: number },
  stage: StageCost,
  stageLayerCount: number,
  gradientBytes: number,
): { perMicroBatchExposed: number; stepExposed: number } {
  const dc = plan.dataParallel * plan.contextParallel;
  const denseGroup: Group = { size: dc, stride: plan.tensorParallel };
  const expertGroup: Group = { size: dc / plan.expertParallel, stride: plan.tensorParallel * plan.expertParallel };
  const gather = (bytesPerParam: number): number =>
    allGatherSeconds(device, denseGroup, params.dense * bytesPerParam) + allGatherSeconds(device, expertGroup, params.expert * bytesPerParam);
  const reduce = (): number =>
    allReduceSeconds(device, denseGroup, params.dense * gradientBytes) + allReduceSeconds(device, expertGroup, params.expert * gradientBytes);
  if (dc <= 1) return { perMicroBatchExposed: 0, stepExposed: 0 };
  if (plan.zero === 3) {
    const comm = 2 * gather(ACTIVATION_BYTES) + gather(gradientBytes);
    return { perMicroBatchExposed: exposedSeconds(comm, stage.compute + stage.recompute), stepExposed: 0 };
  }
  const weightsGather = plan.zero >= 1 ? gather(ACTIVATION_BYTES) : 0;
  const hiddenGather = exposedSeconds(weightsGather, stage.forward);
  if (plan.zero === 2) {
    return { perMicroBatchExposed: exposedSeconds(gather(gradientBytes), stage.backward), stepExposed: hiddenGather };
  }
  const gradients = plan.zero === 1 ? gather(gradientBytes) : reduce();
  // Buckets are reduced as the backward frees them; the last layer's bucket is never hidden.
  const exposed = Math.max(exposedSeconds(gradients, stage.backward), gradients / Math.max(1, stageLayerCount));
  return { perMicroBatchExposed: 0, stepExposed: exposed + hiddenGather };
}
