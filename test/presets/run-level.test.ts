// The run-level terms of a scenario (issue 11) in process: the steady-state MFU (--mfu > the
// cluster's published MFU > what the published runs on the GPU's family imply), its scaling for a
// precision other than 16 bits and for a mixture of experts, the run-utilization prior, the 80 %
// range, and the throughput model's predictions of the published runs (--mfu-from predicted).
import { beforeEach, describe, expect, it } from 'vitest';
import { looResiduals, measuredMethod, publishedMethod } from '../../src/core/backtest.js';
import { fitRunMfu, fitRunUtilization, FP8_SPEEDUP, MOE_MFU_FACTOR, rangeFromResiduals } from '../../src/core/calibration.js';
import { describeRange, describeUtilization, predictedCalibration, runCalibration } from '../../src/presets/calibrate.js';
import { builtinPresetsDir, loadPresets, readPresetDir } from '../../src/presets/load.js';
import { runStructure } from '../../src/presets/observations.js';
import { parsePresets, type PresetSet } from '../../src/presets/parse.js';
import { predictSteadyState } from '../../src/presets/predicted.js';
import { resolveScenario } from '../../src/presets/resolve.js';
import type { FlagValues, Scenario } from '../../src/scenario/types.js';

let presets: PresetSet;
beforeEach(() => {
  presets = loadPresets();
});
const estimate = (flags: FlagValues, set: PresetSet = presets): Scenario => resolveScenario('estimate', flags, set);
const cluster = () => presets.clusters.get('h100x16k')!;

describe('the steady-state MFU and where it comes from', () => {
  it('a dense bf16 run on a cluster with a published MFU takes it as it is, with the range of a known steady state', () => {
    const s = estimate({ model: 'llama-405b', cluster: 'h100x16k' });
    expect(s.mfu).toEqual({ value: 0.4, origin: 'preset:h100x16k', source: cluster().mfu!.source });
    const r = runCalibration(presets).steadyStateRange!;
    expect(s.rangeFactors).toEqual({
      value: [r.low, r.high],
      origin: 'derived',
      source: `80 % range with the steady-state MFU known: the runs' own published throughput x the utilization prior, ${describeRange(r)}; it covers the run's losses, not an error in the MFU given`,
    });
  });

  it('FP8 on the same cluster: x 0.685 (only the matrix multiplies, 54 % of a 16-bit step, run at twice the peak; torchao)', () => {
    const s = estimate({ model: 'llama-405b', cluster: 'h100x16k', precision: 'fp8' });
    const factor = runStructure(1978.9e12, 989.4e12, false);
    expect(factor).toBeCloseTo(FP8_SPEEDUP.value / 2, 3);
    expect(s.mfu?.value).toBeCloseTo(0.4 * factor, 12);
    expect(s.mfu?.source).toBe(`${cluster().mfu!.source} (a 16-bit dense figure; x ${factor.toFixed(3)} for fp8 (only the matrix multiplies, 54 % of a 16-bit step, run at the fp8 peak; from ${FP8_SPEEDUP.source}))`);
  });

  it('a mixture of experts on it: x 0.87 (NeMo: Mixtral against the dense models of the same tables)', () => {
    const s = estimate({ model: 'deepseek-v3', cluster: 'h100x16k' });
    expect(s.mfu?.value).toBeCloseTo(0.4 * MOE_MFU_FACTOR.value, 12);
    expect(s.mfu?.source).toBe(`${cluster().mfu!.source} (a 16-bit dense figure; x ${MOE_MFU_FACTOR.value} for a mixture of experts (${MOE_MFU_FACTOR.source}))`);
    // Fewer active than total parameters makes a mixture of experts too, and so do expert flags.
    expect(estimate({ params: 100e9, 'active-params': 20e9, tokens: 1e12, cluster: 'h100x16k' }).mfu?.value).toBeCloseTo(0.4 * MOE_MFU_FACTOR.value, 12);
    expect(estimate({ model: 'llama-8b', cluster: 'h100x16k', experts: 8, 'experts-per-token': 2 }).mfu?.value).toBeCloseTo(0.4 * MOE_MFU_FACTOR.value, 12);
    expect(estimate({ params: 100e9, 'active-params': 100e9, tokens: 1e12, cluster: 'h100x16k' }).mfu?.value).toBe(0.4);
  });

  it('without a cluster MFU, --mfu-from published: the published Hopper runs\' median as a 16-bit dense run, over the utilization prior, with the published-run range', () => {
    const s = estimate({ model: 'llama-405b', gpu: 'h100', gpus: 1024, 'mfu-from': 'published' });
    const c = runCalibration(presets);
    const fit = fitRunMfu(c.observations, 'hopper')!;
    const prior = c.utilization!;
    expect(s.mfu?.origin).toBe('derived');
    expect(s.mfu?.value).toBeCloseTo(fit.mfu16 / prior.value, 12);
    expect(s.mfu?.source).toBe(
      `steady-state MFU that the published runs on hopper GPUs imply: their median MFU over the whole run as dense 16-bit runs, failures taken out (${(fit.mfu16 * 100).toFixed(1)} %: ${fit.runs.join(', ')}), / the run-utilization prior; llmcost backtest shows each`,
    );
    const r = c.publishedRange!;
    expect(s.rangeFactors).toEqual({ value: [r.low, r.high], origin: 'derived', source: `80 % range of the published-run MFU: ${describeRange(r)}` });
  });

  it('a family without published runs (AMD CDNA 3) uses all of them, and says so; FP8 there is scaled too', () => {
    const s = estimate({ model: 'llama-8b', gpu: 'mi300x', gpus: 64, 'mfu-from': 'published' });
    const c = runCalibration(presets);
    const fit = fitRunMfu(c.observations, 'cdna3')!;
    expect(fit.basis).toBe('all');
    expect(s.mfu?.source).toMatch(/^steady-state MFU that all published runs \(none on cdna3\) imply: /);
    expect(s.mfu?.value).toBeCloseTo(fit.mfu16 / c.utilization!.value, 12);
  });

  it('--mfu is taken as given, with the range of a known steady state; the run utilization is the prior unless given', () => {
    const s = estimate({ model: 'llama-405b', cluster: 'h100x16k', mfu: 0.5 });
    expect(s.mfu).toEqual({ value: 0.5, origin: 'flag' });
    expect(s.rangeFactors?.source).toMatch(/^80 % range with the steady-state MFU known/);
    const prior = runCalibration(presets).utilization!;
    expect(s.runUtilization).toEqual({ value: prior.value, origin: 'derived', source: `run-utilization prior: ${describeUtilization(prior)}` });
    expect(estimate({ model: 'llama-405b', cluster: 'h100x16k', 'run-utilization': 0.8 }).runUtilization).toEqual({ value: 0.8, origin: 'flag' });
  });

  it('presets without published runs: the defaults\' MFU (scaled for FP8 and MoE), utilization 1, no range', () => {
    const bare: PresetSet = { ...presets, models: new Map([...presets.models].filter(([, m]) => !m.run)) };
    const s = estimate({ params: 8e9, tokens: 15e12, gpu: 'h100', gpus: 8 }, bare);
    expect(s.mfu).toEqual({ value: presets.defaults.mfu.value, origin: 'default', source: presets.defaults.mfu.source });
    expect(s.runUtilization).toEqual({ value: 1, origin: 'default', source: 'no published run reports both a steady-state throughput and its hours: no run utilization assumed' });
    expect(s).not.toHaveProperty('rangeFactors');
    const fp8 = estimate({ params: 47e9, 'active-params': 13e9, tokens: 1e12, gpu: 'h100', gpus: 8, precision: 'fp8' }, bare);
    const factor = runStructure(1978.9e12, 989.4e12, true);
    expect(fp8.mfu?.value).toBeCloseTo(presets.defaults.mfu.value * factor, 12);
    expect(fp8.mfu?.source).toBe(`${presets.defaults.mfu.source}; x ${runStructure(1978.9e12, 989.4e12, false).toFixed(3)} for fp8 (only the matrix multiplies, 54 % of a 16-bit step, run at the fp8 peak; from ${FP8_SPEEDUP.source}); x ${MOE_MFU_FACTOR.value} for a mixture of experts (${MOE_MFU_FACTOR.source})`);
  });

  it('a GPU with neither a bf16 nor an fp16 peak: no precision scaling, MoE still x 0.87', () => {
    const gpu = { name: 'fp8-only', label: 'FP8 only', vendor: 'nvidia', family: 'hopper', peakTflops: { fp8: { value: 2000, source: 'a test datasheet' } }, memoryGb: { value: 80, source: 'a test datasheet' } };
    const parsed = parsePresets([...readPresetDir(builtinPresetsDir(), 'built-in'), { path: 'u/gpus/fp8-only.json', kind: 'gpus', text: JSON.stringify(gpu), origin: 'user' }]);
    const set = parsed.presets!;
    const dense = estimate({ model: 'llama-8b', gpu: 'fp8-only', gpus: 8, precision: 'fp8', mfu: 0.3 }, set);
    expect(dense.mfu?.value).toBe(0.3);
    const c = runCalibration(set);
    const fit = fitRunMfu(c.observations, 'hopper')!;
    expect(estimate({ model: 'llama-8b', gpu: 'fp8-only', gpus: 8, precision: 'fp8' }, set).mfu?.value).toBeCloseTo(fit.mfu16 / c.utilization!.value, 12);
    const moe = estimate({ model: 'deepseek-v3', gpu: 'fp8-only', gpus: 8, precision: 'fp8' }, set);
    expect(moe.mfu?.value).toBeCloseTo((fit.mfu16 * MOE_MFU_FACTOR.value) / c.utilization!.value, 12);
    expect(moe.mfu?.source).not.toMatch(/for fp8/);
  });
});

describe('the calibration of a preset set', () => {
  it('computed once per set: the runs, the prior, and the ranges of the published and the measured methods', () => {
    const c = runCalibration(presets);
    expect(runCalibration(presets)).toBe(c);
    expect(c.runs).toHaveLength(33);
    expect(c.observations).toEqual(c.runs.map((r) => r.observation));
    expect(c.utilization).toEqual(fitRunUtilization(c.observations));
    expect(c.publishedRange).toEqual(rangeFromResiduals(looResiduals(c.observations, publishedMethod)));
    expect(c.steadyStateRange).toEqual(rangeFromResiduals(looResiduals(c.observations, measuredMethod)));
    expect(c.steadyStateRange?.runs).toBe(9);
    const bare = runCalibration({ ...presets, models: new Map() });
    expect([bare.runs.length, bare.utilization, bare.publishedRange, bare.steadyStateRange]).toEqual([0, undefined, undefined, undefined]);
  });

  it('the prior and a range described for their sources', () => {
    expect(describeUtilization({ value: 0.9, shares: [{ name: 'a', share: 0.5 }, { name: 'b', share: 0.9 }], low: 0.54, high: 0.86 })).toBe(
      "median share of their own published steady-state throughput that 2 published runs' hours imply, failures taken out (a 0.50, b 0.90); 10th-90th percentile 0.54-0.86; llmcost backtest",
    );
    expect(describeRange({ low: 0.7412, high: 1.3861, runs: 33 })).toBe('x0.74 to x1.39 (10th to 90th percentile of ln(reported / predicted) over 33 published runs, each predicted without itself)');
  });
});

describe('the throughput model\'s predictions of the published runs', () => {
  const resolve = () => (flags: FlagValues) => resolveScenario('estimate', flags, presets);
  const predictedMfu = (flags: FlagValues): number => {
    const s = resolveScenario('estimate', { ...flags, 'mfu-from': 'predicted' }, presets);
    expect(s.mfu?.origin).toBe('derived');
    return s.mfu!.value;
  };

  it('each run with a GPU count and an architecture, with its published plan when the model can run it (as estimate would with those flags)', () => {
    const c = predictedCalibration(presets, resolve())!;
    expect(predictedCalibration(presets, resolve())).toBe(c);
    // DeepSeek-V3 trained in FP8: not predicted (no FP8 row validates the throughput model; the default does not use it there).
    expect([...c.steady.keys()].sort()).toEqual(['bloom-176b', 'falcon-180b', 'glm-130b', 'grin-moe', 'llama-405b', 'llama1-65b', 'nemotron-4-15b', 'opt-175b', 'smollm3-3b', 'starcoder-15b', 'yalm-100b']);
    // Llama 3 paper Table 4: TP 8, CP 1, PP 16, DP 128 on 16,384 H100 in bf16.
    expect(c.steady.get('llama-405b')).toEqual({ plan: 'published', mfu: predictedMfu({ model: 'llama-405b', gpu: 'h100', gpus: 16384, precision: 'bf16', 'tensor-parallel': 8, 'pipeline-parallel': 16, 'data-parallel': 128, 'context-parallel': 1 }) });
    // GLM-130B: TP 4, PP 8, DP 24, full recomputation, fp16 on 768 A100-40GB.
    expect(c.steady.get('glm-130b')).toEqual({ plan: 'published', mfu: predictedMfu({ model: 'glm-130b', gpu: 'a100-40gb', gpus: 768, precision: 'fp16', 'tensor-parallel': 4, 'pipeline-parallel': 8, 'data-parallel': 24, recompute: 'full' }) });
    // LLaMA-65B publishes no plan: the searched one.
    expect(c.steady.get('llama1-65b')).toEqual({ plan: 'searched', mfu: predictedMfu({ model: 'llama1-65b', gpu: 'a100', gpus: 2048, precision: 'bf16' }) });
    // SmolLM3 publishes only its batch (no knob): searched.
    expect(c.steady.get('smollm3-3b')?.plan).toBe('searched');
    expect(c.range).toEqual(rangeFromResiduals(looResiduals(runCalibration(presets).observations, (runs, run, exclude) => {
      const mfu = c.steady.get(run.name)?.mfu;
      return mfu === undefined ? undefined : { steadyStateMfu: mfu, goodput: run.goodput, runUtilization: fitRunUtilization(runs, exclude)?.value ?? 1 };
    })));
  });

  it('runs the model cannot predict: no GPU count, no architecture, no link data (TPU v3)', () => {
    const runs = runCalibration(presets).runs;
    const byName = (n: string) => runs.find((r) => r.model.name === n)!;
    expect(predictSteadyState(resolve(), byName('gopher-280b'))).toBeUndefined();
    const noGpus = { ...byName('llama-405b'), model: { ...byName('llama-405b').model, run: { ...byName('llama-405b').model.run!, gpus: undefined } } };
    expect(predictSteadyState(resolve(), noGpus)).toBeUndefined();
    const noArch = { ...byName('llama-405b'), model: { ...byName('llama-405b').model, architecture: undefined } };
    expect(predictSteadyState(resolve(), noArch)).toBeUndefined();
    const noRun = { ...byName('llama-405b'), model: { ...byName('llama-405b').model, run: undefined } };
    expect(predictSteadyState(resolve(), noRun)).toBeUndefined();
  });

  it('a resolver that returns a scenario without a predicted MFU predicts nothing; one that throws is tried again without the plan', () => {
    const run = runCalibration(presets).runs.find((r) => r.model.name === 'llama-405b')!;
    expect(predictSteadyState(() => resolveScenario('estimate', { model: 'llama-405b', cluster: 'h100x16k' }, presets), run)).toBeUndefined();
    expect(predictSteadyState(() => resolveScenario('estimate', { model: 'llama-405b', cluster: 'h100x16k', mfu: 0.3, 'mfu-from': 'predicted' }, presets), run)).toBeUndefined();
    const seen: FlagValues[] = [];
    const flaky = (flags: FlagValues): Scenario => {
      seen.push(flags);
      if (flags['tensor-parallel'] !== undefined) throw new Error('no such plan');
      return resolveScenario('estimate', flags, presets);
    };
    expect(predictSteadyState(flaky, run)?.plan).toBe('searched');
    expect(seen).toEqual([
      { model: 'llama-405b', gpu: 'h100', gpus: 16384, precision: 'bf16', 'mfu-from': 'predicted', 'tensor-parallel': 8, 'pipeline-parallel': 16, 'data-parallel': 128, 'context-parallel': 1 },
      { model: 'llama-405b', gpu: 'h100', gpus: 16384, precision: 'bf16', 'mfu-from': 'predicted' },
    ]);
    expect(predictSteadyState(() => {
      throw new Error('nothing runs');
    }, run)).toBeUndefined();
  });

  it('a run\'s own scenario resolved during the calibration gets no range (it would start the calibration again)', () => {
    let inner: unknown = 'not called';
    const c = predictedCalibration(presets, (flags) => {
      if (inner === 'not called') inner = predictedCalibration(presets, resolve());
      return resolveScenario('estimate', flags, presets);
    });
    expect(inner).toBeUndefined();
    expect(c?.steady.size).toBe(11);
    // After it, the set is calibrated and cached.
    expect(predictedCalibration(presets, () => {
      throw new Error('not called again');
    })).toBe(c);
  });
});
