import { originWords } from './origin.js';
import type { FlopsMethod } from '../core/compute.js';
import type { HfModelConfig } from './hf/index.js';
import { isMixtureOfExperts } from './observations.js';
import { resolveRunLevel } from './resolve-mfu.js';
import { describeRange, predictedCalibration } from './calibrate.js';
import { RANGE_COVERAGE } from '../core/calibration.js';
import { defaultSolveFor, type SolveFor } from '../core/solve.js';
import { formatQuantity } from '../core/units.js';
import { ARCHITECTURE_RELATIONS, relationProblem } from '../core/quantity.js';
import { UsageError } from '../errors.js';
import type { Located, PresetSet } from './parse.js';
import { OPTIMIZERS, type Optimizer } from '../core/memory.js';
import type { Defaults, GpuPreset, ModelPreset, Precision, SourcedNumber } from './schema.js';
import { withThroughput } from './resolve-throughput.js';
import { closestNames } from './suggest.js';
import { computeOf } from '../scenario/inputs.js';
import type { Architecture, FlagValues, Input, Scenario } from '../scenario/types.js';

// The scenario types live in src/scenario/; re-exported here while other modules move over.
export type { Architecture, FlagValues, Input, Scenario } from '../scenario/types.js';
// The scenario's numbers as core inputs live in src/scenario/inputs.ts; re-exported here too.
export { budgetSeconds, computeOf, failuresUnmodelled, toRunInputs, toSolveInputs } from '../scenario/inputs.js';

/** Inputs read from files by the CLI layer (the resolver itself does no I/O). */
export interface ResolveExtras {
  hfConfig?: HfModelConfig & { path: string };
}

/** Returns the preset of `kind` named `name`, or throws a UsageError with the closest names. */
export function pick<T>(map: Map<string, T>, name: string, flag: string): T {
  // Names are matched case-insensitively (--gpu H100), as they are printed in any case in papers.
  const found = map.get(name) ?? map.get(name.toLowerCase()) ?? [...map].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  if (found) return found;
  const near = closestNames(name, map.keys());
  throw new UsageError(`--${flag}: no preset named "${name}"; did you mean ${near.map((n) => `"${n}"`).join(', ')}?`);
}

const fromFlag = <T>(value: T): Input<T> => ({ value, origin: 'flag' });
const fromPreset = (n: SourcedNumber, preset: string, scale = 1): Input<number> => ({
  value: n.value * scale,
  origin: `preset:${preset}`,
  source: n.source,
});

/**
 * Resolves flags and presets into a Scenario for `estimate` or `solve` (pure: presets are passed in).
 * Throws a UsageError for unknown presets, a missing peak for the precision, or missing inputs.
 */
export function resolveScenario(command: 'estimate' | 'solve', flags: FlagValues, presets: PresetSet, extras: ResolveExtras = {}): Scenario {
  const num = (flag: string): Input<number> | undefined =>
    typeof flags[flag] === 'number' ? fromFlag(flags[flag] as number) : undefined;
  const text = (flag: string): string | undefined => (typeof flags[flag] === 'string' ? (flags[flag] as string) : undefined);
  const { defaults } = presets;
  const fromDefault = <K extends keyof typeof defaults>(key: K): Input<(typeof defaults)[K]['value']> => ({
    value: defaults[key].value,
    origin: 'default',
    source: defaults[key].source,
  });

  const modelName = text('model');
  const model = modelName === undefined ? undefined : pick(presets.models, modelName, 'model');
  const gpuFlag = text('gpu');
  const clusterFlag = text('cluster');
  // With --gpu and no --cluster the user describes the hardware; do not mix in the default cluster.
  const clusterName = clusterFlag ?? (gpuFlag === undefined ? defaults.cluster.value : undefined);
  const cluster = clusterName === undefined ? undefined : pick(presets.clusters, clusterName, 'cluster');
  const gpuName = gpuFlag ?? cluster?.gpu;
  if (gpuName === undefined) throw new UsageError('--gpu: expected a GPU preset name');
  const gpu = pick(presets.gpus, gpuName, 'gpu');

  const precisionFlag = text('precision') as Precision | undefined;
  const precision: Input<Precision> = precisionFlag ? fromFlag(precisionFlag) : defaultPrecision(gpu, fromDefault('precision'));
  const peakFlag = num('peak-tflops');
  let peak: Input<number>;
  if (peakFlag) peak = peakFlag;
  else {
    const sourced = gpu.peakTflops[precision.value];
    if (!sourced) {
      const has = Object.keys(gpu.peakTflops).join(', ');
      throw new UsageError(
        `--precision: ${gpu.name} has no dense ${precision.value} peak in its preset (it has ${has}); choose one of those or give --peak-tflops`,
      );
    }
    peak = fromPreset(sourced, gpu.name, 1e12);
  }

  const scenario: Scenario = {
    gpu: gpuFlag !== undefined ? fromFlag(gpu.name) : { value: gpu.name, origin: `preset:${cluster?.name ?? ''}` },
    precision,
    gpuPeakFlopsPerSecond: peak,
    capexMultiplier: num('capex-multiplier') ?? fromDefault('capexMultiplier'),
    powerFactor:
      num('power-factor') ?? optionalPreset(cluster, cluster?.powerFactor) ?? fromDefault('powerFactor'),
    electricityUsdPerKwh:
      num('electricity-price') ??
      optionalPreset(cluster, cluster?.electricityUsdPerKwh) ??
      fromDefault('electricityUsdPerKwh'),
    householdKw: num('household-kw') ?? fromDefault('householdKw'),
    // Filled in by resolveFailuresAndMemory below.
    failures: { value: false, origin: 'default' },
    stateBytesPerParam: { value: 0, origin: 'default' },
    gpuMemoryBytes: { value: 0, origin: 'default' },
  };
  const hf = extras.hfConfig;
  const architecture = resolveArchitecture(flags, model, hf);
  if (architecture) scenario.architecture = architecture;
  Object.assign(scenario, resolveFailuresAndMemory(flags, gpu, architecture, num, fromDefault));
  if (model) scenario.model = fromFlag(model.name);
  if (cluster) scenario.cluster = clusterFlag !== undefined ? fromFlag(cluster.name) : { value: cluster.name, origin: 'default', source: defaults.cluster.source };

  const tdp = num('tdp') ?? optionalPreset(gpu, gpu.tdpW);
  if (tdp) scenario.tdpW = tdp;
  const gpus = num('gpus') ?? optionalPreset(cluster, cluster?.gpus);
  if (gpus) scenario.gpus = gpus;
  // Neighbours: the parallel degrees the user gives split the GPUs, so their product is at most the count.
  const tp = scenario.tensorParallel?.value ?? 1;
  const pp = scenario.pipelineParallel?.value ?? 1;
  const given = num('tensor-parallel') ? 'tensor-parallel' : num('pipeline-parallel') ? 'pipeline-parallel' : undefined;
  if (given && gpus && tp * pp > gpus.value) {
    const from = originWords(scenario, gpus);
    throw new UsageError(`--${given}: expected tensor x pipeline parallel at most the GPU count (${formatQuantity(gpus.value)}${from ? `, ${from}` : ''}), got ${tp} x ${pp} = ${formatQuantity(tp * pp)}`);
  }
  const hourPrice = num('gpu-hour-price') ?? optionalPreset(gpu, gpu.cloudUsdPerHour);
  if (hourPrice) scenario.usdPerGpuHour = hourPrice;
  scenario.gridKgCo2PerKwh = num('grid-intensity') ?? fromDefault('gridKgCo2PerKwh');
  scenario.pue = num('pue') ?? fromDefault('pue');
  scenario.depreciationOomPerYear = fromDefault('depreciationOomPerYear');
  scenario.serverCostOverhead = fromDefault('serverCostOverhead');
  scenario.interconnectCostFraction = fromDefault('interconnectCostFraction');
  scenario.hardwareAgeYears = num('hardware-age') ?? fromDefault('hardwareAgeYears');
  scenario.amortizedPowerPerTdp = fromDefault('amortizedPowerPerTdp');
  const price =
    num('gpu-price') ?? optionalPreset(cluster, cluster?.gpuPriceUsd) ?? optionalPreset(gpu, gpu.priceUsd);
  if (price) scenario.gpuPriceUsd = price;

  const fromHf = (value: number | undefined): Input<number> | undefined =>
    value === undefined || !hf ? undefined : { value, origin: 'flag', source: `derived from --hf-config ${hf.path}` };
  const paramsFlag = num('params');
  const params = paramsFlag ?? fromHf(hf?.params) ?? optionalPreset(model, model?.params);
  // --params wins over --hf-config (FLOPs use the flag); an active count not typed by the user
  // belongs to the file's or preset's total, so it is dropped when it cannot fit under --params.
  const fileActive = hf ? (paramsFlag || !hf.mixtureOfExperts ? undefined : fromHf(hf.activeParams)) : optionalPreset(model, model?.activeParams);
  const activeParams = num('active-params') ?? (paramsFlag && fileActive && fileActive.value > paramsFlag.value ? undefined : fileActive);
  const tokens = num('tokens') ?? optionalPreset(model, model?.tokens);
  const flops = num('flops');
  if (params) scenario.params = params;
  if (activeParams) {
    if (params && activeParams.value > params.value) {
      // Only --active-params can exceed the total: a preset's active count fits its own total (the
      // schema's relation), a config's is counted within its own, and either is dropped above when
      // it cannot fit under --params.
      const from = params.source?.startsWith('derived from') ? params.source.slice('derived from '.length) : params.origin === 'flag' ? 'flag' : `preset ${model?.name ?? ''}`;
      throw new UsageError(`--active-params: expected at most the total parameters (${formatQuantity(params.value)}, ${from}), got ${formatQuantity(activeParams.value)}`);
    }
    scenario.activeParams = activeParams;
  }
  if (tokens) scenario.tokens = tokens;
  const moe = (activeParams !== undefined && params !== undefined && activeParams.value < params.value) || architecture?.value.moe !== undefined || (model !== undefined && isMixtureOfExperts(model));
  Object.assign(scenario, resolveRunLevel({ mfuFlag: num('mfu'), utilizationFlag: num('run-utilization'), cluster, gpu, precision: precision.value, moe, presets }));
  const method = typeof flags['flops-method'] === 'string' ? fromFlag(flags['flops-method'] as FlopsMethod) : fromDefault('flopsMethod');
  if (method.value === 'palm' && !architecture) {
    throw new UsageError('--flops-method: palm needs the architecture (a --model that has one, --hf-config, or --layers, --d-model, --heads and --seq-len)');
  }
  scenario.flopsMethod = method;

  if (command === 'estimate') {
    if (flops) scenario.trainingFlops = flops;
    else if (params && tokens) {
      const compute = computeOf(scenario);
      if (compute) {
        scenario.trainingFlops = {
          value: compute.trainingFlops,
          origin: 'derived',
          source: compute.flopsMethod === 'palm' ? '(6 x (active) params + 12 L H Q T) x tokens (PaLM appendix B; N counted as PaLM does, embeddings included)' : '6 x (active) params x tokens',
        };
      }
    } else {
      throw new UsageError('estimate: expected --model, --flops, or both --params and --tokens');
    }
    if (!scenario.gpus) throw new UsageError('--gpus: expected a GPU count (or a --cluster)');
    return withPredictedRange(withThroughput(scenario, flags, { gpu, cluster, model }, computeOf(scenario)), presets);
  }

  const days = num('days');
  // Solving for days, the wall-clock is the unknown: there is no time budget to give or record.
  if (text('for') === 'days') {
    if (days) throw new UsageError('--days: cannot be given when solving for days (the wall-clock is the unknown)');
  } else if (!days) throw new UsageError('--days: expected the time budget in days (e.g. --days 100)');
  else scenario.budgetDays = days;
  if (flops) scenario.trainingFlops = flops;
  const solveFor: Input<SolveFor> = text('for')
    ? fromFlag(text('for') as SolveFor)
    : {
        value: defaultSolveFor({
          params: params !== undefined,
          tokens: tokens !== undefined,
          flops: flops !== undefined,
          gpus: clusterFlag !== undefined || num('gpus') !== undefined,
        }),
        origin: 'derived',
        source: 'when the compute is fixed: gpus if neither --cluster nor --gpus is given, else mfu; tokens when only params is given, else params',
      };
  scenario.solveFor = solveFor;
  scenario.tokensPerParam = num('tokens-per-param') ?? fromDefault('tokensPerParam');
  // The unknown is not an input: drop what a preset or default would have filled in.
  if (solveFor.value === 'gpus') {
    if (num('gpus')) throw new UsageError('--gpus: cannot be given when solving for gpus');
    delete scenario.gpus;
  } else if (!scenario.gpus) throw new UsageError('--gpus: expected a GPU count (or a --cluster)');
  if (solveFor.value === 'mfu') {
    if (num('mfu')) throw new UsageError('--mfu: cannot be given when solving for mfu');
    delete scenario.mfu;
  }
  if (solveFor.value === 'params') {
    if (num('params')) throw new UsageError('--params: cannot be given when solving for params');
    delete scenario.params;
  }
  if (solveFor.value === 'tokens') {
    if (num('tokens')) throw new UsageError('--tokens: cannot be given when solving for tokens');
    delete scenario.tokens;
  }
  if (!flops && scenario.params && scenario.tokens) {
    // The compute is fixed: count it as estimate does (active parameters, chosen method).
    const compute = computeOf(scenario);
    if (compute) scenario.trainingFlops = { value: compute.trainingFlops, origin: 'derived', source: `${compute.flopsMethod} count of params and tokens` };
  }
  return withPredictedRange(withThroughput(scenario, flags, { gpu, cluster, model }, computeOf(scenario)), presets);
}

type NumFlag = (flag: string) => Input<number> | undefined;
type FromDefault = <K extends keyof Defaults>(key: K) => Input<Defaults[K]['value']>;

/** Resolves the failure-model and memory inputs (flags > model/GPU preset > defaults). */
function resolveFailuresAndMemory(
  flags: FlagValues,
  gpu: Located<GpuPreset>,
  architecture: Input<Architecture> | undefined,
  num: NumFlag,
  fromDefault: FromDefault,
): Partial<Scenario> {
  const out: Partial<Scenario> = {};
  const optimizerFlag = typeof flags['optimizer'] === 'string' ? (flags['optimizer'] as Optimizer) : undefined;
  const optimizer: Input<Optimizer> = optimizerFlag ? fromFlag(optimizerFlag) : fromDefault('optimizer');
  const bytesFlag = num('state-bytes-per-param');
  if (bytesFlag && optimizerFlag) throw new UsageError('--state-bytes-per-param: give it or --optimizer, not both');
  if (!bytesFlag) out.optimizer = optimizer;
  out.stateBytesPerParam = bytesFlag ?? { value: OPTIMIZERS[optimizer.value], origin: 'derived', source: optimizer.source ?? `bytes per parameter of ${optimizer.value}` };
  out.gpuMemoryBytes = fromPreset(gpu.memoryGb, gpu.name, 1e9);

  out.microBatch = num('micro-batch') ?? fromDefault('microBatch');
  const seqLen = num('seq-len') ?? (architecture ? { ...architecture, value: architecture.value.seqLen } : undefined);
  if (seqLen) out.seqLen = seqLen;
  out.tensorParallel = num('tensor-parallel') ?? fromDefault('tensorParallel');
  out.pipelineParallel = num('pipeline-parallel') ?? fromDefault('pipelineParallel');

  const failureFlags = ['gpu-mtbf-hours', 'interruptions-per-day', 'restart-minutes', 'checkpoint-seconds', 'storage-gbps', 'checkpoint-interval-minutes'];
  if (flags['no-failures'] === true) {
    const clash = failureFlags.find((f) => flags[f] !== undefined);
    if (clash) throw new UsageError(`--${clash}: cannot be combined with --no-failures`);
    out.failures = fromFlag(false);
    return out;
  }
  out.failures = { value: true, origin: 'default' };
  if (num('gpu-mtbf-hours') && num('interruptions-per-day')) {
    throw new UsageError('--interruptions-per-day: give it or --gpu-mtbf-hours, not both');
  }
  const perDay = num('interruptions-per-day');
  if (perDay) out.interruptionsPerDay = perDay;
  else out.gpuMtbfHours = num('gpu-mtbf-hours') ?? fromDefault('gpuMtbfHours');
  out.restartSeconds = num('restart-minutes') ?? scaled(fromDefault('restartMinutes'), 60);
  const checkpoint = num('checkpoint-seconds');
  if (checkpoint) out.checkpointSeconds = checkpoint;
  else out.storageBytesPerSecond = num('storage-gbps') ?? scaled(fromDefault('storageGBps'), 1e9);
  const interval = num('checkpoint-interval-minutes');
  if (interval) out.checkpointIntervalSeconds = interval;
  return out;
}

/** Returns a default converted to base units (e.g. minutes → seconds). */
function scaled(input: Input<number>, factor: number): Input<number> {
  return { ...input, value: input.value * factor };
}

function optionalPreset(preset: Located<{ name: string }> | undefined, n: SourcedNumber | undefined): Input<number> | undefined {
  return preset && n ? fromPreset(n, preset.name) : undefined;
}

/**
 * With the MFU predicted by the throughput model (--mfu-from predicted), the range is that of the
 * predicted method: the 80 % interval of its leave-one-out residuals on the published runs.
 */
function withPredictedRange(scenario: Scenario, presets: PresetSet): Scenario {
  if (scenario.mfuFrom?.value !== 'predicted' || scenario.mfu?.origin !== 'derived') return scenario;
  const calibration = predictedCalibration(presets, (flags) => resolveScenario('estimate', flags, presets));
  const r = calibration?.range;
  if (!r) {
    delete scenario.rangeFactors;
    return scenario;
  }
  scenario.rangeFactors = {
    value: [r.low, r.high],
    origin: 'derived',
    source: `${RANGE_COVERAGE * 100} % range of the throughput model's steady-state MFU x the utilization prior x goodput: ${describeRange(r)}`,
  };
  return scenario;
}

/**
 * Returns the default precision on a GPU: the global default (bf16) where the GPU has a dense peak
 * for it, else the 16-bit format it trains in (V100: fp16, mixed precision with loss scaling).
 */
function defaultPrecision(gpu: Located<GpuPreset>, fallback: Input<Precision>): Input<Precision> {
  if (gpu.peakTflops[fallback.value] || !gpu.peakTflops.fp16) return fallback;
  return {
    value: 'fp16',
    origin: 'default',
    source: `${gpu.name} has no ${fallback.value} peak: it trains in fp16 mixed precision (Micikevicius et al. 2018, "Mixed Precision Training"; e.g. GPT-3 on V100), so MFU is against its dense fp16 peak`,
  };
}

/** Returns the mixture-of-experts shape with --experts / --experts-per-token over the base's, or undefined when neither is given. */
function moeOverride(flags: FlagValues, base: Architecture['moe']): Architecture['moe'] {
  const experts = typeof flags['experts'] === 'number' ? (flags['experts'] as number) : undefined;
  const active = typeof flags['experts-per-token'] === 'number' ? (flags['experts-per-token'] as number) : undefined;
  if (experts === undefined && active === undefined) return undefined;
  const moe = { ...base, experts: experts ?? base?.experts, activeExperts: active ?? base?.activeExperts };
  if (moe.experts === undefined || moe.activeExperts === undefined) {
    throw new UsageError(`--${experts === undefined ? 'experts' : 'experts-per-token'}: expected with --${experts === undefined ? 'experts-per-token' : 'experts'} (a mixture of experts needs both, unless the model has them)`);
  }
  return moe as NonNullable<Architecture['moe']>;
}

/** Returns the architecture: flags over --hf-config over the model preset. */
function resolveArchitecture(flags: FlagValues, model: Located<ModelPreset> | undefined, hf: ResolveExtras['hfConfig']): Input<Architecture> | undefined {
  const base = hf?.architecture ?? model?.architecture;
  const over: Partial<Architecture> = {};
  for (const [flag, key] of ARCHITECTURE_FLAGS) {
    if (typeof flags[flag] === 'number' && !key.startsWith('moe.')) (over as Record<string, number>)[key] = flags[flag] as number;
  }
  const moe = moeOverride(flags, base?.moe);
  if (moe) over.moe = moe;
  if (typeof flags['seq-len'] === 'number') over.seqLen = flags['seq-len'] as number;
  if (Object.keys(over).length === 0) {
    if (!base) return undefined;
    if (hf) return { value: base, origin: 'flag', source: `--hf-config ${hf.path} (seqLen ${base.seqLen}: ${hf.seqLenSource})` };
    return { value: base, origin: `preset:${model?.name}`, source: base.source };
  }
  const merged = { source: 'flags', ...base, ...over } as Architecture;
  const missing = (['layers', 'dModel', 'heads', 'seqLen'] as const).filter((k) => merged[k] === undefined);
  if (missing.length > 0) {
    throw new UsageError(`--layers/--d-model/--heads/--seq-len: an architecture needs all four (missing ${missing.join(', ')})`);
  }
  checkArchitectureFlags(merged, flags, hf ? hf.path : model?.name);
  return { value: merged, origin: 'flag', source: base ? `flags over ${base.source}` : 'flags' };
}

/** The architecture flags and the architecture numbers they set (dotted paths). */
const ARCHITECTURE_FLAGS = [
  ['layers', 'layers'], ['d-model', 'dModel'], ['heads', 'heads'], ['vocab-size', 'vocabSize'], ['kv-heads', 'kvHeads'], ['ffn-size', 'ffnDim'],
  ['experts', 'moe.experts'], ['experts-per-token', 'moe.activeExperts'],
] as const;
/** What an architecture number is called in an error about the model it comes from. */
const ARCHITECTURE_WORDS: Readonly<Record<string, string>> = {
  layers: 'layers', dModel: 'hidden size', heads: 'attention heads', kvHeads: 'key/value heads',
  'moe.experts': 'experts', 'moe.activeExperts': 'experts per token', 'moe.denseLayers': 'dense layers',
};

/**
 * Throws a one-line UsageError when flags over an architecture break one of the relations presets
 * and HF configs keep (src/core/quantity.ts): the flag given is blamed, the other side named as the
 * flag, or as the number of the model (preset or config file) it comes from.
 */
function checkArchitectureFlags(arch: Architecture, flags: FlagValues, baseName: string | undefined): void {
  const flagOf = (path: string): string | undefined => ARCHITECTURE_FLAGS.find(([flag, key]) => key === path && typeof flags[flag] === 'number')?.[0];
  const named = (path: string): string => {
    const flag = flagOf(path);
    return flag ? `--${flag}` : `the ${ARCHITECTURE_WORDS[path] ?? path}${baseName ? ` of ${baseName}` : ''}`;
  };
  for (const relation of ARCHITECTURE_RELATIONS) {
    const blamed = flagOf(relation.part) ? 'part' : flagOf(relation.whole) ? 'whole' : undefined;
    if (!blamed) continue;
    const problem = relationProblem(relation, arch, blamed, named(blamed === 'part' ? relation.whole : relation.part));
    if (problem) throw new UsageError(`--${flagOf(blamed === 'part' ? relation.part : relation.whole)}: ${problem}`);
  }
}
