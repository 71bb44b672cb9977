import { beforeEach, describe, expect, it } from 'vitest';
import { builtinPresetsDir, loadPresets, readPresetDir } from '../../src/presets/load.js';
import { leftOutRuns, publishedRuns, publishedThroughputs } from '../../src/presets/observations.js';
import { parsePresets, type PresetFile } from '../../src/presets/parse.js';

/** The shipped presets plus one user model file. */
const withModel = (name: string, text: string) =>
  parsePresets([...readPresetDir(builtinPresetsDir(), 'built-in'), { path: `x/models/${name}.json`, kind: 'models', text, origin: 'user' } satisfies PresetFile]);

describe('published runs in the shipped presets (issue 11: at least 30, A100 and H100/H800, dense and MoE)', () => {
  let presets: ReturnType<typeof loadPresets>;
  beforeEach(() => {
    presets = loadPresets(); // in each test, so that mutation testing sees which tests load presets
  });
  const runs = () => publishedRuns(presets);

  it('at least 30 accelerator-hour observations, each with what its hours cover', () => {
    expect(runs().length).toBeGreaterThanOrEqual(30);
    for (const r of runs()) expect(['pre-training', 'all-training', 'unknown']).toContain(r.coverage);
  });

  it('cover A100, H100 and H800, dense and mixture-of-experts, a few billion to 671B parameters', () => {
    const gpus = new Set(runs().map((r) => r.gpu.name));
    for (const g of ['a100', 'a100-40gb', 'h100', 'h800']) expect(gpus.has(g), g).toBe(true);
    const moe = runs().filter((r) => r.model.activeParams && r.model.activeParams.value < r.model.params.value);
    expect(moe.length).toBeGreaterThanOrEqual(4);
    const params = runs().map((r) => r.model.params.value);
    expect(Math.min(...params)).toBeLessThan(3e9);
    expect(Math.max(...params)).toBe(671e9);
  });

  it('every preset run is an observation or listed as left out with a reason', () => {
    const observed = new Set(runs().map((r) => r.model.name));
    const left = new Map(leftOutRuns(presets).map((l) => [l.name, l.reason]));
    for (const m of presets.models.values()) {
      if (!m.run) continue;
      expect(observed.has(m.name) !== left.has(m.name), m.name).toBe(true);
    }
    // BloombergGPT's ~53 days are 139,200 steps x 32.5 s (paper, §4 and Table 4); GPT-3's 14.8 days are
    // FLOPs / throughput (Patterson et al. 2021, Appendix A): neither is a run's hours.
    expect(left.get('bloomberggpt-50b')).toMatch(/steps-only/);
    expect(left.get('gpt-3')).toMatch(/steps-only/);
  });

  it('a run of steps-only coverage is left out even with a GPU count and days; the same run as pre-training is in', () => {
    const mpt = presets.models.get('mpt-7b');
    const variant = (coverage: string) => JSON.stringify({ ...mpt, file: undefined, origin: undefined, name: 'mpt-variant', run: { ...mpt?.run, coverage: { value: coverage, source: 'test' } } });
    const steps = withModel('mpt-variant', variant('steps-only'));
    expect(steps.errors).toEqual([]);
    expect(leftOutRuns(steps.presets).find((l) => l.name === 'mpt-variant')?.reason).toMatch(/steps x step time/);
    expect(publishedRuns(steps.presets).some((r) => r.model.name === 'mpt-variant')).toBe(false);
    const pre = withModel('mpt-variant', variant('pre-training'));
    expect(publishedRuns(pre.presets).find((r) => r.model.name === 'mpt-variant')?.observation.gpuHours).toBe(440 * 9.5 * 24);
  });
});

describe('published throughputs converted to 6ND agree with each other', () => {
  let presets: ReturnType<typeof loadPresets>;
  beforeEach(() => {
    presets = loadPresets(); // in each test, so that mutation testing sees which tests load presets
  });
  const mfus = (name: string) => {
    const model = presets.models.get(name);
    if (!model) throw new Error(name);
    return Object.fromEntries(publishedThroughputs(presets, model).map((t) => [t.basis, t.mfu6nd]));
  };

  it('BloombergGPT: 102 TFLOP/s with recomputation, x 3/4, is the MFU of 32.5 s per 2,048 x 2,048-token step on 512 GPUs (paper, Table 4)', () => {
    const m = mfus('bloomberggpt-50b');
    expect(m['TFLOP/s per GPU']).toBeCloseTo((102 * 0.75) / 312, 6);
    expect(m['TFLOP/s per GPU'] / m['step time']).toBeCloseTo(1, 2);
  });

  it("BLOOM: 149.77 hardware TFLOP/s (Megatron-DeepSpeed count) converted is within 1 % of the same log line's 104.7 s/step", () => {
    const m = mfus('bloom-176b');
    expect(Math.abs(m['TFLOP/s per GPU'] / m['step time'] - 1)).toBeLessThan(0.01);
  });

  it("PaLM's 46.2 % MFU (with attention) is 45.7 % without it, as the PaLM paper's Table 3 says", () => {
    expect(mfus('palm-540b')['MFU']).toBeCloseTo(0.457, 3);
  });

  it("MT-NLG: PaLM's 30.2 % with self-attention converts to the 29.7 % without it that PaLM reports, and matches the step time", () => {
    const m = mfus('mt-nlg-530b');
    expect(m['MFU']).toBeCloseTo(0.297, 3);
    expect(Math.abs(m['MFU'] / m['step time'] - 1)).toBeLessThan(0.01);
  });
});

describe('the run schema', () => {
  const model = (run: Record<string, unknown>) =>
    JSON.stringify({
      name: 'x',
      label: 'X',
      params: { value: 1e9, source: 'test card' },
      tokens: { value: 1e12, source: 'test card' },
      run: { gpu: 'h100', precision: 'bf16', ...run },
    });
  const errors = (run: Record<string, unknown>) => withModel('x', model(run)).errors;

  it('takes a run without coverage as coverage unknown; every shipped run with hours states it', () => {
    const parsed = withModel('x', model({ gpus: { value: 8, source: 'test card' }, gpuHours: { value: 1e6, source: 'test card' } }));
    expect(parsed.errors).toEqual([]);
    expect(publishedRuns(parsed.presets).find((r) => r.model.name === 'x')?.coverage).toBe('unknown');
    for (const m of loadPresets().models.values()) {
      if (m.run?.gpuHours || m.run?.wallClockDays) expect(m.run.coverage, m.name).toBeDefined();
    }
  });

  it('refuses an unknown coverage, a throughput without a rate, and a ZeRO stage above 3', () => {
    expect(errors({ wallClockDays: { value: 1, source: 't s' }, coverage: { value: 'most', source: 'test' } })[0]).toMatch(/run.coverage.value/);
    expect(errors({ throughput: { source: 'test card' } })[0]).toMatch(/expected tokensPerSecondPerGpu, tflopsPerGpu or stepSeconds/);
    expect(errors({ plan: { zeroStage: 4, source: 'test card' } })[0]).toMatch(/run.plan.zeroStage/);
  });

  it('takes a FLOP convention on an MFU and on a reported count', () => {
    expect(errors({ mfu: { value: 0.4, flops: { recomputation: 'full', attention: 'causal', params: 'no-input-embedding' }, source: 'test card' } })).toEqual([]);
    expect(errors({ mfu: { value: 0.4, flops: { attention: 'half' }, source: 'test card' } })[0]).toMatch(/run.mfu.flops.attention/);
  });
});
