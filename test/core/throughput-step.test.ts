// One optimizer step of a plan (issue 10), composed by hand from one block's costs (pinned term by
// term in throughput-block.test.ts): 1F1B's busiest stage per micro-batch, the bubble of (p − 1)/v
// micro-batches (Narayanan et al. 2021 §2.2), 2 (m v + p − 1) boundary sends, the data-parallel
// traffic of each ZeRO stage (Rajbhandari et al. 2020 §5, §7: 2Ψ all-reduce; Ψ reduce-scatter + Ψ
// all-gather; ZeRO-3 gathers the weights for the forward and again for the backward) and the
// optimizer's HBM pass. Each case states its stages' layers; the model must agree in every field.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  blockCost,
  deviceOf,
  edgeCost,
  planMemory,
  stageLayers,
  stateBytesOf,
  throughputModel,
  type BlockCost,
  type Device,
  type Evaluation,
  type Plan,
  type ThroughputArchitecture,
  type ThroughputInputs,
} from '../../src/core/throughput/index.js';
import { MEMORY_ALLOWANCE } from '../../src/core/throughput/constants.js';
import { allGatherSeconds, allReduceSeconds, exposedSeconds, hbmSeconds, sendSeconds, type Group } from '../../src/core/throughput/device.js';

let h100: Device;
beforeEach(() => {
  h100 = deviceOf({ gpuName: 'h100', peakFlopsPerSecond: 989.4e12, memoryBytes: 80e9, memoryBandwidthTBs: 3.35, scaleUpGBpsPerDirection: 450, scaleUpDomainGpus: 8, scaleOutGbpsPerGpu: 400 });
});

const gpt3: ThroughputArchitecture = { layers: 96, dModel: 12288, heads: 96, vocabSize: 51200, seqLen: 2048, tiedEmbeddings: true };
const llama405b: ThroughputArchitecture = { layers: 126, dModel: 16384, heads: 128, kvHeads: 8, ffnDim: 53248, vocabSize: 128256, seqLen: 8192, ffnGated: true, tiedEmbeddings: false };
const mixtral: ThroughputArchitecture = { layers: 32, dModel: 4096, heads: 32, kvHeads: 8, ffnDim: 14336, vocabSize: 32000, seqLen: 4096, ffnGated: true, moe: { experts: 8, activeExperts: 2 } };
// 18 layers, the first 5 dense, no vocabulary: on 4 stages of whole layers, 4 + 5 + 5 + 4 (18 + 2 =
// 4 x 5, one fewer on the first and the last), layers 0-3 dense, 4-8 one dense and 4 MoE, 9-13 MoE,
// 14-17 MoE: the third stage (5 MoE layers) is the busiest.
const moeWithDenseLayers: ThroughputArchitecture = { ...mixtral, layers: 18, vocabSize: undefined, moe: { experts: 8, activeExperts: 2, denseLayers: 5 } };

const plan = (over: Partial<Plan>): Plan => ({ tensorParallel: 1, pipelineParallel: 1, dataParallel: 1, contextParallel: 1, expertParallel: 1, microBatch: 1, globalBatch: 1, recompute: 'selective', virtualStages: 1, zero: 0, ...over });

type Layers = { dense: number; moe: number };
interface Case {
  name: string;
  arch: ThroughputArchitecture;
  plan: Plan;
  /** Layers of every stage, first to last (whole layers, by hand). */
  stages: Layers[];
  sequenceParallel?: boolean;
  attention?: 'flash' | 'materialized';
}

/** The step of `c.plan` composed by hand from block costs; returns the evaluation the model should give. */
function handStep(c: Case, modelFlopsPerToken: number): Omit<Evaluation, 'memoryBytesPerGpu' | 'fits'> & { paramsOf: (stage: number) => { dense: number; expert: number } } {
  const { arch, plan: p } = c;
  const [t, pp, d, cp, e, b, v] = [p.tensorParallel, p.pipelineParallel, p.dataParallel, p.contextParallel, p.expertParallel, p.microBatch, p.virtualStages];
  const sp = (c.sequenceParallel ?? true) && t > 1;
  const split = { attention: c.attention ?? 'flash', microBatch: b, tensorParallel: t, contextParallel: cp, expertParallel: e, tokens: (b * arch.seqLen) / cp, sequenceParallel: sp } as const;
  const dense = blockCost(arch, h100, split, false);
  const moe = arch.moe ? blockCost(arch, h100, split, true) : dense;
  const edge = edgeCost(arch, h100, split);
  const full = p.recompute === 'full';
  const stage = (layers: Layers, first: boolean, last: boolean) => {
    const sum = (f: (x: BlockCost) => number): number => layers.dense * f(dense) + layers.moe * f(moe);
    const forward = sum((x) => x.forwardSeconds) + (first ? edge.embeddingSeconds / 3 : 0) + (last ? edge.outputSeconds / 3 : 0);
    const backward = sum((x) => x.backwardSeconds) + (first ? (2 * edge.embeddingSeconds) / 3 : 0) + (last ? (2 * edge.outputSeconds) / 3 : 0);
    // Full recomputation runs the blocks' forward again (not the vocabulary layers), with its collectives.
    const recompute = full ? sum((x) => x.forwardSeconds) : p.recompute === 'selective' ? sum((x) => x.selectiveRecomputeSeconds) : 0;
    const passes = full ? 3 : 2;
    const tensorParallel = passes * sum((x) => x.tensorParallelSeconds) + (first ? edge.embeddingTensorParallelSeconds : 0);
    const expertParallel = passes * sum((x) => x.expertParallelSeconds);
    const contextParallel = sum((x) => (full ? 2 : 1) * exposedSeconds(x.contextParallelForwardSeconds, x.attentionForwardSeconds) + exposedSeconds(x.contextParallelBackwardSeconds, x.attentionBackwardSeconds));
    const total = forward + backward + recompute + tensorParallel + expertParallel + contextParallel;
    return { forward, backward, recompute, tensorParallel, expertParallel, contextParallel, total, recomputeFlops: full ? sum((x) => x.forwardFlops) : 0 };
  };
  // Parameters of a stage: its layers', the embedding on the first, the output layer on the last
  // (with several stages a tied embedding is copied there, as Megatron-LM does).
  const paramsOf = (i: number) => {
    const l = c.stages[i] as Layers;
    const output = i === pp - 1 && (pp > 1 || !arch.tiedEmbeddings) ? edge.outputParams : 0;
    return {
      dense: l.dense * dense.denseParams + l.moe * (arch.moe ? moe.denseParams : 0) + (i === 0 ? edge.embeddingParams : 0) + output,
      expert: arch.moe ? l.moe * moe.expertParams : 0,
    };
  };
  // Data parallelism over DP x CP ranks (stride t); experts over DP x CP / EP (stride t x EP); bf16 weights and gradients.
  const dc = d * cp;
  const denseGroup: Group = { size: dc, stride: t };
  const expertGroup: Group = { size: dc / e, stride: t * e };
  const m = p.globalBatch / (d * b);
  const timed = c.stages.map((l, i) => {
    const st = stage(l, i === 0, i === pp - 1);
    const params = paramsOf(i);
    // Weights travel in bf16 (2 bytes), gradients in fp32 (4: Megatron-LM's fp32 main-gradient buffers for bf16; Llama 3 §3.3.2).
    const gather = (bytes = 2): number => allGatherSeconds(h100, denseGroup, params.dense * bytes) + allGatherSeconds(h100, expertGroup, params.expert * bytes);
    let perMicroBatch = 0;
    let perStep = 0;
    if (dc > 1) {
      const layerCount = l.dense + l.moe;
      if (p.zero === 3) perMicroBatch = exposedSeconds(2 * gather() + gather(4), st.forward + st.backward + st.recompute);
      else if (p.zero === 2) {
        perMicroBatch = exposedSeconds(gather(4), st.backward);
        perStep = exposedSeconds(gather(), st.forward);
      } else {
        const gradients = p.zero === 1 ? gather(4) : allReduceSeconds(h100, denseGroup, params.dense * 4) + allReduceSeconds(h100, expertGroup, params.expert * 4);
        // The last layer's bucket is reduced after the backward ends.
        perStep = Math.max(exposedSeconds(gradients, st.backward), gradients / layerCount) + (p.zero === 1 ? exposedSeconds(gather(), st.forward) : 0);
      }
    }
    // The optimizer reads fp32 master weights, both moments and the gradient and writes them back with the bf16 weights: 30 bytes per parameter of its shard.
    const optimizer = hbmSeconds(h100, ((params.dense + params.expert) * 30) / (p.zero >= 1 ? dc : 1));
    return { st, perMicroBatch, perStep, optimizer, seconds: m * (st.total + perMicroBatch) + perStep + optimizer };
  });
  // The busiest stage (micro-batches, exposed data-parallel traffic and optimizer) paces the pipeline (the first of equals).
  const pick = timed.reduce((x, y) => (y.seconds > x.seconds ? y : x));
  const { st: busiest, perMicroBatch, perStep, optimizer } = pick;
  const bubble = ((pp - 1) / v) * (busiest.total + perMicroBatch);
  const send = pp > 1 ? 2 * (m * v + pp - 1) * sendSeconds(h100, { size: pp, stride: t * cp * d }, (b * arch.seqLen * arch.dModel * 2) / (cp * t)) : 0;
  const breakdownSeconds = {
    compute: m * (busiest.forward + busiest.backward),
    recompute: m * busiest.recompute,
    tensorParallel: m * busiest.tensorParallel,
    pipelineBubble: bubble,
    pipelineSend: send,
    dataParallelExposed: m * perMicroBatch + perStep,
    contextParallel: m * busiest.contextParallel,
    expertParallel: m * busiest.expertParallel,
    optimizer,
  };
  const stepSeconds = Object.values(breakdownSeconds).reduce((x, y) => x + y, 0);
  const tokensPerSecondPerGpu = (p.globalBatch * arch.seqLen) / (stepSeconds * t * pp * d * cp);
  const mfu = (modelFlopsPerToken * tokensPerSecondPerGpu) / 989.4e12;
  return { plan: p, stepSeconds, tokensPerSecondPerGpu, mfu, hfu: mfu + (m * busiest.recomputeFlops) / (stepSeconds * 989.4e12), bubbleFraction: bubble / stepSeconds, breakdownSeconds, paramsOf };
}

const cases: Case[] = [
  { name: 'GPT-3, TP 8 x PP 4 x DP 2, selective, ZeRO-1 (24 layers a stage; the tied output layer on the last)', arch: gpt3, plan: plan({ tensorParallel: 8, pipelineParallel: 4, dataParallel: 2, globalBatch: 16, zero: 1 }), stages: Array(4).fill({ dense: 24, moe: 0 }) },
  { name: 'GPT-3, TP 8 x DP 4, no recomputation, ZeRO-0 (one stage holds everything)', arch: gpt3, plan: plan({ tensorParallel: 8, dataParallel: 4, globalBatch: 32, recompute: 'none' }), stages: [{ dense: 96, moe: 0 }] },
  { name: 'GPT-3 as in 2021: no sequence parallelism, materialized attention, TP 8 x PP 2 x DP 2, none', arch: gpt3, plan: plan({ tensorParallel: 8, pipelineParallel: 2, dataParallel: 2, globalBatch: 8, recompute: 'none' }), stages: [{ dense: 48, moe: 0 }, { dense: 48, moe: 0 }], sequenceParallel: false, attention: 'materialized' },
  { name: 'Llama 3 405B, TP 8 x DP 2, full recomputation, ZeRO-2, untied output layer on the one stage', arch: llama405b, plan: plan({ tensorParallel: 8, dataParallel: 2, globalBatch: 4, recompute: 'full', zero: 2 }), stages: [{ dense: 126, moe: 0 }] },
  { name: 'Llama 3 405B, TP 8 x PP 8 (2 chunks each) x CP 2, full, ZeRO-3: 126 + 2 = 16 chunks of 8, the first and last of 7: 15 + 6 x 16 + 15 layers', arch: llama405b, plan: plan({ tensorParallel: 8, pipelineParallel: 8, contextParallel: 2, globalBatch: 16, recompute: 'full', virtualStages: 2, zero: 3 }), stages: [{ dense: 15, moe: 0 }, ...Array(6).fill({ dense: 16, moe: 0 }), { dense: 15, moe: 0 }] },
  { name: 'Mixtral, TP 2 x DP 8 x EP 4, selective, ZeRO-1: experts reduced over 2 ranks 8 apart', arch: mixtral, plan: plan({ tensorParallel: 2, dataParallel: 8, expertParallel: 4, globalBatch: 64, zero: 1 }), stages: [{ dense: 0, moe: 32 }] },
  { name: 'Mixtral, DP 4 x EP 2 x micro-batch 2, none, ZeRO-0: gradient all-reduce of both groups', arch: mixtral, plan: plan({ dataParallel: 4, expertParallel: 2, microBatch: 2, globalBatch: 16, recompute: 'none' }), stages: [{ dense: 0, moe: 32 }] },
  { name: 'MoE with 5 dense layers on PP 4 x DP 2 x EP 2, ZeRO-0: the third stage is the busiest', arch: moeWithDenseLayers, plan: plan({ pipelineParallel: 4, dataParallel: 2, expertParallel: 2, globalBatch: 8 }), stages: [{ dense: 4, moe: 0 }, { dense: 1, moe: 4 }, { dense: 0, moe: 5 }, { dense: 0, moe: 4 }] },
];

describe('a step composed by hand from block costs', () => {
  it.each(cases)('$name', (c) => {
    const inputs: ThroughputInputs = { arch: c.arch, device: h100, modelFlopsPerToken: 6 * 1e11, stateBytes: stateBytesOf(18), ...(c.sequenceParallel === undefined ? {} : { sequenceParallel: c.sequenceParallel }), ...(c.attention ? { attention: c.attention } : {}) };
    const model = throughputModel(inputs);
    const got = model.evaluate(c.plan);
    const { paramsOf, ...expected } = handStep(c, 6 * 1e11);
    for (const [key, value] of Object.entries(expected.breakdownSeconds)) {
      const actual = got.breakdownSeconds[key as keyof typeof got.breakdownSeconds];
      if (value === 0) expect(actual, key).toBe(0);
      else expect(Math.abs(actual / value - 1), `${key}: ${actual} vs ${value}`).toBeLessThan(1e-12);
    }
    for (const key of ['stepSeconds', 'tokensPerSecondPerGpu', 'mfu', 'hfu', 'bubbleFraction'] as const) {
      if (expected[key] === 0) expect(got[key], key).toBe(0);
      else expect(Math.abs(got[key] / expected[key] - 1), key).toBeLessThan(1e-12);
    }
    // Memory: the busiest stage's (of each stage's parameters under the plan's ZeRO stage and its activations).
    const sp = (c.sequenceParallel ?? true) && c.plan.tensorParallel > 1;
    const memory = planMemory(c.arch, c.plan, stateBytesOf(18), sp, paramsOf, (c.attention ?? 'flash') === 'flash');
    expect(got.memoryBytesPerGpu).toEqual(memory);
    expect(model.memory(c.plan)).toEqual(memory);
    expect(got.fits).toBe(memory.total <= 80e9 * (1 - MEMORY_ALLOWANCE.value));
  });

  it('fits: GPT-3 on TP 8 x PP 8 x DP 2, ZeRO-1 fits 80 GB (175e9 / 64 x (2 + 4 + 12 / 2) = 33 GB of state); on TP 8 alone its 394 GB of state do not', () => {
    const model = throughputModel({ arch: gpt3, device: h100, modelFlopsPerToken: 6 * 175e9, stateBytes: stateBytesOf(18) });
    expect(model.evaluate(plan({ tensorParallel: 8, pipelineParallel: 8, dataParallel: 2, globalBatch: 16, zero: 1 })).fits).toBe(true);
    // On TP 8 x PP 4 the state alone is 175e9 / 32 x 12 = 66 GB: with activations over the 72 GB left.
    expect(model.evaluate(cases[0]!.plan).fits).toBe(false);
    expect(model.evaluate(cases[1]!.plan).fits).toBe(false);
  });

  it('a model evaluates the same whatever it evaluated before (its cache of block costs is keyed by TP, CP, EP and micro-batch)', () => {
    const inputs: ThroughputInputs = { arch: mixtral, device: h100, modelFlopsPerToken: 6 * 12.9e9, stateBytes: stateBytesOf(18) };
    const shared = throughputModel(inputs);
    const sequence = [
      plan({ tensorParallel: 2, dataParallel: 8, expertParallel: 4, globalBatch: 64 }),
      plan({ tensorParallel: 4, dataParallel: 4, expertParallel: 4, globalBatch: 64 }),
      plan({ tensorParallel: 4, dataParallel: 2, contextParallel: 2, expertParallel: 2, globalBatch: 64 }),
      plan({ tensorParallel: 4, dataParallel: 2, contextParallel: 2, expertParallel: 1, globalBatch: 64 }),
      plan({ tensorParallel: 4, dataParallel: 2, contextParallel: 2, expertParallel: 1, microBatch: 2, globalBatch: 64 }),
      plan({ tensorParallel: 2, dataParallel: 8, expertParallel: 4, globalBatch: 64 }),
    ];
    for (const p of sequence) expect(shared.evaluate(p)).toEqual(throughputModel(inputs).evaluate(p));
  });
});

describe('layers of a stage by kind (an MoE model\'s first layers are dense)', () => {
  it.each([
    // L = 16, 5 dense layers, 4 stages of 4 layers: stage 0 layers 0-3, stage 1 layers 4-7 (one dense), ...
    [1, 0, { dense: 4, moe: 0 }],
    [1, 1, { dense: 1, moe: 3 }],
    [1, 3, { dense: 0, moe: 4 }],
    // Interleaved, 2 chunks of 2 layers per stage: stage 0 holds layers 0-1 and 8-9, stage 2 layers 4-5 and 12-13.
    [2, 0, { dense: 2, moe: 2 }],
    [2, 1, { dense: 2, moe: 2 }],
    [2, 2, { dense: 1, moe: 3 }],
    [2, 3, { dense: 0, moe: 4 }],
  ] as const)('16 layers, 5 dense, PP 4, %d chunk(s) per stage: stage %d', (v, stage, expected) => {
    const arch = { ...mixtral, layers: 16, moe: { experts: 8, activeExperts: 2, denseLayers: 5 } };
    expect(stageLayers(arch, plan({ pipelineParallel: 4, virtualStages: v, globalBatch: 8 }), stage)).toEqual(expected);
  });

  it('without denseLayers every layer of an MoE model is an MoE layer; a dense model has no MoE layer', () => {
    expect(stageLayers({ ...mixtral, layers: 16 }, plan({ pipelineParallel: 4 }), 0)).toEqual({ dense: 0, moe: 4 });
    expect(stageLayers(gpt3, plan({ pipelineParallel: 4 }), 3)).toEqual({ dense: 24, moe: 0 });
  });
});
