// How a plan lays its layers over the pipeline: whole layers in every stage and every virtual chunk,
// summing to the model's layers, and how many micro-batches each chunk holds in flight under
// 1F1B. Step time and memory per GPU both read this layout, so they agree on which stage is busiest.

/**
 * The pipeline split rule (whole layers, at most one apart, summing to L):
 * - the p·v chunks (chunk j = k·p + s is virtual chunk k of stage s, Megatron-LM's interleaved order)
 *   hold floor(L/(p·v)) or one more layer; the chunks one short are the first and the last of the
 *   model (they also hold the embedding and the output layer and loss), then the second and the
 *   second-to-last, and so on inwards;
 * - interleaving (v > 1) needs equal chunks: L divisible by p·v (Megatron-LM: layers per stage
 *   divisible by the virtual stages), or L + 2 divisible by p·v with the embedding and the output
 *   layer each taking a layer's place in the first and last chunk (Llama 3, Dubey et al. 2024
 *   §3.3.2: 126 layers on 16 stages, one layer fewer on the first and the last stage; Megatron-Core's
 *   account-for-embedding/loss-in-pipeline-split). Without interleaving any p <= L splits (DeepSpeed's
 *   uniform partition, Megatron-Core's uneven first and last stages).
 * Returns whether the rule splits L layers into p stages of v chunks each.
 * @example splitsIntoChunks(126, 16, 8) // true: 128 = 16 x 8 one-layer slots, the first and last chunk hold only the embedding and the output layer
 * @example splitsIntoChunks(126, 16, 7) // false: 126 / 112 and 128 / 112 are not whole
 */
export function splitsIntoChunks(layers: number, pipelineParallel: number, virtualStages: number): boolean {
  const n = pipelineParallel * virtualStages;
  if (virtualStages === 1) return pipelineParallel <= layers;
  return (n <= layers && layers % n === 0) || (layers + 2) % n === 0;
}

/**
 * Returns the layers of each of the p·v chunks in model order (splitsIntoChunks' rule; a split the
 * rule rejects is still spread as evenly, so that memory of any plan can be read).
 * @example chunkLayerCounts(126, 16, 1) // [7, 8, 8, ..., 8, 7]: 14 x 8 + 2 x 7 = 126
 */
export function chunkLayerCounts(layers: number, pipelineParallel: number, virtualStages: number): number[] {
  const n = pipelineParallel * virtualStages;
  // Every chunk holds q = ceil(L/n) layers but the `short` ones, which hold q − 1.
  const q = Math.ceil(layers / n);
  const short = q * n - layers;
  const counts: number[] = [];
  for (let j = 0; j < n; j++) {
    // Rank of chunk j in the order first, last, second, second-to-last, ...
    const rank = j <= n - 1 - j ? 2 * j : 2 * (n - 1 - j) + 1;
    counts.push(rank < short ? q - 1 : q);
  }
  return counts;
}

/** Layers of one chunk or one stage, by kind. */
export interface LayerKinds {
  dense: number;
  moe: number;
}

/** One pipeline stage: its chunks (virtual order) and their sum. */
export interface StageLayout extends LayerKinds {
  chunks: LayerKinds[];
}

/**
 * Returns every stage's chunks with their dense and MoE layers (the first `denseLayers` of an MoE
 * model are dense, e.g. DeepSeek-V3's first 3 of 61; a dense model's layers are all dense).
 */
export function stageLayouts(layers: number, pipelineParallel: number, virtualStages: number, denseLayers: number | undefined): StageLayout[] {
  const counts = chunkLayerCounts(layers, pipelineParallel, virtualStages);
  const firstDense = denseLayers === undefined ? layers : Math.min(denseLayers, layers);
  const stages: StageLayout[] = Array.from({ length: pipelineParallel }, () => ({ dense: 0, moe: 0, chunks: [] }));
  let from = 0;
  counts.forEach((count, j) => {
    const dense = Math.max(0, Math.min(firstDense, from + count) - from);
    const stage = stages[j % pipelineParallel] as StageLayout;
    stage.chunks.push({ dense, moe: count - dense });
    stage.dense += dense;
    stage.moe += count - dense;
    from += count;
  });
  return stages;
}

/**
 * Returns the stage layouts of a model under p stages of v chunks (stageLayouts with its layers and,
 * for an MoE model, its leading dense layers).
 */
export function modelStageLayouts(model: { layers: number; moe?: { denseLayers?: number | undefined } | undefined }, pipelineParallel: number, virtualStages: number): StageLayout[] {
  return stageLayouts(model.layers, pipelineParallel, virtualStages, model.moe ? (model.moe.denseLayers ?? 0) : undefined);
}

/**
 * Returns, per virtual chunk of `stage`, the micro-batches whose activations it holds at its peak
 * under 1F1B: plain, min(p − s, m) (p − s − 1 warm-up forwards and one more); interleaved
 * (Narayanan et al. 2021 §2.2, Megatron-LM's schedule), N = min(m·v, 2(p − s − 1) + (v − 1)·p + 1)
 * forwards, the i-th on chunk floor((i mod p·v) / p). Stage 0 then holds L·(1 + (p − 1)/(p·v))
 * layers' worth with equal chunks (Korthikanti et al. 2022 §4.2.3).
 * @example inFlightMicroBatches(4, 2, 8, 0) // [7, 4]: N = 6 + 4 + 1 = 11 forwards, chunk 0 gets the 4 of each cycle and 3 more
 */
export function inFlightMicroBatches(pipelineParallel: number, virtualStages: number, microBatches: number, stage: number): number[] {
  const p = pipelineParallel;
  const v = Math.max(1, virtualStages);
  if (v === 1) return [Math.min(p - stage, microBatches)];
  const n = Math.min(microBatches * v, 2 * (p - stage - 1) + (v - 1) * p + 1);
  const cycles = Math.floor(n / (p * v));
  const rest = n - cycles * p * v;
  return Array.from({ length: v }, (_, k) => cycles * p + Math.min(p, Math.max(0, rest - k * p)));
}
