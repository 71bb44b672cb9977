import { describe, expect, it } from 'vitest';
import { activationBytesPerGpu, memoryFor, minGpusForState, OPTIMIZERS, trainingStateBytes } from '../../src/core/memory.js';

describe('training state (ZeRO paper, Rajbhandari et al. 2020, §3.1)', () => {
  it('mixed-precision Adam is 16 bytes per parameter: a 1.5B GPT-2 needs 24 GB (the paper\'s example)', () => {
    expect(trainingStateBytes(1.5e9, OPTIMIZERS['adam-mixed'])).toBe(24e9);
  });

  it('a 7.5B model needs 120 GB (ZeRO paper, Figure 1 baseline)', () => {
    expect(trainingStateBytes(7.5e9, OPTIMIZERS['adam-mixed'])).toBe(120e9);
  });

  it('8-bit Adam (Dettmers et al. 2022) keeps 10 bytes per parameter', () => {
    expect(OPTIMIZERS['adam-8bit']).toBe(10);
  });

  it.each([
    [405e9, 16, 80e9, 81], // issue 4: 6.48 TB / 80 GB
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

describe('activations (Korthikanti et al. 2022, Table 2)', () => {
  // GPT-3 175B as in the paper's Table 3: s=2048, h=12288, a=96, L=96, t=8, b=1.
  const gpt3 = { layers: 96, dModel: 12_288, heads: 96, seqLen: 2048, microBatch: 1, tensorParallel: 8, pipelineParallel: 1 };

  it('per layer with tensor + sequence parallelism: sbh(34/t + 5as/(ht))', () => {
    const sbh = 2048 * 12_288;
    const perLayer = sbh * (34 / 8 + (5 * 96 * 2048) / (12_288 * 8));
    expect(activationBytesPerGpu(gpt3).none).toBeCloseTo(96 * perLayer, 0);
  });

  it('selective recomputation drops the 5as/h attention term; full keeps only 2sbh/t per layer', () => {
    const a = activationBytesPerGpu(gpt3);
    expect(a.selective / a.none).toBeCloseTo(34 / (34 + (5 * 96 * 2048) / 12_288), 9);
    expect(a.full).toBeCloseTo((96 * 2 * 2048 * 12_288) / 8, 0);
    expect(a.full).toBeLessThan(a.selective);
  });

  it('pipeline stages divide the layers each GPU holds', () => {
    expect(activationBytesPerGpu({ ...gpt3, pipelineParallel: 8 }).none).toBeCloseTo(activationBytesPerGpu(gpt3).none / 8, 0);
  });
});
