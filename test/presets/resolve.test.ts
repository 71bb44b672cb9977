// resolveScenario in process (the CLI tests spawn the built bundle, which mutation testing cannot
// see): which input comes from where, flags > model/cluster preset > GPU preset > defaults, every
// value with the origin and source the JSON output prints, and each usage error word for word.
// Expected values are read from the preset files themselves (each carries its datasheet source).
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { builtinPresetsDir, loadPresets, readPresetDir } from '../../src/presets/load.js';
import { parsePresets, type PresetSet } from '../../src/presets/parse.js';
import { pick, resolveScenario } from '../../src/presets/resolve.js';
import type { FlagValues, Scenario } from '../../src/scenario/types.js';

type Sourced = { value: number; source: string };
const json = (path: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../presets/${path}`, import.meta.url), 'utf8'));
const h100 = json('gpus/h100.json');
const v100 = json('gpus/v100.json');
const cluster16k = json('clusters/h100x16k.json');
const defaults = json('defaults.json');
const llama405b = json('models/llama-405b.json');
const deepseekV3 = json('models/deepseek-v3.json');
const fromDefault = (key: string) => ({ value: (defaults[key] as Sourced).value, origin: 'default', source: (defaults[key] as Sourced).source });
const fromPreset = (name: string, n: Sourced, scale = 1) => ({ value: n.value * scale, origin: `preset:${name}`, source: n.source });

let presets: PresetSet;
beforeEach(() => {
  presets = loadPresets();
});
const estimate = (flags: FlagValues): Scenario => resolveScenario('estimate', flags, presets);
const solve = (flags: FlagValues): Scenario => resolveScenario('solve', flags, presets);
const error = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('presets by name', () => {
  it('exact, then lower-cased, then any case (papers print H100, Llama-405B)', () => {
    const map = new Map([['h100', 1], ['MiXeD', 2]]);
    expect(pick(map, 'h100', 'gpu')).toBe(1);
    expect(pick(map, 'H100', 'gpu')).toBe(1);
    expect(pick(map, 'mixed', 'gpu')).toBe(2);
    expect(pick(map, 'MiXeD', 'gpu')).toBe(2);
    // An exact name first, then its lower-case form, then any key of another case.
    const both = new Map([['Ab', 1], ['ab', 2], ['AB', 3]]);
    expect(pick(both, 'AB', 'gpu')).toBe(3);
    expect(pick(both, 'aB', 'gpu')).toBe(2);
    expect(pick(new Map([['Ab', 1], ['ab', 2]]), 'AB', 'gpu')).toBe(2);
  });

  it('an unknown name names the flag and the closest presets', () => {
    expect(error(() => pick(presets.gpus, 'h1000', 'gpu'))).toMatch(/^--gpu: no preset named "h1000"; did you mean "h100"(, "[a-z0-9-]+")*\?$/);
    expect(error(() => estimate({ model: 'llama-404b', cluster: 'h100x16k' }))).toMatch(/^--model: no preset named "llama-404b"; did you mean "llama-405b"/);
    expect(error(() => estimate({ model: 'llama-405b', cluster: 'nowhere' }))).toMatch(/^--cluster: no preset named "nowhere"; did you mean /);
    expect(error(() => estimate({ model: 'llama-405b', gpu: 'h1000', gpus: 8 }))).toMatch(/^--gpu: no preset named "h1000"; did you mean "h100"/);
  });
});

describe('estimate --model llama-405b --cluster h100x16k: every input and where it came from', () => {
  it('hardware from the cluster and its GPU, the MFU from the cluster (Llama 3 paper), costs from the GPU preset and the defaults', () => {
    const s = estimate({ model: 'llama-405b', cluster: 'h100x16k' });
    expect(s).toMatchObject({
      gpu: { value: 'h100', origin: 'preset:h100x16k' },
      cluster: { value: 'h100x16k', origin: 'flag' },
      model: { value: 'llama-405b', origin: 'flag' },
      precision: fromDefault('precision'),
      gpuPeakFlopsPerSecond: fromPreset('h100', h100.peakTflops.bf16, 1e12),
      gpus: fromPreset('h100x16k', cluster16k.gpus),
      tdpW: fromPreset('h100', h100.tdpW),
      usdPerGpuHour: fromPreset('h100', h100.cloudUsdPerHour),
      gpuPriceUsd: fromPreset('h100', h100.priceUsd),
      gpuMemoryBytes: fromPreset('h100', h100.memoryGb, 1e9),
      params: fromPreset('llama-405b', llama405b.params),
      tokens: fromPreset('llama-405b', llama405b.tokens),
      capexMultiplier: fromDefault('capexMultiplier'),
      powerFactor: fromDefault('powerFactor'),
      electricityUsdPerKwh: fromDefault('electricityUsdPerKwh'),
      householdKw: fromDefault('householdKw'),
      gridKgCo2PerKwh: fromDefault('gridKgCo2PerKwh'),
      pue: fromDefault('pue'),
      depreciationOomPerYear: fromDefault('depreciationOomPerYear'),
      serverCostOverhead: fromDefault('serverCostOverhead'),
      interconnectCostFraction: fromDefault('interconnectCostFraction'),
      hardwareAgeYears: fromDefault('hardwareAgeYears'),
      amortizedPowerPerTdp: fromDefault('amortizedPowerPerTdp'),
      flopsMethod: fromDefault('flopsMethod'),
      optimizer: fromDefault('optimizer'),
      // 16 bytes per parameter of mixed-precision Adam (ZeRO paper §3.1).
      stateBytesPerParam: { value: 18, origin: 'derived', source: defaults.optimizer.source },
      microBatch: fromDefault('microBatch'),
      tensorParallel: fromDefault('tensorParallel'),
      pipelineParallel: fromDefault('pipelineParallel'),
      seqLen: { value: 8192, origin: 'preset:llama-405b', source: llama405b.architecture.source },
      failures: { value: true, origin: 'default' },
      gpuMtbfHours: fromDefault('gpuMtbfHours'),
      // Minutes and GB/s in the defaults, seconds and bytes/s in the scenario.
      restartSeconds: { ...fromDefault('restartMinutes'), value: defaults.restartMinutes.value * 60 },
      storageBytesPerSecond: { ...fromDefault('storageGBps'), value: defaults.storageGBps.value * 1e9 },
      mfu: fromPreset('h100x16k', cluster16k.mfu),
      trainingFlops: { value: 6 * 405e9 * 15.6e12, origin: 'derived', source: '6 x (active) params x tokens' },
    });
    expect(s.architecture).toEqual({ value: expect.objectContaining({ layers: 126, dModel: 16384 }), origin: 'preset:llama-405b', source: llama405b.architecture.source });
    for (const absent of ['activeParams', 'interruptionsPerDay', 'checkpointSeconds', 'checkpointIntervalSeconds', 'budgetDays', 'solveFor', 'tokensPerParam']) expect(s, absent).not.toHaveProperty(absent);
  });

  it('without --cluster or --gpu, the default cluster (Colossus) with the default\'s source', () => {
    const s = estimate({ model: 'llama-405b' });
    expect(s.cluster).toEqual({ value: defaults.cluster.value, origin: 'default', source: defaults.cluster.source });
    expect(s.gpus).toMatchObject({ value: 100000, origin: `preset:${defaults.cluster.value}` });
    // Colossus publishes no MFU, so no cluster figure: what the published H100 runs imply (derived).
    expect(s.mfu?.origin).toBe('derived');
  });

  it('--gpu without --cluster describes the hardware: no default cluster mixed in; the GPU named by flag', () => {
    const s = estimate({ model: 'llama-405b', gpu: 'H100', gpus: 1024 });
    expect(s.gpu).toEqual({ value: 'h100', origin: 'flag' });
    expect(s.cluster).toBeUndefined();
    expect(s.gpus).toEqual({ value: 1024, origin: 'flag' });
    expect(error(() => estimate({ model: 'llama-405b', gpu: 'h100' }))).toBe('--gpus: expected a GPU count (or a --cluster)');
  });

  it('flags win over presets and defaults', () => {
    const flags: FlagValues = {
      model: 'llama-405b', cluster: 'h100x16k', gpus: 2048, tdp: 650, 'gpu-hour-price': 2.5, 'gpu-price': 25000, 'capex-multiplier': 1.5, 'power-factor': 1.7,
      'electricity-price': 0.1, 'household-kw': 1.1, 'grid-intensity': 0.2, pue: 1.2, 'hardware-age': 1, params: 400e9, tokens: 15e12, 'micro-batch': 2, 'tensor-parallel': 4, 'pipeline-parallel': 2, 'seq-len': 4096,
    };
    const s = estimate(flags);
    const flag = (value: number) => ({ value, origin: 'flag' });
    expect(s).toMatchObject({
      gpus: flag(2048), tdpW: flag(650), usdPerGpuHour: flag(2.5), gpuPriceUsd: flag(25000), capexMultiplier: flag(1.5), powerFactor: flag(1.7), electricityUsdPerKwh: flag(0.1), householdKw: flag(1.1),
      gridKgCo2PerKwh: flag(0.2), pue: flag(1.2), hardwareAgeYears: flag(1), params: flag(400e9), tokens: flag(15e12), microBatch: flag(2), tensorParallel: flag(4), pipelineParallel: flag(2), seqLen: flag(4096),
    });
    expect(s.trainingFlops?.value).toBe(6 * 400e9 * 15e12);
    expect(s.seqLen).toEqual({ value: 4096, origin: 'flag' });
    expect(s.architecture?.value.seqLen).toBe(4096);
    expect(s.architecture?.source).toBe(`flags over ${llama405b.architecture.source}`);
  });

  it('a cluster\'s own figures win over its GPU\'s and the defaults (a user cluster with price, power factor and electricity)', () => {
    const withCluster = loadPresetsWith('clusters', 'mine', {
      name: 'mine', label: 'Mine', gpu: 'h100', gpus: { value: 64, source: 'my cluster sheet' }, gpuPriceUsd: { value: 21000, source: 'my invoice' },
      powerFactor: { value: 1.4, source: 'my PDU logs' }, electricityUsdPerKwh: { value: 0.05, source: 'my contract' },
    });
    const s = resolveScenario('estimate', { model: 'llama-8b', cluster: 'mine' }, withCluster);
    expect(s).toMatchObject({
      gpuPriceUsd: { value: 21000, origin: 'preset:mine', source: 'my invoice' },
      powerFactor: { value: 1.4, origin: 'preset:mine', source: 'my PDU logs' },
      electricityUsdPerKwh: { value: 0.05, origin: 'preset:mine', source: 'my contract' },
    });
  });
});

describe('precision and peak', () => {
  it('V100 has no bf16: the default precision becomes fp16 (mixed precision, Micikevicius et al. 2018) against its fp16 peak', () => {
    const s = estimate({ model: 'gpt-3', gpu: 'v100', gpus: 1024 });
    expect(s.precision).toMatchObject({ value: 'fp16', origin: 'default' });
    expect(s.precision.source).toMatch(/^v100 has no bf16 peak: it trains in fp16 mixed precision \(Micikevicius et al\. 2018/);
    expect(s.gpuPeakFlopsPerSecond).toEqual(fromPreset('v100', v100.peakTflops.fp16, 1e12));
  });

  it('a GPU with the default precision keeps it; --precision picks its peak', () => {
    expect(estimate({ model: 'llama-8b', gpu: 'h100', gpus: 8 }).precision).toEqual(fromDefault('precision'));
    const s = estimate({ model: 'llama-8b', gpu: 'h100', gpus: 8, precision: 'fp8' });
    expect(s.precision).toEqual({ value: 'fp8', origin: 'flag' });
    expect(s.gpuPeakFlopsPerSecond).toEqual(fromPreset('h100', h100.peakTflops.fp8, 1e12));
  });

  it('a precision the GPU has no peak for names the ones it has; --peak-tflops wins over the preset', () => {
    expect(error(() => estimate({ model: 'gpt-3', gpu: 'v100', gpus: 8, precision: 'fp8' }))).toBe(
      '--precision: v100 has no dense fp8 peak in its preset (it has fp32, fp16); choose one of those or give --peak-tflops',
    );
    const s = estimate({ model: 'gpt-3', gpu: 'v100', gpus: 8, precision: 'fp8', 'peak-tflops': 250e12 });
    expect(s.gpuPeakFlopsPerSecond).toEqual({ value: 250e12, origin: 'flag' });
  });
});

describe('what the run computes', () => {
  it('--flops is taken as given; without a model, params and tokens, estimate says what it needs', () => {
    const s = estimate({ flops: 3.8e25, cluster: 'h100x16k' });
    expect(s.trainingFlops).toEqual({ value: 3.8e25, origin: 'flag' });
    expect(error(() => estimate({ cluster: 'h100x16k', params: 1e9 }))).toBe('estimate: expected --model, --flops, or both --params and --tokens');
  });

  it('PaLM\'s count needs the architecture and says so in its source', () => {
    const s = estimate({ model: 'llama-405b', cluster: 'h100x16k', 'flops-method': 'palm' });
    expect(s.flopsMethod).toEqual({ value: 'palm', origin: 'flag' });
    expect(s.trainingFlops?.source).toBe('(6 x (active) params + 12 L H Q T) x tokens (PaLM appendix B; N counted as PaLM does, embeddings included)');
    expect(s.trainingFlops!.value).toBeGreaterThan(6 * 405e9 * 15.6e12);
    expect(error(() => estimate({ params: 1e9, tokens: 2e10, cluster: 'h100x16k', 'flops-method': 'palm' }))).toBe(
      '--flops-method: palm needs the architecture (a --model that has one, --hf-config, or --layers, --d-model, --heads and --seq-len)',
    );
  });

  it('an MoE preset counts its 37B active parameters (DeepSeek-V3 report): 6 x 37e9 x 14.8e12', () => {
    const s = estimate({ model: 'deepseek-v3', gpu: 'h800', gpus: 2048 });
    expect(s.activeParams).toEqual(fromPreset('deepseek-v3', deepseekV3.activeParams));
    expect(s.trainingFlops?.value).toBeCloseTo(6 * 37e9 * 14.8e12, -10);
  });

  it('--active-params above the total: the error blames the flag and names the total\'s source', () => {
    expect(error(() => estimate({ model: 'llama-405b', cluster: 'h100x16k', 'active-params': 500e9 }))).toBe(
      '--active-params: expected at most the total parameters (405B, preset llama-405b), got 500B',
    );
    expect(error(() => estimate({ params: 10e9, tokens: 1e12, cluster: 'h100x16k', 'active-params': 20e9 }))).toBe('--active-params: expected at most the total parameters (10B, flag), got 20B');
  });

  it('--params below a preset\'s active count drops that count (it belongs to the preset\'s total); a fitting one is kept', () => {
    expect(estimate({ model: 'deepseek-v3', gpu: 'h800', gpus: 2048, params: 30e9 }).activeParams).toBeUndefined();
    expect(estimate({ model: 'deepseek-v3', gpu: 'h800', gpus: 2048, params: 100e9 }).activeParams).toEqual(fromPreset('deepseek-v3', deepseekV3.activeParams));
  });

  it('tensor x pipeline parallel larger than the GPU count is refused, naming the flag given', () => {
    expect(error(() => estimate({ model: 'llama-8b', gpu: 'h100', gpus: 8, 'tensor-parallel': 8, 'pipeline-parallel': 2 }))).toBe(
      '--tensor-parallel: expected tensor x pipeline parallel at most the GPU count (8), got 8 x 2 = 16',
    );
    expect(error(() => estimate({ model: 'llama-8b', gpu: 'h100', gpus: 8, 'pipeline-parallel': 16 }))).toBe(
      '--pipeline-parallel: expected tensor x pipeline parallel at most the GPU count (8), got 8 x 16 = 128',
    );
    // The defaults alone (TP 8) on 4 GPUs are not the user's mistake.
    expect(estimate({ model: 'llama-8b', gpu: 'h100', gpus: 4 }).tensorParallel?.value).toBe(8);
  });
});

describe('the failure model and memory inputs', () => {
  it('--no-failures drops the failure inputs and refuses the flags that tune them', () => {
    const s = estimate({ model: 'llama-8b', cluster: 'h100x16k', 'no-failures': true });
    expect(s.failures).toEqual({ value: false, origin: 'flag' });
    for (const k of ['gpuMtbfHours', 'restartSeconds', 'storageBytesPerSecond']) expect(s, k).not.toHaveProperty(k);
    for (const flag of ['gpu-mtbf-hours', 'interruptions-per-day', 'restart-minutes', 'checkpoint-seconds', 'storage-gbps', 'checkpoint-interval-minutes']) {
      expect(error(() => estimate({ model: 'llama-8b', cluster: 'h100x16k', 'no-failures': true, [flag]: 300 }))).toBe(`--${flag}: cannot be combined with --no-failures`);
    }
  });

  it('interruptions per day replace the MTBF; a checkpoint time replaces the storage bandwidth; an interval is kept', () => {
    const s = estimate({ model: 'llama-8b', cluster: 'h100x16k', 'interruptions-per-day': 8, 'checkpoint-seconds': 30, 'checkpoint-interval-minutes': 1800, 'restart-minutes': 600 });
    expect(s).toMatchObject({ interruptionsPerDay: { value: 8, origin: 'flag' }, checkpointSeconds: { value: 30, origin: 'flag' }, checkpointIntervalSeconds: { value: 1800, origin: 'flag' }, restartSeconds: { value: 600, origin: 'flag' } });
    expect(s).not.toHaveProperty('gpuMtbfHours');
    expect(s).not.toHaveProperty('storageBytesPerSecond');
    expect(estimate({ model: 'llama-8b', cluster: 'h100x16k', 'gpu-mtbf-hours': 1000, 'storage-gbps': 5e9 })).toMatchObject({ gpuMtbfHours: { value: 1000, origin: 'flag' }, storageBytesPerSecond: { value: 5e9, origin: 'flag' } });
    expect(error(() => estimate({ model: 'llama-8b', cluster: 'h100x16k', 'interruptions-per-day': 8, 'gpu-mtbf-hours': 1000 }))).toBe('--interruptions-per-day: give it or --gpu-mtbf-hours, not both');
  });

  it('--optimizer sets the bytes per parameter (8-bit Adam: 2 + 4 + 4 + 2 = 12, Dettmers et al. 2022); --state-bytes-per-param replaces it; not both', () => {
    const s = estimate({ model: 'llama-8b', cluster: 'h100x16k', optimizer: 'adam-8bit' });
    expect(s.optimizer).toEqual({ value: 'adam-8bit', origin: 'flag' });
    expect(s.stateBytesPerParam).toEqual({ value: 12, origin: 'derived', source: 'bytes per parameter of adam-8bit' });
    const b = estimate({ model: 'llama-8b', cluster: 'h100x16k', 'state-bytes-per-param': 12 });
    expect(b.stateBytesPerParam).toEqual({ value: 12, origin: 'flag' });
    expect(b).not.toHaveProperty('optimizer');
    expect(error(() => estimate({ model: 'llama-8b', cluster: 'h100x16k', 'state-bytes-per-param': 12, optimizer: 'adam-8bit' }))).toBe('--state-bytes-per-param: give it or --optimizer, not both');
  });
});

describe('the architecture: flags over --hf-config over the model preset', () => {
  it('all four from flags, or an error naming the missing ones', () => {
    const s = estimate({ params: 1e9, tokens: 2e10, cluster: 'h100x16k', layers: 24, 'd-model': 2048, heads: 16, 'seq-len': 4096, 'vocab-size': 32000, 'kv-heads': 4, 'ffn-size': 5632 });
    expect(s.architecture).toEqual({ value: { source: 'flags', layers: 24, dModel: 2048, heads: 16, seqLen: 4096, vocabSize: 32000, kvHeads: 4, ffnDim: 5632 }, origin: 'flag', source: 'flags' });
    expect(error(() => estimate({ params: 1e9, tokens: 2e10, cluster: 'h100x16k', layers: 24, heads: 16 }))).toBe(
      '--layers/--d-model/--heads/--seq-len: an architecture needs all four (missing dModel, seqLen)',
    );
  });

  it('--experts and --experts-per-token make a mixture of experts (both needed unless the model has them, k at most the experts)', () => {
    const s = estimate({ model: 'llama-8b', cluster: 'h100x16k', experts: 8, 'experts-per-token': 2 });
    expect(s.architecture?.value.moe).toEqual({ experts: 8, activeExperts: 2 });
    // DeepSeek-V3 has 256 experts: --experts-per-token alone changes k and keeps the rest.
    expect(estimate({ model: 'deepseek-v3', gpu: 'h800', gpus: 2048, 'experts-per-token': 4 }).architecture?.value.moe).toEqual({ ...deepseekV3.architecture.moe, activeExperts: 4 });
    expect(error(() => estimate({ model: 'llama-8b', cluster: 'h100x16k', experts: 8 }))).toBe('--experts-per-token: expected with --experts (a mixture of experts needs both, unless the model has them)');
    expect(error(() => estimate({ model: 'llama-8b', cluster: 'h100x16k', 'experts-per-token': 2 }))).toBe('--experts: expected with --experts-per-token (a mixture of experts needs both, unless the model has them)');
    expect(error(() => estimate({ model: 'llama-8b', cluster: 'h100x16k', experts: 8, 'experts-per-token': 9 }))).toBe('--experts-per-token: expected at most --experts (8), got 9');
  });

  it('a model without an architecture and no flags: none', () => {
    expect(estimate({ params: 1e9, tokens: 2e10, cluster: 'h100x16k' }).architecture).toBeUndefined();
  });

  it('--hf-config: its architecture and counts, marked as from the file, with how its sequence length was chosen', () => {
    const architecture = { layers: 32, dModel: 4096, heads: 32, kvHeads: 8, ffnDim: 14336, vocabSize: 32000, seqLen: 4096, ffnGated: true, moe: { experts: 8, activeExperts: 2 }, source: 'config.json' };
    const hf = { path: 'mixtral/config.json', architecture, params: 46.7e9, activeParams: 12.9e9, mixtureOfExperts: true, seqLenSource: 'max_position_embeddings' } as never;
    const s = resolveScenario('estimate', { tokens: 1e12, cluster: 'h100x16k' }, presets, { hfConfig: hf });
    expect(s.architecture).toEqual({ value: architecture, origin: 'flag', source: '--hf-config mixtral/config.json (seqLen 4096: max_position_embeddings)' });
    expect(s.params).toEqual({ value: 46.7e9, origin: 'flag', source: 'derived from --hf-config mixtral/config.json' });
    expect(s.activeParams).toEqual({ value: 12.9e9, origin: 'flag', source: 'derived from --hf-config mixtral/config.json' });
    // --params wins over the file, and the file's active count (of its own total) is dropped.
    const p = resolveScenario('estimate', { tokens: 1e12, cluster: 'h100x16k', params: 40e9 }, presets, { hfConfig: hf });
    expect(p.params).toEqual({ value: 40e9, origin: 'flag' });
    expect(p.activeParams).toBeUndefined();
    // --active-params above the file's total names the file as where the total came from.
    expect(error(() => resolveScenario('estimate', { tokens: 1e12, cluster: 'h100x16k', 'active-params': 50e9 }, presets, { hfConfig: hf }))).toBe(
      '--active-params: expected at most the total parameters (46.7B, --hf-config mixtral/config.json), got 50B',
    );
    // A dense file has no active count to give.
    const dense = resolveScenario('estimate', { tokens: 1e12, cluster: 'h100x16k' }, presets, { hfConfig: { ...(hf as object), mixtureOfExperts: false, architecture: { ...architecture, moe: undefined } } as never });
    expect(dense.activeParams).toBeUndefined();
    // A flag over the file's architecture.
    expect(resolveScenario('estimate', { tokens: 1e12, cluster: 'h100x16k', layers: 16 }, presets, { hfConfig: hf }).architecture).toMatchObject({ value: { layers: 16, dModel: 4096 }, source: 'flags over config.json' });
  });
});

describe('solve: the unknown is not an input', () => {
  it('--days is required, except when solving for days; the default unknown follows what is fixed', () => {
    expect(error(() => solve({ model: 'llama-405b', cluster: 'h100x16k' }))).toBe('--days: expected the time budget in days (e.g. --days 100)');
    expect(error(() => solve({ model: 'llama-405b', cluster: 'h100x16k', for: 'days', days: 10 }))).toBe('--days: cannot be given when solving for days (the wall-clock is the unknown)');
    const days = solve({ model: 'llama-405b', cluster: 'h100x16k', for: 'days' });
    expect(days.solveFor).toEqual({ value: 'days', origin: 'flag' });
    expect(days).not.toHaveProperty('budgetDays');
    const s = solve({ model: 'llama-405b', cluster: 'h100x16k', days: 100 });
    expect(s.budgetDays).toEqual({ value: 100, origin: 'flag' });
    // The compute is fixed (params and tokens) and the GPUs are given: the MFU is the unknown.
    expect(s.solveFor).toMatchObject({ value: 'mfu', origin: 'derived' });
    expect(s.solveFor?.source).toBe('when the compute is fixed: gpus if neither --cluster nor --gpus is given, else mfu; tokens when only params is given, else params');
    expect(s).not.toHaveProperty('mfu');
    expect(s.tokensPerParam).toEqual(fromDefault('tokensPerParam'));
    expect(s.trainingFlops).toEqual({ value: 6 * 405e9 * 15.6e12, origin: 'derived', source: '6nd count of params and tokens' });
  });

  it('solving for GPUs drops the cluster\'s count; for params or tokens drops the preset\'s', () => {
    const g = solve({ model: 'llama-405b', cluster: 'h100x16k', days: 100, for: 'gpus' });
    expect(g).not.toHaveProperty('gpus');
    expect(solve({ model: 'llama-405b', days: 100 }).solveFor?.value).toBe('gpus');
    const p = solve({ model: 'llama-405b', cluster: 'h100x16k', days: 100, for: 'params' });
    expect(p).not.toHaveProperty('params');
    expect(p).not.toHaveProperty('trainingFlops');
    const t = solve({ model: 'llama-405b', cluster: 'h100x16k', days: 100, for: 'tokens' });
    expect(t).not.toHaveProperty('tokens');
    expect(solve({ params: 70e9, cluster: 'h100x16k', days: 100 }).solveFor?.value).toBe('tokens');
    expect(solve({ tokens: 15e12, cluster: 'h100x16k', days: 100 }).solveFor?.value).toBe('params');
    expect(solve({ flops: 1e25, cluster: 'h100x16k', days: 100 }).trainingFlops).toEqual({ value: 1e25, origin: 'flag' });
  });

  it('the default unknown with the compute fixed: GPUs without a cluster or a GPU count, else the MFU; the inputs the unknown does not drop stay', () => {
    expect(solve({ flops: 1e25, gpu: 'h100', days: 30 }).solveFor?.value).toBe('gpus');
    expect(solve({ flops: 1e25, gpu: 'h100', gpus: 1024, days: 30 }).solveFor?.value).toBe('mfu');
    expect(solve({ flops: 1e25, cluster: 'h100x16k', days: 30 }).solveFor?.value).toBe('mfu');
    const p = solve({ model: 'llama-405b', cluster: 'h100x16k', days: 100, for: 'params', 'tokens-per-param': 30 });
    expect(p.tokensPerParam).toEqual({ value: 30, origin: 'flag' });
    expect(p.mfu).toMatchObject({ value: 0.4, origin: 'preset:h100x16k' });
    expect(p.gpus).toMatchObject({ value: 16384 });
    // A given --flops is the compute, even with params and tokens.
    expect(solve({ flops: 1e25, params: 1e9, tokens: 1e12, cluster: 'h100x16k', days: 30, for: 'gpus' }).trainingFlops).toEqual({ value: 1e25, origin: 'flag' });
    expect(solve({ params: 70e9, cluster: 'h100x16k', days: 100 })).not.toHaveProperty('trainingFlops');
  });

  it('the unknown given as a flag is refused, naming it', () => {
    const base = { model: 'llama-405b', cluster: 'h100x16k', days: 100 };
    expect(error(() => solve({ ...base, for: 'gpus', gpus: 1024 }))).toBe('--gpus: cannot be given when solving for gpus');
    expect(error(() => solve({ ...base, for: 'mfu', mfu: 0.4 }))).toBe('--mfu: cannot be given when solving for mfu');
    expect(error(() => solve({ ...base, for: 'params', params: 1e9 }))).toBe('--params: cannot be given when solving for params');
    expect(error(() => solve({ ...base, for: 'tokens', tokens: 1e9 }))).toBe('--tokens: cannot be given when solving for tokens');
    expect(error(() => solve({ model: 'llama-405b', gpu: 'h100', days: 100, for: 'mfu' }))).toBe('--gpus: expected a GPU count (or a --cluster)');
  });
});

/** The built-in presets plus one user preset file (as a user presets directory adds it). */
function loadPresetsWith(kind: 'clusters' | 'gpus' | 'models', name: string, doc: object): PresetSet {
  const parsed = parsePresets([...readPresetDir(builtinPresetsDir(), 'built-in'), { path: `user/${kind}/${name}.json`, kind, text: JSON.stringify(doc), origin: 'user' }]);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.join('\n'));
  return parsed.presets;
}

describe('every input is defined: a missing one is absent, not undefined', () => {
  it.each([
    ['a full preset scenario', 'estimate', { model: 'llama-405b', cluster: 'h100x16k' }],
    ['flags only, on a GPU without price or power figures', 'estimate', { flops: 1e24, gpu: 'tpu-v5e', gpus: 256 }],
    ['no failures', 'estimate', { params: 7e9, tokens: 2e12, gpu: 'a100', gpus: 64, 'no-failures': true }],
    ['solve for GPUs', 'solve', { model: 'llama-405b', days: 100 }],
    ['solve for days', 'solve', { model: 'llama-8b', cluster: 'h100x16k', for: 'days' }],
    ['predicted MFU', 'estimate', { model: 'llama-405b', cluster: 'h100x16k', 'mfu-from': 'predicted' }],
  ] as const)('%s', (_, command, flags) => {
    const s = resolveScenario(command, flags, presets) as unknown as Record<string, unknown>;
    for (const [key, input] of Object.entries(s)) {
      expect(input, key).toBeDefined();
      expect((input as { value: unknown }).value, key).toBeDefined();
    }
  });
});

describe('flags over an architecture keep its relations (src/core/quantity.ts), blaming the flag and naming the other side', () => {
  it.each([
    [{ model: 'llama-405b', cluster: 'h100x16k', 'kv-heads': 7 }, '--kv-heads: expected a divisor of the attention heads of llama-405b (128), got 7'],
    [{ model: 'llama-405b', cluster: 'h100x16k', heads: 100 }, '--heads: expected a multiple of the key/value heads of llama-405b (8), got 100'],
    [{ model: 'llama-405b', cluster: 'h100x16k', heads: 96, 'kv-heads': 7 }, '--kv-heads: expected a divisor of --heads (96), got 7'],
    [{ params: 1e9, tokens: 1e10, cluster: 'h100x16k', layers: 2, 'd-model': 1000, heads: 7, 'seq-len': 128 }, '--heads: expected a divisor of --d-model (1000), got 7'],
    // DeepSeek-V3 gives its head size (192), so the heads need not divide the width; its 128 KV heads must divide the heads.
    [{ model: 'deepseek-v3', gpu: 'h800', gpus: 8, heads: 100 }, '--heads: expected a multiple of the key/value heads of deepseek-v3 (128), got 100'],
    [{ model: 'deepseek-v3', gpu: 'h800', gpus: 8, experts: 4 }, '--experts: expected at least the experts per token of deepseek-v3 (8), got 4'],
    [{ model: 'deepseek-v3', gpu: 'h800', gpus: 8, layers: 2 }, '--layers: expected at least the dense layers of deepseek-v3 (3), got 2'],
  ] as const)('%j', (flags, message) => {
    expect(error(() => estimate(flags))).toBe(message);
  });

  it('relations that hold, or flags that touch none, pass', () => {
    expect(estimate({ model: 'llama-405b', cluster: 'h100x16k', heads: 64, 'kv-heads': 8 }).architecture?.value).toMatchObject({ heads: 64, kvHeads: 8 });
    expect(estimate({ model: 'deepseek-v3', gpu: 'h800', gpus: 8, heads: 256 }).architecture?.value.heads).toBe(256);
    expect(estimate({ model: 'llama-405b', cluster: 'h100x16k', 'vocab-size': 32000 }).architecture?.value.vocabSize).toBe(32000);
  });

  it('over an HF config, the other side is named as the file\'s', () => {
    const architecture = { layers: 32, dModel: 4096, heads: 32, kvHeads: 8, seqLen: 4096, source: 'config.json' };
    const hf = { path: 'm/config.json', architecture, params: 7e9, mixtureOfExperts: false, seqLenSource: 'max_position_embeddings' } as never;
    expect(error(() => resolveScenario('estimate', { tokens: 1e12, cluster: 'h100x16k', 'kv-heads': 5 }, presets, { hfConfig: hf }))).toBe('--kv-heads: expected a divisor of the attention heads of m/config.json (32), got 5');
  });
});

describe('the range of a predicted MFU', () => {
  it('--mfu-from predicted with --mfu keeps the range of a given MFU; the published default keeps its own', () => {
    const given = estimate({ model: 'llama-405b', cluster: 'h100x16k', 'mfu-from': 'predicted', mfu: 0.45 });
    expect(given.rangeFactors?.source).toMatch(/^80 % range with the steady-state MFU known/);
    expect(estimate({ model: 'llama-405b', gpu: 'h100', gpus: 1024, 'mfu-from': 'published' }).rangeFactors?.source).toMatch(/^80 % range of the published-run MFU/);
    // The default: the throughput model predicts llama-405b on 1,024 H100 (an architecture, a GPU count, bf16), with its range.
    expect(estimate({ model: 'llama-405b', gpu: 'h100', gpus: 1024 }).rangeFactors?.source).toMatch(/^80 % range of the throughput model's steady-state MFU/);
    expect(estimate({ params: 405e9, tokens: 15.6e12, gpu: 'h100', gpus: 1024 }).rangeFactors?.source).toMatch(/^80 % range of the published-run MFU/);
    const predicted = estimate({ model: 'llama-405b', cluster: 'h100x16k', 'mfu-from': 'predicted' });
    expect(predicted.rangeFactors?.origin).toBe('derived');
    expect(predicted.rangeFactors?.source).toMatch(/^80 % range of the throughput model's steady-state MFU/);
  });

  it('without runs the model can predict, a predicted MFU states no range', () => {
    const bare: PresetSet = { ...presets, models: new Map([...presets.models].filter(([name]) => name === 'llama-405b').map(([n, m]) => [n, { ...m, run: undefined }])) };
    const s = resolveScenario('estimate', { model: 'llama-405b', cluster: 'h100x16k', 'mfu-from': 'predicted' }, bare);
    expect(s.mfu?.origin).toBe('derived');
    expect(s).not.toHaveProperty('rangeFactors');
  });
});
