// Resolves what the throughput model needs (issue 10): the GPU's memory and links, the cluster's
// network, the global batch and the plan knobs given by flag; then evaluates the given plan or
// searches for the best one, and which MFU drives the estimate. Pure given the presets; the core does
// the arithmetic. Over 400 lines: the plan errors and the --mfu-from rule read the same scenario and
// search, and splitting them would export the search's internals only for each other.
import type { ComputeResult } from '../core/compute.js';
import { OPTIMIZERS, type PlanMemoryView } from '../core/memory.js';
import { formatBytes } from '../format/human.js';
import {
  deviceOf,
  MEMORY_REASON,
  planGpus,
  searchPlans,
  stateBytesOf,
  throughputModel,
  type Evaluation,
  type Plan,
  type Recompute,
  type SearchModel,
  type SearchResult,
  type SearchSpace,
  type ThroughputArchitecture,
  type ZeroStage,
} from '../core/throughput/index.js';
import { MIN_CONTEXT_TOKENS } from '../core/throughput/constants.js';
import { UsageError } from '../errors.js';
import { originWords } from './origin.js';
import { checkFixedProduct, noPlanError, noPlanReason } from './plan-errors.js';
import type { Located } from './parse.js';
import type { ClusterPreset, GpuPreset, ModelPreset, SourcedNumber } from './schema.js';
import type { FlagValues, Input, Scenario } from '../scenario/types.js';

export { batchOccupancy, checkFixedProduct, gpusAndBatch, idleBatch, PLAN_FLAGS } from './plan-errors.js';

/** DeepSeek LLM's compute-optimal batch size, B = 0.292 · C^0.3271 tokens (C in FLOPs). */
const BATCH_RULE = {
  coefficient: 0.292,
  exponent: 0.3271,
  source: 'DeepSeek-AI 2024, "DeepSeek LLM: Scaling Open-Source Language Models with Longtermism" (arXiv:2401.02954), §3.1 eq. 1: B_opt = 0.2920 · C^0.3271 tokens; rounded to a power of two of sequences',
};

const fromFlag = <T>(value: T): Input<T> => ({ value, origin: 'flag' });
const fromPreset = (n: SourcedNumber, preset: string, scale = 1): Input<number> => ({ value: n.value * scale, origin: `preset:${preset}`, source: n.source });

/**
 * Returns the throughput inputs of a scenario from flags and presets: HBM and scale-up link (GPU
 * preset), scale-out network (cluster, else the GPU's reference system), global batch (flag > the
 * model's published plan > DeepSeek's rule), the plan knobs given by flag, and --mfu-from.
 */
export function resolveThroughputInputs(
  flags: FlagValues,
  gpu: Located<GpuPreset>,
  cluster: Located<ClusterPreset> | undefined,
  model: Located<ModelPreset> | undefined,
  trainingFlops: number | undefined,
  seqLen: number | undefined,
): Partial<Scenario> {
  const out: Partial<Scenario> = {};
  if (gpu.memoryBandwidthTBs) out.hbmBytesPerSecond = fromPreset(gpu.memoryBandwidthTBs, gpu.name, 1e12);
  if (gpu.scaleUpGBpsPerDirection) out.scaleUpBytesPerSecond = fromPreset(gpu.scaleUpGBpsPerDirection, gpu.name, 1e9);
  if (gpu.scaleUpDomainGpus) out.scaleUpDomainGpus = fromPreset(gpu.scaleUpDomainGpus, gpu.name);
  const network = cluster?.scaleOutGbpsPerGpu ? fromPreset(cluster.scaleOutGbpsPerGpu, cluster.name, 1e9 / 8) : undefined;
  const reference = gpu.scaleOutGbpsPerGpu
    ? { ...fromPreset(gpu.scaleOutGbpsPerGpu, gpu.name, 1e9 / 8), origin: 'default' as const, source: `${gpu.referenceSystem ?? 'reference system'}: ${gpu.scaleOutGbpsPerGpu.source}` }
    : undefined;
  const scaleOut = network ?? reference;
  if (scaleOut) out.scaleOutBytesPerSecond = scaleOut;
  const num = (flag: string): number | undefined => (typeof flags[flag] === 'number' ? (flags[flag] as number) : undefined);
  for (const [key, flag] of [['dataParallel', 'data-parallel'], ['contextParallel', 'context-parallel'], ['expertParallel', 'expert-parallel'], ['virtualStages', 'virtual-stages']] as const) {
    const v = num(flag);
    if (v !== undefined) out[key] = fromFlag(v);
  }
  if (typeof flags['recompute'] === 'string') out.recompute = fromFlag(flags['recompute'] as Recompute);
  if (typeof flags['zero'] === 'string') out.zero = fromFlag(Number(flags['zero']) as ZeroStage);
  // Without the flag, withThroughput decides per scenario (predicted where the model can, else published).
  out.mfuFrom = typeof flags['mfu-from'] === 'string'
    ? fromFlag(flags['mfu-from'] as 'predicted' | 'published')
    : { value: 'published', origin: 'default', source: 'the published-run MFU until the throughput model is tried' };
  const batch = num('global-batch');
  const published = model?.run?.plan?.globalBatch;
  if (batch !== undefined) out.globalBatch = fromFlag(batch);
  else if (published !== undefined && (model?.run?.plan?.seqLen === undefined || model.run.plan.seqLen === seqLen)) {
    out.globalBatch = { value: published, origin: `preset:${model?.name}`, source: model?.run?.plan?.source };
  } else if (trainingFlops !== undefined && seqLen !== undefined) {
    const tokens = BATCH_RULE.coefficient * trainingFlops ** BATCH_RULE.exponent;
    out.globalBatch = { value: 2 ** Math.max(0, Math.round(Math.log2(tokens / seqLen))), origin: 'derived', source: BATCH_RULE.source };
  }
  return out;
}

/** What the throughput of a scenario came to: the evaluated plan and, when searched, the search. */
export interface ThroughputOutcome {
  evaluation: Evaluation;
  /** HBM capacity of one GPU, bytes (the buffer allowance is kept free of it). */
  memoryBytes: number;
  planOrigin: 'flags' | 'searched';
  search?: SearchResult;
  /** The plan's memory for results.memory to follow (its activations under each recompute mode). */
  memory: PlanMemoryView;
  notes: string[];
  warnings: string[];
}

/** The knobs of a plan the flags fixed (the rest is searched). */
export function fixedKnobs(s: Scenario): Partial<Plan> {
  const fixed: Partial<Plan> = {};
  const given = <T>(input: Input<T> | undefined): T | undefined => (input?.origin === 'flag' ? input.value : undefined);
  const set = <K extends keyof Plan>(key: K, value: Plan[K] | undefined): void => {
    if (value !== undefined) fixed[key] = value;
  };
  set('tensorParallel', given(s.tensorParallel));
  set('pipelineParallel', given(s.pipelineParallel));
  set('microBatch', given(s.microBatch));
  set('dataParallel', s.dataParallel?.value);
  set('contextParallel', s.contextParallel?.value);
  set('expertParallel', s.expertParallel?.value);
  set('virtualStages', s.virtualStages?.value);
  set('recompute', s.recompute?.value);
  set('zero', s.zero?.value);
  if (s.globalBatch?.origin === 'flag') fixed.globalBatch = s.globalBatch.value;
  return fixed;
}

/** Returns why a scenario has no throughput (missing architecture, hardware facts, batch), or undefined. */
export function throughputGap(s: Scenario): string | undefined {
  if (!s.architecture) {
    return 'throughput not predicted: it needs the architecture (a --model that has one, --hf-config, or --layers, --d-model, --heads and --seq-len); a shape guessed from --params alone would claim a precision it does not have';
  }
  if (!s.gpus) return 'throughput not predicted: the GPU count is the unknown';
  if (!s.params) return 'throughput not predicted: MFU needs the parameter count (--params, or a model preset)';
  const missing = [
    ['hbmBytesPerSecond', 'memoryBandwidthTBs'],
    ['scaleUpBytesPerSecond', 'scaleUpGBpsPerDirection'],
    ['scaleUpDomainGpus', 'scaleUpDomainGpus'],
    ['scaleOutBytesPerSecond', 'scaleOutGbpsPerGpu (cluster or GPU reference system)'],
  ].filter(([key]) => s[key as keyof Scenario] === undefined).map(([, field]) => field);
  if (missing.length > 0) return `throughput not predicted: the ${s.gpu.value} preset has no ${missing.join(', ')}`;
  if (!s.globalBatch) return 'throughput not predicted: no global batch (give --global-batch)';
  return undefined;
}

/** Returns the throughput model of a scenario whose inputs are complete (throughputGap is undefined). */
export function scenarioModel(s: Scenario, compute: ComputeResult | undefined): { model: ReturnType<typeof throughputModel>; arch: ThroughputArchitecture; memoryBytes: number; domain: number } {
  const arch = s.architecture?.value as ThroughputArchitecture;
  const n = (input: Input<number> | undefined): number => input?.value ?? 0;
  const device = deviceOf({
    gpuName: s.gpu.value,
    peakFlopsPerSecond: s.gpuPeakFlopsPerSecond.value,
    memoryBytes: s.gpuMemoryBytes.value,
    memoryBandwidthTBs: n(s.hbmBytesPerSecond) / 1e12,
    scaleUpGBpsPerDirection: n(s.scaleUpBytesPerSecond) / 1e9,
    scaleUpDomainGpus: n(s.scaleUpDomainGpus),
    scaleOutGbpsPerGpu: (n(s.scaleOutBytesPerSecond) * 8) / 1e9,
  });
  const tokens = s.tokens?.value;
  const perToken = compute && tokens ? compute.trainingFlops / tokens : 6 * (s.activeParams?.value ?? n(s.params));
  const fp32 = s.optimizer?.value === 'adam-fp32';
  const bytes = s.stateBytesPerParam.value ?? OPTIMIZERS['adam-mixed'];
  return {
    model: throughputModel({ arch, device, modelFlopsPerToken: perToken, stateBytes: stateBytesOf(bytes, fp32) }),
    arch,
    memoryBytes: device.memoryBytes,
    domain: device.scaleUpDomainGpus,
  };
}

/**
 * The search `estimate` runs when no plan is given: the knobs a planner tries first (every pipeline
 * depth at one tensor-parallel degree, micro-batch 1, the deepest interleaving, selective
 * recomputation and ZeRO-1, then what fits: no interleaving, full recomputation, ZeRO 2 and 3),
 * about ten plans, so that start-up stays fast; `llmcost plan` searches them all. quickSearch walks
 * the tensor-parallel degrees down from the scale-up domain.
 */
export function quickSpace(arch: ThroughputArchitecture, t: number, gpus: number, globalBatch: number, fixed: Partial<Plan>): SearchSpace {
  return {
    gpus,
    globalBatch,
    fixed: { microBatch: 1, expertParallel: 1, ...fixed },
    maxTensorParallel: fixed.tensorParallel ?? t,
    minTensorParallel: fixed.tensorParallel ?? t,
    // A micro-batch or an interleaving given by flag is tried even beyond what the quick search picks.
    maxVirtualStages: fixed.virtualStages ?? 8,
    quick: true,
    maxMicroBatch: fixed.microBatch ?? 1,
    maxContextParallel: fixed.contextParallel ?? Math.max(1, Math.floor(arch.seqLen / MIN_CONTEXT_TOKENS.value)),
    recompute: ['selective', 'full'],
    // ZeRO-1 (Megatron-LM's distributed optimizer) first; 2 and 3 only where the lower stages do not fit.
    zero: [1, 2, 3],
  };
}

/**
 * Returns the quick search's result: quickSpace at the largest tensor-parallel degree that divides
 * the heads and fills at most the scale-up domain, then at half of it and so on while the best plan
 * gets faster (small models want less tensor parallelism; most large ones stop after two degrees).
 */
function quickSearch(arch: ThroughputArchitecture, model: SearchModel, gpus: number, globalBatch: number, fixed: Partial<Plan>): SearchResult {
  const degrees = fixed.tensorParallel !== undefined
    ? [fixed.tensorParallel]
    : [72, 64, 32, 16, 8, 4, 2, 1].filter((t) => t <= model.scaleUpDomainGpus && arch.heads % t === 0 && gpus % t === 0);
  const total: SearchResult = { searched: 0, feasible: 0, rejected: {}, plans: [] };
  for (const t of degrees) {
    // Below the first degree, only the best depth so far and twice it (half the TP, twice the weights per GPU).
    const bestDepth = total.plans[0]?.plan.pipelineParallel;
    const space = quickSpace(arch, t, gpus, globalBatch, fixed);
    if (bestDepth !== undefined && fixed.pipelineParallel === undefined) space.pipelineChoices = [bestDepth, 2 * bestDepth];
    const r = searchPlans(arch, model, space, 1);
    total.searched += r.searched;
    total.feasible += r.feasible;
    for (const [reason, n] of Object.entries(r.rejected)) total.rejected[reason] = (total.rejected[reason] ?? 0) + n;
    if (r.closestMiss && (!total.closestMiss || r.closestMiss.shortfallBytes < total.closestMiss.shortfallBytes)) total.closestMiss = r.closestMiss;
    const best = r.plans[0];
    const previous = total.plans[0];
    if (best && (!previous || best.tokensPerSecondPerGpu > previous.tokensPerSecondPerGpu)) total.plans = [best];
    else if (previous) break;
  }
  return total;
}

/**
 * Returns the scenario's throughput: the best plan consistent with the knobs given by flag (the
 * quick space for estimate and solve, every plan for `plan`), or undefined with the reason when the
 * scenario lacks what the model needs. A fully fixed plan that cannot run is a usage error naming
 * its flags; one that does not fit is evaluated and flagged (fits: false).
 */
export function scenarioThroughput(s: Scenario, compute: ComputeResult | undefined, scope: 'quick' | 'full' = 'quick', top = 1): ThroughputOutcome | { gap: string } {
  const gap = throughputGap(s);
  if (gap) return { gap };
  const gpus = s.gpus?.value ?? 0;
  const globalBatch = s.globalBatch?.value ?? 0;
  const fixed = fixedKnobs(s);
  checkFixedProduct(fixed, gpus, s.gpus ? originWords(s, s.gpus) : undefined);
  const { model, arch, memoryBytes, domain } = scenarioModel(s, compute);
  const planOrigin = Object.keys(fixed).filter((k) => k !== 'globalBatch').length > 0 ? 'flags' : 'searched';
  const searchModel = { memory: model.memory, evaluate: model.evaluate, memoryBytes, scaleUpDomainGpus: domain };
  const search =
    scope === 'quick' ? quickSearch(arch, searchModel, gpus, globalBatch, fixed) : searchPlans(arch, searchModel, { gpus, globalBatch, fixed }, Math.max(1, top));
  const notes: string[] = [];
  const warnings: string[] = [];
  let evaluation = search.plans[0];
  if (!evaluation) {
    const miss = search.closestMiss;
    // A batch given alone fixes no knob: no plan of it is a gap (a warning), not a usage error.
    if (!miss && Object.keys(fixed).every((k) => k === 'globalBatch')) {
      return { gap: `throughput not predicted: ${noPlanReason(s, fixed)}` };
    }
    if (!miss) throw noPlanError(s, arch, fixed);
    evaluation = model.evaluate(miss.plan);
    warnings.push(`${MEMORY_REASON}: the plan needs ${formatBytes(evaluation.memoryBytesPerGpu.total)} per GPU, ${formatBytes(miss.shortfallBytes)} more than fits (${formatBytes(memoryBytes)} less the buffer allowance); llmcost plan lists what fits`);
  }
  if (planGpus(evaluation.plan) !== gpus) throw new Error('scenarioThroughput: plan does not use the GPUs');
  return { evaluation, planOrigin, search, memory: planMemoryView(model.memory, evaluation), notes, warnings, memoryBytes };
}

/** Returns the memory view of an evaluated plan: its total and fit, and its activations under each recompute mode (the plan's own is the evaluation's). */
function planMemoryView(memory: (plan: Plan) => { activations: number }, e: Evaluation): PlanMemoryView {
  const at = (recompute: Recompute): number => (recompute === e.plan.recompute ? e.memoryBytesPerGpu.activations : memory({ ...e.plan, recompute }).activations);
  return { bytesPerGpu: e.memoryBytesPerGpu.total, fits: e.fits, activationBytes: { none: at('none'), selective: at('selective'), full: at('full') } };
}

/** Why the default drives an estimate by the throughput model where it can (README, Which MFU drives the estimate). */
const DEFAULT_RULE =
  "issue 11 backtest: over the presets' runs, the throughput model's MFU where it can predict (an architecture, a GPU count, link data, a 16-bit run, a plan that fits), else the published-run MFU, is off by less leave-one-out than the published-run MFU alone (llmcost backtest; README, Which MFU drives the estimate)";

/**
 * Returns why the default (--mfu-from not given) keeps the published-run MFU for a scenario, or
 * undefined when the throughput model may drive it: only an MFU from the published runs is
 * replaced (not --mfu, a cluster's measured MFU or the fallback constant), only for 16-bit runs
 * (the throughput model is validated on no FP8 run), and never when solving for the MFU.
 */
function defaultKeepsPublished(s: Scenario): string | undefined {
  if (s.mfu?.origin !== 'derived') return 'the MFU is given or measured (--mfu or the cluster)';
  if (s.solveFor?.value === 'mfu') return 'the MFU is the unknown';
  if (s.precision.value !== 'bf16' && s.precision.value !== 'fp16') return `the throughput model is not validated for ${s.precision.value}`;
  return throughputGap(s);
}

/**
 * Adds the throughput inputs to a resolved scenario and, with --mfu-from predicted (and no --mfu),
 * replaces the published-run MFU by the predicted one of the plan (given or searched), so that
 * wall-clock and cost follow from it; throws a usage error when the prediction is impossible. By
 * default (no --mfu-from) the same where the throughput model can predict a plan that fits
 * (defaultKeepsPublished), else the published-run MFU; `mfuFrom` says which drove the estimate.
 */
export function withThroughput(
  scenario: Scenario,
  flags: FlagValues,
  presets: { gpu: Located<GpuPreset>; cluster: Located<ClusterPreset> | undefined; model: Located<ModelPreset> | undefined },
  compute: ComputeResult | undefined,
): Scenario {
  Object.assign(
    scenario,
    resolveThroughputInputs(flags, presets.gpu, presets.cluster, presets.model, scenario.trainingFlops?.value, scenario.architecture?.value.seqLen),
  );
  if (scenario.mfuFrom?.origin !== 'flag') {
    const keep = defaultKeepsPublished(scenario);
    const outcome = keep === undefined ? scenarioThroughput(scenario, compute) : undefined;
    if (!outcome || 'gap' in outcome || outcome.warnings.length > 0) {
      const why = keep ?? (outcome && 'gap' in outcome ? outcome.gap : 'no plan of the quick search fits in memory');
      scenario.mfuFrom = { value: 'published', origin: 'default', source: `${DEFAULT_RULE}; published here: ${why.replace(/^throughput not predicted: /, '')}` };
      return scenario;
    }
    scenario.mfuFrom = { value: 'predicted', origin: 'default', source: DEFAULT_RULE };
    return predictedMfu(scenario, outcome, 'the default where it can predict');
  }
  if (scenario.mfuFrom.value !== 'predicted' || scenario.mfu?.origin === 'flag') return scenario;
  if (scenario.solveFor?.value === 'mfu') throw new UsageError('--mfu-from: predicted cannot be used when solving for mfu (the MFU is the unknown)');
  const outcome = scenarioThroughput(scenario, compute);
  if ('gap' in outcome) throw new UsageError(`--mfu-from: ${outcome.gap}`);
  return predictedMfu(scenario, outcome, '--mfu-from predicted');
}

/**
 * The search whose plan set a scenario's MFU, handed to that scenario's throughput section
 * (takeThroughput) so that estimate does not search the same plans twice.
 */
const searchedFor = new WeakMap<Scenario, ThroughputOutcome>();

/**
 * Returns the scenario's throughput as scenarioThroughput does (quick scope): the outcome its MFU was
 * predicted from when resolve searched already (once: a later call searches again), else a new search.
 */
export function takeThroughput(s: Scenario, compute: ComputeResult | undefined): ThroughputOutcome | { gap: string } {
  const kept = searchedFor.get(s);
  if (!kept) return scenarioThroughput(s, compute);
  searchedFor.delete(s);
  return kept;
}

/** Sets the scenario's plan and MFU to the throughput model's prediction (`why`: what chose it). */
function predictedMfu(scenario: Scenario, outcome: ThroughputOutcome, why: string): Scenario {
  searchedFor.set(scenario, outcome);
  const { evaluation } = outcome;
  scenario.plan = planInput(evaluation.plan, outcome.planOrigin);
  scenario.mfu = { value: evaluation.mfu, origin: 'derived', source: `predicted by the throughput model for ${describePlan(evaluation.plan)} (${why})` };
  return scenario;
}

/** Returns the scenario input of an evaluated plan. */
export function planInput(plan: Plan, origin: 'flags' | 'searched'): Input<Plan> {
  return origin === 'flags'
    ? { value: plan, origin: 'flag', source: 'plan flags; the knobs not given were searched' }
    : { value: plan, origin: 'derived', source: 'the fastest plan that fits of the few estimate tries (llmcost plan searches them all)' };
}

/** Returns a plan in one line, e.g. "TP 8, PP 16 (x6 interleaved), DP 128, micro-batch 1, selective recompute, ZeRO-1". */
export function describePlan(p: Plan): string {
  const parts = [`TP ${p.tensorParallel}`, `PP ${p.pipelineParallel}${p.virtualStages > 1 ? ` (x${p.virtualStages} interleaved)` : ''}`, `DP ${p.dataParallel}`];
  if (p.contextParallel > 1) parts.push(`CP ${p.contextParallel}`);
  if (p.expertParallel > 1) parts.push(`EP ${p.expertParallel}`);
  parts.push(`micro-batch ${p.microBatch}`, `${p.recompute} recompute`, `ZeRO-${p.zero}`);
  return parts.join(', ');
}
