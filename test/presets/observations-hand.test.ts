// Published runs as backtest observations (issue 11), on made-up model presets whose numbers can be
// followed by hand: which runs are left out and why, the accelerator-hours and their basis, the
// precision and MoE structure, the steady-state MFU from each kind of published throughput figure.
import { describe, expect, it } from 'vitest';
import { MOE_MFU_FACTOR, precisionFactor } from '../../src/core/calibration.js';
import { attentionFlopsPerToken, attentionShapeOf } from '../../src/core/compute.js';
import { goodputFor } from '../../src/core/reliability.js';
import { builtinPresetsDir, readPresetDir } from '../../src/presets/load.js';
import {
  computeArchitecture,
  conventionShape,
  defaultFailureModel,
  isMixtureOfExperts,
  leftOutRuns,
  measuredThroughputs,
  precisionPeak,
  publishedRuns,
  publishedThroughputs,
  referencePeak,
  runStructure,
} from '../../src/presets/observations.js';
import { parsePresets, type PresetSet } from '../../src/presets/parse.js';
import type { GpuPreset, ModelPreset } from '../../src/presets/schema.js';

const S = 'hand-made test preset';
const n = (value: number) => ({ value, source: S });
const model = (name: string, over: Record<string, unknown>, run?: Record<string, unknown>) => ({ name, label: name, params: n(1e9), tokens: n(1e11), ...over, ...(run ? { run: { gpu: 'h100', precision: 'bf16', ...run } } : {}) });
const MODELS = [
  // 64 H100 for 1,000 GPU-hours; 50,000 tokens/s per GPU measured.
  model('hand-dense', {}, { gpus: n(64), gpuHours: n(1000), coverage: { value: 'pre-training', source: S }, throughput: { tokensPerSecondPerGpu: 50000, source: S } }),
  // An FP8 mixture of experts: 8 GPUs for 10 days; 400 TFLOP/s per GPU counted as 6·N·D.
  model('hand-fp8-moe', { params: n(10e9), activeParams: n(2e9) }, { precision: 'fp8', gpus: n(8), wallClockDays: n(10), throughput: { tflopsPerGpu: 400, flops: { recomputation: 'none', attention: 'none', params: 'total' }, source: S } }),
  // A step time with the plan's batch and sequence (64 x 1,024 tokens in 2 s on 16 A100), and a published MFU too.
  model('hand-step', { architecture: { layers: 2, dModel: 1024, heads: 8, seqLen: 2048, vocabSize: 1000, source: S } }, {
    gpu: 'a100', gpus: n(16), gpuHours: n(1000), throughput: { stepSeconds: 2, source: S }, plan: { globalBatch: 64, seqLen: 1024, source: S },
    mfu: { value: 0.5, flops: { recomputation: 'none', attention: 'none', params: 'total' }, source: S },
  }),
  model('hand-no-hours', {}, {}),
  model('hand-wall-only', {}, { wallClockDays: n(5) }),
  model('hand-steps', {}, { gpuHours: n(100), coverage: { value: 'steps-only', source: S } }),
  model('hand-project', {}, { gpuHours: n(100), coverage: { value: 'whole-project', source: S } }),
  model('hand-v100-bf16', {}, { gpu: 'v100', gpuHours: n(2000) }),
  model('hand-no-run', {}),
];
const presetsWith = (): PresetSet => {
  const files = MODELS.map((m) => ({ path: `user/models/${m.name}.json`, kind: 'models' as const, text: JSON.stringify(m), origin: 'user' as const }));
  const parsed = parsePresets([...readPresetDir(builtinPresetsDir(), 'built-in'), ...files]);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.join('\n'));
  return parsed.presets;
};
const hand = (names: string[]) => (r: { name?: string; model?: { name: string } }) => names.includes(r.name ?? r.model?.name ?? '');

describe('peaks and structure', () => {
  it('the reference peak is bf16, else fp16 (V100); none without either', () => {
    const p = presetsWith();
    expect(referencePeak(p.gpus.get('h100')!)).toEqual({ precision: 'bf16', flopsPerSecond: 989.4e12 });
    expect(referencePeak(p.gpus.get('v100')!)).toEqual({ precision: 'fp16', flopsPerSecond: 125e12 });
    expect(referencePeak({ peakTflops: { fp32: { value: 20, source: S } } } as unknown as GpuPreset)).toBeUndefined();
    expect(precisionPeak(p.gpus.get('h100')!, 'fp8')).toBe(1978.9e12);
    expect(precisionPeak(p.gpus.get('v100')!, 'bf16')).toBeUndefined();
  });

  it('a mixture of experts has fewer active than total parameters, or an MoE architecture', () => {
    const base = { params: n(10e9) } as unknown as ModelPreset;
    expect(isMixtureOfExperts(base)).toBe(false);
    expect(isMixtureOfExperts({ ...base, activeParams: n(10e9) })).toBe(false);
    expect(isMixtureOfExperts({ ...base, activeParams: n(2e9) })).toBe(true);
    expect(isMixtureOfExperts({ ...base, architecture: { moe: { experts: 8, activeExperts: 2 } } } as unknown as ModelPreset)).toBe(true);
  });

  it('runStructure: the precision factor, x 0.87 for MoE (NeMo performance summary)', () => {
    expect(runStructure(2e15, 1e15, false)).toBe(precisionFactor(2e15, 1e15));
    expect(runStructure(2e15, 1e15, true)).toBe(precisionFactor(2e15, 1e15) * MOE_MFU_FACTOR.value);
    expect(runStructure(1e15, 1e15, true)).toBe(MOE_MFU_FACTOR.value);
  });

  it('the defaults\' failure model in base units; an architecture with its head size filled in', () => {
    const p = presetsWith();
    const d = p.defaults;
    expect(defaultFailureModel(p)).toEqual({ gpuMtbfHours: d.gpuMtbfHours.value, restartSeconds: d.restartMinutes.value * 60, checkpointBytesPerParam: 14, storageBytesPerSecond: d.storageGBps.value * 1e9 });
    expect(computeArchitecture(p.models.get('hand-step')!)).toMatchObject({ headDim: 128, dModel: 1024 });
    expect(computeArchitecture({ ...p.models.get('hand-step')!, architecture: { ...p.models.get('hand-step')!.architecture!, headDim: 96 } })).toMatchObject({ headDim: 96 });
    expect(computeArchitecture(p.models.get('hand-dense')!)).toBeUndefined();
  });
});

describe('which runs are observations', () => {
  it('left out, each with its reason; a model without a run is not listed', () => {
    expect(leftOutRuns(presetsWith()).filter(hand(MODELS.map((m) => m.name)))).toEqual([
      { name: 'hand-no-hours', reason: 'no accelerator-hours or wall-clock published' },
      { name: 'hand-wall-only', reason: 'wall-clock published but no GPU count' },
      { name: 'hand-steps', reason: 'coverage steps-only: hours are steps x step time, without failures, restarts or rollbacks' },
      { name: 'hand-project', reason: 'coverage whole-project: hours cover the whole project (ablations, failed runs), not one run' },
      { name: 'hand-v100-bf16', reason: "accelerator v100 has no bf16 peak (the run's precision)" },
    ]);
  });

  it('the observations: hours reported or wall-clock x GPUs, 6ND FLOPs, the precision\'s peak, goodput of the default failure model', () => {
    const p = presetsWith();
    const runs = publishedRuns(p).filter(hand(['hand-dense', 'hand-fp8-moe', 'hand-step']));
    expect(runs.map((r) => [r.model.name, r.gpuHoursBasis, r.coverage])).toEqual([
      ['hand-dense', 'reported', 'pre-training'],
      ['hand-fp8-moe', 'wall-clock x GPUs', 'unknown'],
      ['hand-step', 'reported', 'unknown'],
    ]);
    const [dense, moe, step] = runs.map((r) => r.observation);
    expect(dense).toEqual({
      name: 'hand-dense', family: 'hopper', trainingFlops: 6e20, peakFlopsPerSecond: 989.4e12, sixteenBitPeakFlopsPerSecond: 989.4e12, structure: 1, moe: false, gpuHours: 1000,
      goodput: goodputFor(defaultFailureModel(p), 64, 1e9).goodput,
      // 50,000 tokens/s x 6 x 1e9 / 989.4 TFLOP/s.
      steadyStateMfu: (50000 * 6e9) / 989.4e12,
    });
    expect(dense!.goodput).toBeLessThan(1);
    // 6 x 2e9 active x 1e11; 10 days x 24 h x 8 GPUs; the FP8 peak; structure FP8 x MoE.
    expect(moe).toMatchObject({ trainingFlops: 1.2e21, gpuHours: 1920, peakFlopsPerSecond: 1978.9e12, sixteenBitPeakFlopsPerSecond: 989.4e12, moe: true, structure: runStructure(1978.9e12, 989.4e12, true) });
    // 400 of 989.4 TFLOP/s as a 16-bit MFU, against the FP8 peak.
    expect(moe!.steadyStateMfu).toBeCloseTo(((400 / 989.4) * 989.4) / 1978.9, 12);
    expect(step).toMatchObject({ family: 'ampere', gpuHours: 1000, peakFlopsPerSecond: 312e12 });
  });

  it('counted with PaLM\'s method, a run with an architecture adds attention FLOPs, and its steady state follows', () => {
    const p = presetsWith();
    const [sixNd] = publishedRuns(p, '6nd').filter(hand(['hand-step']));
    const [palm] = publishedRuns(p, 'palm').filter(hand(['hand-step']));
    const attention = 12 * 2 * 1024 * 2048; // 12·L·H·Q·T per token (PaLM appendix B), H·Q = d_model
    expect(palm!.observation.trainingFlops).toBeCloseTo((6e9 + attention) * 1e11, -8);
    expect(palm!.observation.steadyStateMfu! / sixNd!.observation.steadyStateMfu!).toBeCloseTo((6e9 + attention) / 6e9, 12);
    // A run without an architecture is counted 6ND whatever the method.
    expect(publishedRuns(p, 'palm').find((r) => r.model.name === 'hand-dense')?.observation.trainingFlops).toBe(6e20);
  });
});

describe('published throughput figures as 6·N·D MFU', () => {
  it('a step time: global batch x sequence / step / GPUs tokens per second per GPU (64 x 1,024 / 2 s / 16 = 2,048), and a published MFU after it', () => {
    const p = presetsWith();
    const figures = publishedThroughputs(p, p.models.get('hand-step')!);
    expect(figures.map((f) => [f.basis, f.reported])).toEqual([['step time', 2], ['MFU', 0.5]]);
    expect(figures[0]!.mfu6nd).toBeCloseTo((2048 * 6e9) / 312e12, 12);
    expect(figures[1]!.mfu6nd).toBe(0.5);
    expect(figures[1]!.conversion.factor).toBe(1);
  });

  it('a token rate; a TFLOP/s rate counted as 6ND; nothing without a run', () => {
    const p = presetsWith();
    expect(publishedThroughputs(p, p.models.get('hand-dense')!)).toEqual([
      { name: 'hand-dense', basis: 'tokens/s per GPU', reported: 50000, convention: {}, conversion: { factor: 1, steps: [], unknown: [], missing: [] }, mfu6nd: (50000 * 6e9) / 989.4e12 },
    ]);
    const [tflops] = publishedThroughputs(p, p.models.get('hand-fp8-moe')!);
    expect(tflops).toMatchObject({ basis: 'TFLOP/s per GPU', reported: 400, convention: { recomputation: 'none', attention: 'none', params: 'total' } });
    expect(tflops!.mfu6nd).toBeCloseTo(400 / 989.4, 12);
    expect(publishedThroughputs(p, p.models.get('hand-no-run')!)).toEqual([]);
  });

  it('measuredThroughputs: the share of its measured throughput that a run\'s hours imply (6e20 FLOPs in 1,000 H100-hours: 16.8 % of 30.3 %)', () => {
    const p = presetsWith();
    const m = measuredThroughputs(p).find((x) => x.name === 'hand-dense')!;
    const runMfu = 6e20 / (989.4e12 * 1000 * 3600);
    expect(m.runMfu6nd).toBeCloseTo(runMfu, 12);
    expect(m.runShare).toBeCloseTo(runMfu / ((50000 * 6e9) / 989.4e12), 12);
    // A figure of a run that is no observation comes without a share.
    expect(measuredThroughputs(p).some((x) => x.name.startsWith('hand-') && x.name !== 'hand-dense' && x.runShare === undefined)).toBe(false);
    expect(measuredThroughputs(p).filter((x) => x.name.startsWith('hand-')).map((x) => x.name)).toEqual(['hand-dense', 'hand-fp8-moe', 'hand-step']);
  });

  it('conventionShape: active parameters, the embedding table, tied unless told, attention per token', () => {
    const p = presetsWith();
    const step = p.models.get('hand-step')!;
    expect(conventionShape(step)).toEqual({ params: 1e9, embeddingTableParams: 1000 * 1024, tiedEmbeddings: true, attentionFlopsPerToken: attentionFlopsPerToken(attentionShapeOf(step.architecture!)) });
    expect(conventionShape({ ...step, architecture: { ...step.architecture!, vocabSize: undefined, tiedEmbeddings: false } })).toMatchObject({ embeddingTableParams: undefined, tiedEmbeddings: false });
    expect(conventionShape(p.models.get('hand-fp8-moe')!)).toEqual({ params: 2e9 });
  });
});
