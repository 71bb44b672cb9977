// The throughput inputs of a scenario and its plan (issue 10), in process: which hardware facts come
// from which preset, the global batch (flag > the model's published plan > DeepSeek's batch rule),
// the plan knobs given by flag, the quick search of estimate, and every one-line usage error of a
// plan the flags fix, word for word (test/cli/plan.test.ts checks the same through the built CLI).
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { MIN_CONTEXT_TOKENS } from '../../src/core/throughput/constants.js';
import { deviceOf, planGpus, stateBytesOf, throughputModel, type Plan, type ThroughputArchitecture } from '../../src/core/throughput/index.js';
import { builtinPresetsDir, loadPresets, readPresetDir } from '../../src/presets/load.js';
import { parsePresets, type PresetSet } from '../../src/presets/parse.js';
import { resolveScenario } from '../../src/presets/resolve.js';
import { checkFixedProduct, describePlan, fixedKnobs, planInput, PLAN_FLAGS, quickSpace, resolveThroughputInputs, scenarioModel, scenarioThroughput, takeThroughput, throughputGap, type ThroughputOutcome } from '../../src/presets/resolve-throughput.js';
import { computeOf } from '../../src/scenario/inputs.js';
import type { FlagValues, Scenario } from '../../src/scenario/types.js';

const json = (path: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../presets/${path}`, import.meta.url), 'utf8'));
const h100 = json('gpus/h100.json');
const cluster16k = json('clusters/h100x16k.json');
const llama405b = json('models/llama-405b.json');

let presets: PresetSet;
beforeEach(() => {
  presets = loadPresets();
});
const LLAMA = { model: 'llama-405b', cluster: 'h100x16k' };
const scenario = (flags: FlagValues): Scenario => resolveScenario('estimate', flags, presets);
const outcome = (flags: FlagValues): ThroughputOutcome => {
  const s = scenario(flags);
  const o = scenarioThroughput(s, computeOf(s));
  if ('gap' in o) throw new Error(o.gap);
  return o;
};
const gap = (flags: FlagValues, command: 'estimate' | 'solve' = 'estimate'): string | undefined => {
  const s = resolveScenario(command, flags, presets);
  const o = scenarioThroughput(s, computeOf(s));
  return 'gap' in o ? o.gap : undefined;
};
const error = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('hardware facts and the global batch', () => {
  it('HBM, the NVLink domain from the GPU preset; the network from the cluster (400 Gb/s = 50 GB/s)', () => {
    const s = scenario(LLAMA);
    expect(s).toMatchObject({
      hbmBytesPerSecond: { value: 3.35e12, origin: 'preset:h100', source: h100.memoryBandwidthTBs.source },
      scaleUpBytesPerSecond: { value: 450e9, origin: 'preset:h100', source: h100.scaleUpGBpsPerDirection.source },
      scaleUpDomainGpus: { value: 8, origin: 'preset:h100', source: h100.scaleUpDomainGpus.source },
      scaleOutBytesPerSecond: { value: 50e9, origin: 'preset:h100x16k', source: cluster16k.scaleOutGbpsPerGpu.source },
    });
    // The model's published plan: 2,048 sequences of its 8,192 tokens (Llama 3 paper, Table 4).
    expect(s.globalBatch).toEqual({ value: 2048, origin: 'preset:llama-405b', source: llama405b.run.plan.source });
    expect(s.mfuFrom).toMatchObject({ value: 'published', origin: 'default' });
    expect(s.mfuFrom?.source).toMatch(/^issue 11 backtest: /);
  });

  it('without a cluster, the network of the GPU\'s reference system (DGX H100), marked as a default', () => {
    const s = scenario({ model: 'llama-405b', gpu: 'h100', gpus: 1024 });
    expect(s.scaleOutBytesPerSecond).toEqual({ value: 50e9, origin: 'default', source: `NVIDIA DGX H100: ${h100.scaleOutGbpsPerGpu.source}` });
  });

  it('a GPU without a reference network (TPU v4) has none: the throughput model says which fact is missing', () => {
    const s = scenario({ model: 'palm-540b', gpu: 'tpu-v4', gpus: 6144 });
    expect(s).not.toHaveProperty('scaleOutBytesPerSecond');
    expect(throughputGap(s)).toBe('throughput not predicted: the tpu-v4 preset has no scaleOutGbpsPerGpu (cluster or GPU reference system)');
  });

  it('--global-batch wins; another sequence length than the published plan\'s drops it for DeepSeek\'s rule B = 0.292 C^0.3271 tokens (a power of two of sequences)', () => {
    expect(scenario({ ...LLAMA, 'global-batch': 512 }).globalBatch).toEqual({ value: 512, origin: 'flag' });
    const s = scenario({ ...LLAMA, 'seq-len': 4096 });
    const flops = 6 * 405e9 * 15.6e12;
    const sequences = (0.292 * flops ** 0.3271) / 4096; // 3.79e25 FLOPs: 6.8e7 tokens, 16,600 sequences
    expect(s.globalBatch).toMatchObject({ value: 2 ** Math.round(Math.log2(sequences)), origin: 'derived' });
    expect(s.globalBatch?.value).toBe(16384);
    expect(s.globalBatch?.source).toMatch(/^DeepSeek-AI 2024, .*arXiv:2401\.02954.*B_opt = 0\.2920 · C\^0\.3271 tokens/);
    // A small run: at least one sequence.
    expect(scenario({ params: 1e6, tokens: 1e6, cluster: 'h100x16k', layers: 2, 'd-model': 64, heads: 2, 'seq-len': 4096 }).globalBatch?.value).toBe(1);
  });

  it('the plan knobs given by flag are inputs from the flag (ZeRO given as text)', () => {
    const s = scenario({ ...LLAMA, 'data-parallel': 128, 'context-parallel': 1, 'expert-parallel': 1, 'virtual-stages': 2, recompute: 'full', zero: '2', 'mfu-from': 'published' });
    const flag = (value: unknown) => ({ value, origin: 'flag' });
    expect(s).toMatchObject({ dataParallel: flag(128), contextParallel: flag(1), expertParallel: flag(1), virtualStages: flag(2), recompute: flag('full'), zero: flag(2), mfuFrom: flag('published') });
    expect(fixedKnobs(s)).toEqual({ dataParallel: 128, contextParallel: 1, expertParallel: 1, virtualStages: 2, recompute: 'full', zero: 2 });
    // Defaults (TP 8, micro-batch 1) and the published batch are not fixed by the user.
    expect(fixedKnobs(scenario(LLAMA))).toEqual({});
    expect(fixedKnobs(scenario({ ...LLAMA, 'tensor-parallel': 8, 'pipeline-parallel': 16, 'micro-batch': 1, 'global-batch': 1024 }))).toEqual({ tensorParallel: 8, pipelineParallel: 16, microBatch: 1, globalBatch: 1024 });
  });
});

describe('why a scenario has no throughput', () => {
  it.each([
    [{ params: 70e9, tokens: 2e12, cluster: 'h100x16k' }, 'estimate', 'throughput not predicted: it needs the architecture (a --model that has one, --hf-config, or --layers, --d-model, --heads and --seq-len); a shape guessed from --params alone would claim a precision it does not have'],
    [{ model: 'llama-405b', days: 100 }, 'solve', 'throughput not predicted: the GPU count is the unknown'],
    [{ flops: 1e24, cluster: 'h100x16k', layers: 32, 'd-model': 4096, heads: 32, 'seq-len': 4096 }, 'estimate', 'throughput not predicted: MFU needs the parameter count (--params, or a model preset)'],
    [{ model: 'llama-8b', cluster: 'h100x16k', days: 30, for: 'params' }, 'solve', 'throughput not predicted: MFU needs the parameter count (--params, or a model preset)'],
    [{ model: 'llama-8b', cluster: 'h100x16k', days: 30, for: 'tokens' }, 'solve', 'throughput not predicted: no global batch (give --global-batch)'],
  ] as const)('%j (%s)', (flags, command, expected) => {
    expect(gap(flags, command)).toBe(expected);
  });

  it('no plan of the GPUs splits the batch (2 layers on 3 GPUs: DP 3 for the one sequence a 6e12-FLOP run gets)', () => {
    const flags = { params: 1e6, tokens: 1e6, cluster: 'h100x16k', gpus: 3, layers: 2, 'd-model': 1024, heads: 4, 'seq-len': 4096 };
    expect(gap(flags)).toBe(
      "throughput not predicted: no plan of 3 GPUs (--gpus) splits a global batch of 1 sequences (derived by DeepSeek LLM's batch-size rule): every plan of them has data parallel at least 3, more than the sequences (TP up to the 4 heads, PP up to the 2 layers; at micro-batch 1 each data-parallel rank takes a whole number of sequences a step); give another --global-batch or --gpus",
    );
  });
});

describe('the plan estimate evaluates', () => {
  it('Llama 3.1 405B on 16,384 H100: Meta\'s TP 8 x PP 16 (Llama 3 paper, Table 4), searched, fits, with the search\'s counts', () => {
    const o = outcome(LLAMA);
    expect(o.planOrigin).toBe('searched');
    expect(o.evaluation.plan).toMatchObject({ tensorParallel: 8, pipelineParallel: 16, dataParallel: 128, globalBatch: 2048, microBatch: 1, zero: 1 });
    expect(o.evaluation.fits).toBe(true);
    expect(o.memoryBytes).toBe(80e9);
    expect(o.warnings).toEqual([]);
    expect(o.search?.searched).toBe((o.search?.feasible ?? 0) + Object.values(o.search?.rejected ?? {}).reduce((a, b) => a + b, 0));
    expect(o.search?.feasible).toBeGreaterThan(0);
    expect(planGpus(o.evaluation.plan)).toBe(16384);
  });

  it('a small model on one node searches down from TP 8 while the plan gets faster', () => {
    const o = outcome({ model: 'llama-8b', gpu: 'h100', gpus: 8 });
    expect(planGpus(o.evaluation.plan)).toBe(8);
    // Every degree tried is a divisor of the 32 heads within the domain; the best is at most 8.
    expect([1, 2, 4, 8]).toContain(o.evaluation.plan.tensorParallel);
    expect(o.evaluation.mfu).toBeGreaterThan(0.2);
  });

  it('plan flags: the plan is the flags\' (the rest searched), planOrigin flags', () => {
    const o = outcome({ ...LLAMA, 'tensor-parallel': 8, 'pipeline-parallel': 8, 'virtual-stages': 2 });
    expect(o.planOrigin).toBe('flags');
    expect(o.evaluation.plan).toMatchObject({ tensorParallel: 8, pipelineParallel: 8, virtualStages: 2, dataParallel: 256 });
  });

  it('a plan that does not fit is evaluated with a warning saying by how much', () => {
    const o = outcome({ ...LLAMA, gpus: 64, 'tensor-parallel': 8, 'pipeline-parallel': 8, 'global-batch': 64, zero: '0', recompute: 'none' });
    expect(o.evaluation.fits).toBe(false);
    expect(o.warnings).toHaveLength(1);
    expect(o.warnings[0]).toMatch(/^does not fit in GPU memory: the plan needs [\d.]+ GB per GPU, [\d.]+ GB more than fits \(80\.0 GB less the buffer allowance\); llmcost plan lists what fits$/);
    const need = o.evaluation.memoryBytesPerGpu.total / 1e9;
    expect(o.warnings[0]).toContain(`needs ${need.toPrecision(3)} GB per GPU, ${(need - 72).toPrecision(3)} GB more`);
  });

  it('the full search (llmcost plan) keeps the top N fastest', () => {
    const s = scenario(LLAMA);
    const o = scenarioThroughput(s, computeOf(s), 'full', 3) as ThroughputOutcome;
    expect(o.search?.plans).toHaveLength(3);
    expect(o.evaluation).toBe(o.search?.plans[0]);
    const rates = o.search!.plans.map((e) => e.tokensPerSecondPerGpu);
    expect([...rates].sort((a, b) => b - a)).toEqual(rates);
    expect((scenarioThroughput(s, computeOf(s), 'full', 0) as ThroughputOutcome).search?.plans).toHaveLength(1);
  });
});

describe('a plan the flags fix that cannot run: one line naming its flags', () => {
  it.each([
    [{ 'tensor-parallel': 3 }, '--tensor-parallel 3 = 3: expected a divisor of the GPU count 16,384 (from cluster preset h100x16k) (TP x PP x CP x DP = GPUs)'],
    [{ 'tensor-parallel': 16, 'pipeline-parallel': 16, 'data-parallel': 100 }, '--tensor-parallel 16 x --pipeline-parallel 16 x --data-parallel 100 = 25,600: expected the GPU count 16,384 (from cluster preset h100x16k) (TP x PP x CP x DP = GPUs)'],
    [{ 'tensor-parallel': 48, gpus: 48 }, '--tensor-parallel 48: expected a divisor of the 128 attention heads'],
    [{ 'tensor-parallel': 8, 'pipeline-parallel': 16, 'global-batch': 1000, 'micro-batch': 1 }, '--global-batch 1000: expected a multiple of data parallel 128 x --micro-batch 1'],
    [{ 'pipeline-parallel': 1, 'virtual-stages': 2, 'tensor-parallel': 8 }, '--virtual-stages 2: interleaving needs --pipeline-parallel > 1 and micro-batches per pipeline (1) divisible by it'],
    [{ 'expert-parallel': 2 }, '--expert-parallel 2: expected a divisor of the 0 experts and of data parallel 16,384'],
    [{ 'context-parallel': 3, gpus: 24 }, '--context-parallel 3: expected 2 x CP to divide the 8192-token sequence'],
    [{ 'pipeline-parallel': 128, 'virtual-stages': 2, 'tensor-parallel': 8, 'global-batch': 4096 }, '--pipeline-parallel 128 x --virtual-stages 2: expected PP at most the 126 layers and PP x VS at most 128 (the embedding and the output layer may fill a chunk each, as in Llama 3)'],
    [{ 'pipeline-parallel': 16, 'virtual-stages': 7, 'tensor-parallel': 8 }, "--pipeline-parallel 16 x --virtual-stages 7: expected 112 to divide the 126 layers (or 126 + 2, the embedding and output layer taking a layer's place as in Llama 3), so that every interleaved chunk holds as many whole layers"],
  ] as const)('%j', (flags, expected) => {
    expect(error(() => outcome({ ...LLAMA, ...flags }))).toBe(expected);
  });

  it('a micro-batch or an interleaving given by flag is evaluated, though the quick search alone tries micro-batch 1 and up to 8 chunks', () => {
    // Llama 3 405B on 16,384 GPUs, 2,048 sequences in micro-batches of 2: TP 8 x PP 16 (DP 128) leaves 8 micro-batches
    // per pipeline, too few to interleave 16 stages (a bubble of 15 / 8); the quick search takes a shallower pipeline.
    const mb2 = outcome({ ...LLAMA, 'micro-batch': 2 });
    expect(mb2.evaluation.plan).toMatchObject({ microBatch: 2, tensorParallel: 8 });
    expect(mb2.warnings).toEqual([]);
    expect(outcome({ ...LLAMA, 'micro-batch': 2, 'pipeline-parallel': 16 }).evaluation.plan).toMatchObject({ microBatch: 2, pipelineParallel: 16, dataParallel: 128, virtualStages: 1 });
    // PP 8 x 16 chunks = 128 = 126 layers + 2 (the first and last chunk a layer short), beyond the quick search's 8;
    // m = 2,048 / 256 = 8 micro-batches, divisible by 8.
    expect(outcome({ ...LLAMA, 'pipeline-parallel': 8, 'virtual-stages': 16 }).evaluation.plan).toMatchObject({ pipelineParallel: 8, virtualStages: 16 });
  });

  it('checkFixedProduct: nothing fixed is fine; without DP the product must divide the GPUs, with DP equal them', () => {
    expect(() => checkFixedProduct({}, 7)).not.toThrow();
    expect(() => checkFixedProduct({ tensorParallel: 8, pipelineParallel: 2 }, 32)).not.toThrow();
    expect(() => checkFixedProduct({ tensorParallel: 8, dataParallel: 4 }, 32)).not.toThrow();
    expect(error(() => checkFixedProduct({ tensorParallel: 8, dataParallel: 2 }, 32))).toBe('--tensor-parallel 8 x --data-parallel 2 = 16: expected the GPU count 32 (TP x PP x CP x DP = GPUs)');
    expect(error(() => checkFixedProduct({ contextParallel: 3 }, 16_384))).toBe('--context-parallel 3 = 3: expected a divisor of the GPU count 16,384 (TP x PP x CP x DP = GPUs)');
  });
});

describe('more of the plan a scenario gets', () => {
  const userGpu = (doc: Record<string, unknown>): PresetSet => {
    const parsed = parsePresets([...readPresetDir(builtinPresetsDir(), 'built-in'), { path: 'u/gpus/bare.json', kind: 'gpus', text: JSON.stringify({ name: 'bare', label: 'Bare', vendor: 'nvidia', family: 'hopper', peakTflops: { bf16: { value: 989.4, source: 'a test datasheet' } }, memoryGb: { value: 80, source: 'a test datasheet' }, ...doc }), origin: 'user' }]);
    if (parsed.errors.length > 0) throw new Error(parsed.errors.join('\n'));
    return parsed.presets!;
  };

  it('a GPU preset without link facts: the throughput model names every one it lacks', () => {
    const s = resolveScenario('estimate', { model: 'llama-405b', gpu: 'bare', gpus: 64 }, userGpu({}));
    expect(throughputGap(s)).toBe('throughput not predicted: the bare preset has no memoryBandwidthTBs, scaleUpGBpsPerDirection, scaleUpDomainGpus, scaleOutGbpsPerGpu (cluster or GPU reference system)');
  });

  it('a reference network without a named reference system', () => {
    const s = resolveScenario('estimate', { model: 'llama-405b', gpu: 'bare', gpus: 64 }, userGpu({ scaleOutGbpsPerGpu: { value: 200, source: 'a NIC datasheet' } }));
    expect(s.scaleOutBytesPerSecond).toEqual({ value: 25e9, origin: 'default', source: 'reference system: a NIC datasheet' });
  });

  it('a published batch without its sequence length is the model\'s own', () => {
    const model = { name: 'batched', label: 'Batched', params: { value: 8e9, source: 'x source' }, tokens: { value: 1e12, source: 'x source' }, architecture: { layers: 32, dModel: 4096, heads: 32, seqLen: 4096, source: 'x source' }, run: { gpu: 'h100', precision: 'bf16', plan: { globalBatch: 512, source: 'the paper' } } };
    const parsed = parsePresets([...readPresetDir(builtinPresetsDir(), 'built-in'), { path: 'u/models/batched.json', kind: 'models', text: JSON.stringify(model), origin: 'user' }]);
    const s = resolveScenario('estimate', { model: 'batched', cluster: 'h100x16k' }, parsed.presets!);
    expect(s.globalBatch).toEqual({ value: 512, origin: 'preset:batched', source: 'the paper' });
  });

  it('the scenario\'s device and counts are the model\'s: H100 in base units, 6N per token, 18 bytes of mixed-precision Adam (bf16 weights, fp32 gradients, fp32 master and moments)', () => {
    const plan: Plan = { tensorParallel: 8, pipelineParallel: 16, dataParallel: 128, contextParallel: 1, expertParallel: 1, microBatch: 1, globalBatch: 2048, recompute: 'selective', virtualStages: 1, zero: 1 };
    const s = scenario(LLAMA);
    const device = deviceOf({ gpuName: 'h100', peakFlopsPerSecond: 989.4e12, memoryBytes: 80e9, memoryBandwidthTBs: 3.35, scaleUpGBpsPerDirection: 450, scaleUpDomainGpus: 8, scaleOutGbpsPerGpu: 400 });
    const arch = s.architecture!.value as ThroughputArchitecture;
    const want = (perToken: number, fp32 = false) => throughputModel({ arch, device, modelFlopsPerToken: perToken, stateBytes: fp32 ? stateBytesOf(16, true) : { weights: 2, gradients: 4, optimizer: 12 } }).evaluate(plan);
    const got = scenarioModel(s, computeOf(s));
    expect(got.memoryBytes).toBe(80e9);
    expect(got.domain).toBe(8);
    expect(got.model.evaluate(plan)).toEqual(want(6 * 405e9));
    // fp32 Adam keeps 4-byte weights and gradients.
    const f = scenario({ ...LLAMA, optimizer: 'adam-fp32' });
    expect(scenarioModel(f, computeOf(f)).model.evaluate(plan)).toEqual(want(6 * 405e9, true));
    // PaLM's count per token: the trainingFlops over the tokens.
    const palm = scenario({ ...LLAMA, 'flops-method': 'palm' });
    expect(scenarioModel(palm, computeOf(palm)).model.evaluate(plan).mfu).toBeCloseTo(want(palm.trainingFlops!.value / 15.6e12).mfu, 12);
    // --flops without tokens: 6 x the parameters per token.
    const flops = scenario({ flops: 1e25, params: 405e9, cluster: 'h100x16k', layers: 126, 'd-model': 16384, heads: 128, 'kv-heads': 8, 'ffn-size': 53248, 'seq-len': 8192, 'global-batch': 2048 });
    expect(scenarioModel(flops, computeOf(flops)).model.evaluate(plan).mfu).toBeCloseTo(throughputModel({ arch: flops.architecture!.value as ThroughputArchitecture, device, modelFlopsPerToken: 6 * 405e9, stateBytes: stateBytesOf(18) }).evaluate(plan).mfu, 12);
  });

  it.each([
    // GLM-130B (70 layers, 4,224 sequences) on 72 A100-40GB (36 GB usable; 130B x 18 B = 2.34 TB of state, so 64 GPUs
    // hold it under no plan): the deepest interleaving with selective recomputation fits at no depth, so the search goes
    // on to full recomputation without interleaving.
    ['glm-130b on 72 A100-40GB', { model: 'glm-130b', gpu: 'a100-40gb', gpus: 72 }, { recompute: 'full', virtualStages: 1 }],
    // Llama 3.1 405B on 16,384 H100: ZeRO-1 fits Meta's plan (Llama 3 Table 4: TP 8, PP 16, DP 128), so nothing changes.
    ['llama-405b on h100x16k: ZeRO-1 as before', LLAMA, { tensorParallel: 8, pipelineParallel: 16, zero: 1, recompute: 'selective' }],
  ] as const)('the quick search returns a plan that fits whenever one of its plans does: %s', (_, flags, plan) => {
    const o = outcome(flags);
    expect(o.evaluation.plan).toMatchObject(plan);
    expect(o.warnings).toEqual([]);
    expect(o.evaluation.memoryBytesPerGpu.total).toBeLessThanOrEqual(o.memoryBytes * 0.9);
  });

  it('the quick search keeps one plan and tries few; only --global-batch given is still a searched plan; no notes', () => {
    const o = outcome(LLAMA);
    expect(o.search?.plans).toHaveLength(1);
    expect(o.search!.searched).toBeLessThan(200);
    expect(o.notes).toEqual([]);
    expect(outcome({ ...LLAMA, 'global-batch': 1024 }).planOrigin).toBe('searched');
  });

  it('a knob the flags give that breaks a rule is named before a batch the derived data parallelism does not divide', () => {
    // CP 3 on 24 GPUs and 8,192 tokens, batch 4: CP is named, not the batch.
    expect(error(() => outcome({ ...LLAMA, gpus: 24, 'context-parallel': 3, 'global-batch': 4 }))).toBe('--context-parallel 3: expected 2 x CP to divide the 8192-token sequence');
    expect(error(() => outcome({ ...LLAMA, gpus: 24, 'expert-parallel': 2, 'global-batch': 4 }))).toBe('--expert-parallel 2: expected a divisor of the 0 experts and of data parallel 24');
    // TP 8 x CP 2 on 32 GPUs (DP 2 with PP 1) and a batch of 3.
    expect(error(() => outcome({ model: 'llama-8b', cluster: 'h100x16k', gpus: 32, 'tensor-parallel': 8, 'context-parallel': 2, 'pipeline-parallel': 1, 'global-batch': 3 }))).toBe('--global-batch 3: expected a multiple of data parallel 2 x micro-batch 1');
    expect(error(() => outcome({ ...LLAMA, 'pipeline-parallel': 1, 'virtual-stages': 2, 'tensor-parallel': 8, 'micro-batch': 2, 'global-batch': 4096 }))).toBe('--virtual-stages 2: interleaving needs --pipeline-parallel > 1 and micro-batches per pipeline (1) divisible by it');
  });

  it('counts of a million and more have their thousands separated', () => {
    expect(error(() => checkFixedProduct({ tensorParallel: 3 }, 1_048_576))).toBe('--tensor-parallel 3 = 3: expected a divisor of the GPU count 1,048,576 (TP x PP x CP x DP = GPUs)');
  });
});

describe('--mfu-from predicted', () => {
  it('the predicted MFU of the plan drives the estimate, with the plan in its source; the range becomes the predicted method\'s', () => {
    const s = scenario({ ...LLAMA, 'mfu-from': 'predicted' });
    expect(s.mfu?.origin).toBe('derived');
    expect(s.mfu?.source).toBe(`predicted by the throughput model for ${describePlan(s.plan!.value)} (--mfu-from predicted)`);
    expect(s.plan).toEqual(planInput(s.plan!.value, 'searched'));
    expect(s.plan?.value).toMatchObject({ tensorParallel: 8, pipelineParallel: 16 });
    expect(s.rangeFactors?.source).toMatch(/^80 % range of the throughput model's steady-state MFU x the utilization prior x goodput: x\d\.\d\d to x\d\.\d\d \(10th to 90th percentile of ln\(reported \/ predicted\) over \d+ published runs, each predicted without itself\)$/);
    const [low, high] = s.rangeFactors!.value;
    expect(low).toBeLessThan(1);
    expect(high).toBeGreaterThan(1);
    // The published-run default keeps the cluster's MFU.
    expect(scenario(LLAMA).mfu?.origin).toBe('preset:h100x16k');
  });

  it('--mfu wins; plan flags are recorded as from the flags', () => {
    expect(scenario({ ...LLAMA, 'mfu-from': 'predicted', mfu: 0.5 }).mfu).toMatchObject({ value: 0.5, origin: 'flag' });
    const s = scenario({ ...LLAMA, 'mfu-from': 'predicted', 'tensor-parallel': 8, 'pipeline-parallel': 16 });
    expect(s.plan).toMatchObject({ origin: 'flag', source: 'plan flags; the knobs not given were searched' });
  });

  it('refused when solving for the MFU, or when the model cannot predict', () => {
    expect(error(() => resolveScenario('solve', { ...LLAMA, days: 100, for: 'mfu', 'mfu-from': 'predicted' }, presets))).toBe('--mfu-from: predicted cannot be used when solving for mfu (the MFU is the unknown)');
    expect(error(() => scenario({ params: 70e9, tokens: 2e12, cluster: 'h100x16k', 'mfu-from': 'predicted' }))).toMatch(/^--mfu-from: throughput not predicted: it needs the architecture/);
  });
});

describe('plan helpers', () => {
  const plan: Plan = { tensorParallel: 8, pipelineParallel: 16, dataParallel: 128, contextParallel: 1, expertParallel: 1, microBatch: 1, globalBatch: 2048, recompute: 'selective', virtualStages: 1, zero: 1 };
  it('describePlan: one line, context and expert parallelism and interleaving only when used', () => {
    expect(describePlan(plan)).toBe('TP 8, PP 16, DP 128, micro-batch 1, selective recompute, ZeRO-1');
    expect(describePlan({ ...plan, virtualStages: 6, contextParallel: 2, expertParallel: 4, recompute: 'full', zero: 3, microBatch: 2 })).toBe('TP 8, PP 16 (x6 interleaved), DP 128, CP 2, EP 4, micro-batch 2, full recompute, ZeRO-3');
  });

  it('planInput: flags or searched', () => {
    expect(planInput(plan, 'searched')).toEqual({ value: plan, origin: 'derived', source: 'the fastest plan that fits of the few estimate tries (llmcost plan searches them all)' });
    expect(planInput(plan, 'flags')).toEqual({ value: plan, origin: 'flag', source: 'plan flags; the knobs not given were searched' });
  });

  it('PLAN_FLAGS names every knob\'s flag in results.throughput.plan order', () => {
    expect(Object.keys(PLAN_FLAGS)).toEqual(Object.keys(plan));
    expect(Object.values(PLAN_FLAGS)).toEqual(['tensor-parallel', 'pipeline-parallel', 'data-parallel', 'context-parallel', 'expert-parallel', 'micro-batch', 'global-batch', 'recompute', 'virtual-stages', 'zero']);
  });

  it('quickSpace: one TP degree, micro-batch 1, ZeRO 1 then 2 and 3, EP 1, up to 8 chunks, selective then full; CP up to the sequence / 8,192', () => {
    const arch = { layers: 126, dModel: 16384, heads: 128, seqLen: 131072 };
    expect(quickSpace(arch, 8, 16384, 2048, {})).toEqual({
      gpus: 16384,
      globalBatch: 2048,
      fixed: { microBatch: 1, expertParallel: 1 },
      maxTensorParallel: 8,
      minTensorParallel: 8,
      maxVirtualStages: 8,
      quick: true,
      maxMicroBatch: 1,
      maxContextParallel: 131072 / MIN_CONTEXT_TOKENS.value,
      recompute: ['selective', 'full'],
      zero: [1, 2, 3],
    });
    const fixed = quickSpace({ ...arch, seqLen: 4096 }, 8, 64, 64, { tensorParallel: 4, contextParallel: 2, zero: 3 });
    expect(fixed).toMatchObject({ maxTensorParallel: 4, minTensorParallel: 4, maxContextParallel: 2, fixed: { microBatch: 1, zero: 3, expertParallel: 1, tensorParallel: 4, contextParallel: 2 } });
    expect(quickSpace({ ...arch, seqLen: 4096 }, 8, 64, 64, {}).maxContextParallel).toBe(1);
  });

  it('resolveThroughputInputs on its own: nothing but mfuFrom for a GPU without link facts and no batch', () => {
    const gpu = { ...presets.gpus.get('h100')!, memoryBandwidthTBs: undefined, scaleUpGBpsPerDirection: undefined, scaleUpDomainGpus: undefined, scaleOutGbpsPerGpu: undefined };
    expect(Object.keys(resolveThroughputInputs({}, gpu, undefined, undefined, undefined, 4096))).toEqual(['mfuFrom']);
    expect(Object.keys(resolveThroughputInputs({}, gpu, undefined, undefined, 1e24, undefined))).toEqual(['mfuFrom']);
  });
});

describe('estimate searches once when the throughput model drives its MFU', () => {
  it('takeThroughput hands the section the search resolve made for the MFU, once; then it searches again, to the same plan', () => {
    // --gpu h100 --gpus 16384 (no cluster MFU): the default lets the throughput model drive (README, Which MFU drives the estimate).
    const s = scenario({ model: 'llama-405b', gpu: 'h100', gpus: 16384 });
    expect(s.mfuFrom).toMatchObject({ value: 'predicted', origin: 'default' });
    // resolve recorded the plan object of its search among the inputs: the kept outcome is that search.
    const resolved = s.plan?.value;
    const kept = takeThroughput(s, computeOf(s));
    const again = takeThroughput(s, computeOf(s));
    if ('gap' in kept || 'gap' in again) throw new Error('no throughput');
    expect(kept.evaluation.plan).toBe(resolved);
    expect(again.evaluation.plan).not.toBe(resolved);
    expect(again).toEqual(kept);
    // The plan the section reports is the one whose MFU drives wall-clock and cost.
    expect(kept.evaluation.mfu).toBe(s.mfu?.value);
    // Without a prediction for the MFU (the cluster's measured MFU), resolve searched nothing.
    const c = scenario(LLAMA);
    expect(c.mfuFrom?.value).toBe('published');
    expect(c.plan).toBeUndefined();
  });
});
