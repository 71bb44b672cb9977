import { describe, expect, it } from 'vitest';
import {
  activationBytesPerLayer,
  interleavedFactor,
  memoryFor,
  minGpusForState,
  OPTIMIZERS,
  stageActivationBytes,
  trainingStateBytes,
  type ActivationArchitecture,
  type ActivationPlan,
} from '../../src/core/memory.js';

describe('training state (ZeRO paper, Rajbhandari et al. 2020, §3.1; Megatron-Core distributed-optimizer docs)', () => {
  it('the ZeRO paper\'s 16 bytes per parameter (2 + 2 + 12, 16-bit gradients): a 1.5B GPT-2 needs 24 GB, a 7.5B model 120 GB (Figure 1 baseline)', () => {
    expect(trainingStateBytes(1.5e9, 16)).toBe(24e9);
    expect(trainingStateBytes(7.5e9, 16)).toBe(120e9);
  });

  it('mixed-precision Adam keeps fp32 gradients: 2 + 4 + 12 = 18 bytes per parameter (Megatron-Core, "bf16 parameters, fp32 gradients"); fp32 Adam 16 ("fp32 parameters, fp32 gradients")', () => {
    expect(OPTIMIZERS['adam-mixed']).toBe(18);
    expect(OPTIMIZERS['adam-fp32']).toBe(16);
    expect(trainingStateBytes(405e9, OPTIMIZERS['adam-mixed'])).toBe(7.29e12);
  });

  it('8-bit Adam (Dettmers et al. 2022) keeps 2 + 4 + 4 (master) + 2 (two 1-byte states) = 12 bytes per parameter', () => {
    expect(OPTIMIZERS['adam-8bit']).toBe(12);
  });

  it.each([
    [405e9, 16, 80e9, 81], // issue 4: 6.48 TB / 80 GB
    [405e9, 18, 80e9, 92], // 7.29 TB / 80 GB = 91.1
    [405e9, 16, 141e9, 46],
    [8e9, 16, 80e9, 2],
    [1, 16, 80e9, 1],
  ])('%d params x %d B on %d-byte GPUs → %d GPUs', (params, bpp, mem, gpus) => {
    expect(minGpusForState(trainingStateBytes(params, bpp), mem)).toBe(gpus);
  });

  it('fits, and the largest model a cluster holds', () => {
    const m = memoryFor(405e9, 16, 80e9, 81);
    expect(m.fits).toBe(true);
    expect(memoryFor(405e9, 16, 80e9, 80).fits).toBe(false);
    expect(m.maxParamsForGpus).toBe(405e9);
  });
});

// Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models"
// (arXiv:2205.05198), §4.1 and Table 2 (activations memory per transformer layer):
//   no parallelism                          sbh(34 + 5as/h)
//   tensor parallel (baseline)              sbh(10 + 24/t + 5as/(ht))
//   tensor + sequence parallel              sbh(34/t + 5as/(ht))
//   tensor parallel + selective recompute   sbh(10 + 24/t)
//   tensor + sequence parallel + selective  sbh(34/t)
//   full activation recomputation           sbh(2)
// They assume full multi-head attention, a 4h GeLU MLP and dropout: the `paper` architecture.
describe('activations per layer (Korthikanti et al. 2022, Table 2)', () => {
  // GPT-3 175B as in the paper's Table 3: s = 2048, h = 12288, a = 96, L = 96, t = 8, b = 1.
  const gpt3: ActivationArchitecture = { layers: 96, dModel: 12_288, heads: 96, dropout: true };
  const plan: ActivationPlan = {
    seqLen: 2048, microBatch: 1, tensorParallel: 8, sequenceParallel: true, pipelineParallel: 1,
    virtualStages: 1, microBatches: 1, contextParallel: 1, recompute: 'none',
  };
  const sbh = 2048 * 12_288;
  const as_h = (96 * 2048) / 12_288;

  it.each([
    ['no parallelism', { tensorParallel: 1 }, 34 + 5 * as_h],
    ['tensor parallel (baseline)', { sequenceParallel: false }, 10 + 24 / 8 + (5 * as_h) / 8],
    ['tensor + sequence parallel', {}, 34 / 8 + (5 * as_h) / 8],
    // The paper's selective recomputes the attention core: what FlashAttention never stores.
    ['tensor parallel + selective (attention core; = FlashAttention, no recompute)', { sequenceParallel: false, attention: 'flash' }, 10 + 24 / 8],
    ['tensor + sequence parallel + selective (attention core; = FlashAttention)', { attention: 'flash' }, 34 / 8],
    // llmcost's selective also rebuilds the two norm outputs (2 x 2sbh, replicated) and the GeLU
    // output (8sbh/t): 10 − 4 + (24 − 8)/t, and (34 − 12)/t under sequence parallelism.
    ['tensor parallel + llmcost selective', { sequenceParallel: false, recompute: 'selective' }, 6 + 16 / 8],
    ['tensor + sequence parallel + llmcost selective', { recompute: 'selective' }, 22 / 8],
    ['full recomputation (no sequence parallelism)', { sequenceParallel: false, recompute: 'full' }, 2],
    ['full recomputation, one GPU', { tensorParallel: 1, recompute: 'full' }, 2],
  ] as const)('%s: Table 2 row', (_, over, coefficient) => {
    expect(activationBytesPerLayer(gpt3, { ...plan, ...over })).toBeCloseTo(sbh * coefficient, 0);
  });

  it('full recomputation under sequence parallelism keeps the sequence-sharded layer input, 2sbh/t', () => {
    // Megatron-LM stores the input of each checkpointed layer as it is, split along s under SP.
    expect(activationBytesPerLayer(gpt3, { ...plan, recompute: 'full' })).toBe((2 * sbh) / 8);
  });

  it('no dropout: no masks (sbh and as²b) and the softmax output stored once: sbh(32 + 2as/h)', () => {
    const noDropout = { ...gpt3, dropout: false };
    expect(activationBytesPerLayer(noDropout, { ...plan, tensorParallel: 1 })).toBeCloseTo(sbh * (32 + 2 * as_h), 0);
  });

  it('GQA stores K and V at the KV heads: Llama 3.1 405B (h 16384, 128 heads, 8 KV heads, SwiGLU 53248, no dropout)', () => {
    // Llama 3 Herd of Models, Table 3: 126 layers, d 16,384, FFN 53,248, 128 heads, 8 KV heads.
    const llama: ActivationArchitecture = { layers: 126, dModel: 16_384, heads: 128, kvHeads: 8, ffnDim: 53_248, ffnGated: true };
    const s = 8192;
    const h = 16_384;
    // Per token: norms 2h + 2h, their outputs 2h + 2h, Q 2h, K and V 2h/16 each, attention output 2h,
    // SwiGLU gate, up and product 3 x 2 x 53,248 = 19.5h: 31.75h bytes a token; scores 2as.
    const perToken = 8 * h + 2 * h + 4 * 1024 + 2 * h + 6 * 53_248;
    expect(perToken).toBe(31.75 * h);
    const one = { ...plan, seqLen: s, tensorParallel: 1 };
    expect(activationBytesPerLayer(llama, one)).toBeCloseTo(s * (perToken + 2 * 128 * s), 0);
    // With t = 8 the 8 KV heads are one per GPU: exactly a t-th.
    expect(activationBytesPerLayer(llama, { ...one, tensorParallel: 8 })).toBeCloseTo(activationBytesPerLayer(llama, one) / 8, 0);
  });

  it('a model with one KV head (PaLM) keeps a copy of it on every tensor rank', () => {
    const mqa: ActivationArchitecture = { layers: 1, dModel: 1024, heads: 8, kvHeads: 1 };
    const one = activationBytesPerLayer(mqa, { ...plan, tensorParallel: 1, recompute: 'selective' });
    const split = activationBytesPerLayer(mqa, { ...plan, tensorParallel: 8, recompute: 'selective' });
    // K and V (2·128 elements per token, 2 bytes) are not divided by 8.
    expect(split - one / 8).toBeCloseTo(2048 * 2 * 2 * 128 * (1 - 1 / 8), 0);
  });

  it('MLA (DeepSeek-V3): Q and K at 192 per head, V and the output at 128, plus the stored latents', () => {
    // DeepSeek-V3 technical report §4.2: q_lora_rank 1536, kv_lora_rank 512, qk nope 128 + rope 64, v 128.
    const mla = { qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 };
    const arch: ActivationArchitecture = { layers: 1, dModel: 7168, heads: 128, ffnDim: 18_432, ffnGated: true, mla };
    const one = { ...plan, seqLen: 4096, tensorParallel: 1, attention: 'flash' as const };
    const perToken = 8 * 7168 + 2 * 2 * (1536 + 512 + 64) + 2 * 128 * (2 * 192 + 2 * 128) + 6 * 18_432;
    expect(activationBytesPerLayer(arch, one)).toBe(4096 * perToken);
  });

  it('MoE: each of the k routed copies stores its input, output and inner activations; the average covers dense layers', () => {
    const moe = { experts: 4, activeExperts: 2, sharedExperts: 1, moeFfnDim: 256, denseLayers: 1 };
    const arch: ActivationArchitecture = { layers: 2, dModel: 128, heads: 2, ffnDim: 512, ffnGated: true, moe };
    const one = { ...plan, seqLen: 16, tensorParallel: 1, attention: 'flash' as const };
    const attention = 8 * 128 + 2 * 64 * (4 * 2);
    const dense = attention + 6 * 512;
    const moeLayer = attention + 4 * 4 + 2 * (4 * 128 + 6 * 256) + 6 * 256;
    expect(activationBytesPerLayer(arch, one)).toBe((16 * (dense + moeLayer)) / 2);
  });

  it('the micro-batch and context parallelism scale the tokens; CP keeps all keys for its queries', () => {
    const base = activationBytesPerLayer(gpt3, plan);
    expect(activationBytesPerLayer(gpt3, { ...plan, microBatch: 4 })).toBeCloseTo(4 * base, 0);
    // Half the queries against all keys: every term halves.
    expect(activationBytesPerLayer(gpt3, { ...plan, contextParallel: 2 })).toBeCloseTo(base / 2, 0);
  });
});

describe('the first pipeline stage under 1F1B (Korthikanti et al. 2022 §4.2.3)', () => {
  // The paper's architecture with Llama 3.1 405B's sizes: s = 8192, h = 16384, a = 128, L = 126, t = 8.
  const paperLlama: ActivationArchitecture = { layers: 126, dModel: 16_384, heads: 128, dropout: true };
  const plan: ActivationPlan = {
    seqLen: 8192, microBatch: 1, tensorParallel: 8, sequenceParallel: true, pipelineParallel: 4,
    virtualStages: 1, microBatches: 16, contextParallel: 1, recompute: 'none',
  };
  const lLayers = 126 * 8192 * 16_384 * (34 / 8 + (5 * 128 * 8192) / (16_384 * 8)); // sbhL(34/t + 5as/(ht))

  it('4 stages: p micro-batches of the first stage\'s layers, 737 GB (issue 12: an L/p division said 187 GB)', () => {
    const bytes = stageActivationBytes(paperLlama, plan);
    expect(lLayers / 1e9).toBeCloseTo(748.3, 1);
    // 126 = 4 x 32 − 2: stages of 31, 32, 32, 31 whole layers (Llama 3 §3.3.2); the first holds 4
    // micro-batches of 31 layers, 124 layers' worth, plus the embedding dropout mask of each (sbh/t).
    expect(bytes).toBeCloseTo((lLayers * 124) / 126 + (4 * 8192 * 16_384) / 8, 0);
    expect((lLayers * 124) / 126 / 1e9).toBeCloseTo(736.5, 1);
  });

  // The first stage holds p micro-batches of its layers: about L layers' worth whatever p, less by
  // the layer Llama 3's split takes off it (126 + 2 = 128 slots: 63; 31; 15; 7 layers on the first).
  it.each([
    [2, 126],
    [4, 124],
    [8, 120],
    [16, 112],
  ])('about L layers whatever p (p = %d: %d layers\' worth)', (p, layers) => {
    const noMask = { ...paperLlama, dropout: false };
    const perLayer = activationBytesPerLayer(noMask, plan);
    expect(stageActivationBytes(noMask, { ...plan, pipelineParallel: p, microBatches: 16 }) / perLayer).toBeCloseTo(layers, 9);
  });

  it('fewer micro-batches than stages: only m in flight (Megatron-LM theoretical_memory_usage.py)', () => {
    const full = stageActivationBytes(paperLlama, plan);
    expect(stageActivationBytes(paperLlama, { ...plan, microBatches: 2 })).toBeCloseTo(full / 2, 0);
  });

  it('interleaved with v equal chunks: x (1 + (p − 1)/(p·v)) on the first stage', () => {
    expect(interleavedFactor(4, 2)).toBe(1 + 3 / 8);
    expect(interleavedFactor(4, 1)).toBe(1);
    // 128 layers, p 4, v 2: chunks of 16. Interleaved 1F1B (Narayanan et al. 2021) holds 2(p − 1) +
    // (v − 1)p + 1 = 11 chunk forwards on stage 0: 7 of chunk 0 and 4 of chunk 1, 176 layers' worth,
    // against 4 x 32 = 128 plain: 176 / 128 = 1.375.
    const even = { ...paperLlama, layers: 128, dropout: false };
    const bytes = stageActivationBytes(even, { ...plan, virtualStages: 2 });
    const plain = stageActivationBytes(even, plan);
    expect(bytes / plain).toBeCloseTo(1 + 3 / 8, 12);
  });

  it('interleaved with Llama 3\'s uneven chunks: 126 layers in 8 chunks of 16 but the first and last of 15', () => {
    const arch = { ...paperLlama, dropout: false };
    const perLayer = activationBytesPerLayer(arch, plan);
    // Stage 0 holds chunks 0 (15 layers) and 4 (16): 7 x 15 + 4 x 16 = 169 layers' worth.
    expect(stageActivationBytes(arch, { ...plan, virtualStages: 2 }) / perLayer).toBeCloseTo(169, 9);
    // With only m = 4 micro-batches, all 4 x 2 chunk forwards are in flight: 4 x 31 = 124.
    expect(stageActivationBytes(arch, { ...plan, virtualStages: 2, microBatches: 4 }) / perLayer).toBeCloseTo(124, 9);
  });

  it('one stage adds the output layer: norm and output-layer inputs, fp32 logits (vocabulary-parallel)', () => {
    const arch = { ...paperLlama, dropout: false, vocabSize: 128_256 };
    const one = { ...plan, pipelineParallel: 1 };
    const tokens = 8192;
    const expected = 126 * activationBytesPerLayer(arch, one) + tokens * ((4 * 16_384) / 8 + (4 * 128_256) / 8);
    expect(stageActivationBytes(arch, one)).toBeCloseTo(expected, 0);
  });

  it('with recomputation the layer being rebuilt in backward adds its own activations once', () => {
    const arch = { ...paperLlama, dropout: false };
    const none = activationBytesPerLayer(arch, { ...plan, recompute: 'none' });
    const full = activationBytesPerLayer(arch, { ...plan, recompute: 'full' });
    // The first of 4 stages: 4 micro-batches of its 31 layers.
    expect(stageActivationBytes(arch, { ...plan, recompute: 'full' })).toBeCloseTo(124 * full + none - full, 0);
  });

  it('MoE: the first stage counts its own dense layers (DeepSeek-V3: the first 3 of 61)', () => {
    const moe = { experts: 8, activeExperts: 2, moeFfnDim: 512, denseLayers: 3 };
    const arch: ActivationArchitecture = { layers: 8, dModel: 256, heads: 4, ffnDim: 1024, moe };
    const p = { ...plan, seqLen: 64, tensorParallel: 1, pipelineParallel: 2, microBatches: 2 };
    // 4 layers x 2 micro-batches in flight: per layer and micro-batch.
    const dense = stageActivationBytes({ ...arch, moe: { ...moe, denseLayers: 8 } }, p) / 8;
    const routed = stageActivationBytes({ ...arch, moe: { ...moe, denseLayers: 0 } }, p) / 8;
    // First stage: layers 0-3, of which 0-2 dense; two micro-batches in flight.
    expect(stageActivationBytes(arch, p)).toBeCloseTo(2 * (3 * dense + routed), 0);
  });
});

describe('memory view', () => {
  it('reports the first stage for the three recompute modes', () => {
    const arch: ActivationArchitecture = { layers: 4, dModel: 8, heads: 2 };
    const plan = { seqLen: 16, microBatch: 2, tensorParallel: 1, sequenceParallel: true, pipelineParallel: 2, virtualStages: 1, microBatches: 2, contextParallel: 1 };
    const view = memoryFor(1e9, 16, 80e9, 1, { arch, plan });
    expect(view.activationBytesPerGpu).toBe(stageActivationBytes(arch, { ...plan, recompute: 'none' }));
    expect(view.activationBytesPerGpuSelectiveRecompute).toBe(stageActivationBytes(arch, { ...plan, recompute: 'selective' }));
    expect(view.activationBytesPerGpuFullRecompute).toBe(stageActivationBytes(arch, { ...plan, recompute: 'full' }));
    expect(Object.keys(memoryFor(1e9, 16, 80e9, 1))).not.toContain('activationBytesPerGpu');
  });
});
