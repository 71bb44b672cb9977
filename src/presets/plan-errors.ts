// The usage errors and reasons of plans that cannot run (issue 10), worded once: a knob the user
// gave is named by its flag, a value the user did not type by its value and where it came from
// (a preset, a default, a rule), so that no message blames a flag nobody gave.
import { batchOccupancy as occupancyOf, structuralReason, type Plan, type ThroughputArchitecture } from '../core/throughput/index.js';
import { UsageError } from '../errors.js';
import type { Input, Scenario } from '../scenario/types.js';
import { namedValue, originWords } from './origin.js';

/** The plan knobs and their flags, in the order of `results.throughput.plan`. */
export const PLAN_FLAGS = {
  tensorParallel: 'tensor-parallel',
  pipelineParallel: 'pipeline-parallel',
  dataParallel: 'data-parallel',
  contextParallel: 'context-parallel',
  expertParallel: 'expert-parallel',
  microBatch: 'micro-batch',
  globalBatch: 'global-batch',
  recompute: 'recompute',
  virtualStages: 'virtual-stages',
  zero: 'zero',
} as const satisfies Record<keyof Plan, string>;

/** Returns a whole number with thousands separators, e.g. 16,384. */
const commas = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** How a derived global batch is named in a message. */
const BATCH_RULE_WORDS = "derived by DeepSeek LLM's batch-size rule";
/** A plan knob in words, for one the user did not give. */
const KNOB_WORDS: Readonly<Record<keyof Plan, string>> = {
  tensorParallel: 'tensor parallel', pipelineParallel: 'pipeline parallel', dataParallel: 'data parallel', contextParallel: 'context parallel',
  expertParallel: 'expert parallel', microBatch: 'micro-batch', globalBatch: 'global batch', recompute: 'recompute', virtualStages: 'virtual stages', zero: 'ZeRO stage',
};

/** How a message names a plan knob: its flag as typed, or its value and where it came from. */
type KnobNamer = (key: keyof Plan, plan: Plan) => string;

/**
 * Returns the namer of a scenario's plan knobs: "--micro-batch 2" for a flag given, "global batch
 * 2048 (from model preset llama-405b)" for a batch the user did not type, "data parallel 128" for a
 * knob filled in.
 */
function knobNamer(s: Scenario, fixed: Partial<Plan>): KnobNamer {
  return (key, plan) => {
    const shown = String(plan[key]);
    if (key === 'globalBatch') return namedValue(s, s.globalBatch, PLAN_FLAGS.globalBatch, 'global batch', shown, BATCH_RULE_WORDS);
    if (fixed[key] !== undefined) return `--${PLAN_FLAGS[key]} ${shown}`;
    return `${KNOB_WORDS[key]} ${key === 'dataParallel' ? commas(plan[key]) : shown}`;
  };
}

/** Returns a one-line usage error for a plan the flags fixed that cannot run, naming the values in play. */
function planError(arch: ThroughputArchitecture, plan: Plan, reason: string, name: KnobNamer): UsageError {
  const f = (key: keyof Plan): string => name(key, plan);
  switch (reason) {
    case 'heads not divisible by tensor parallel':
      return new UsageError(`${f('tensorParallel')}: expected a divisor of the ${arch.heads} attention heads`);
    case 'layers fewer than pipeline chunks':
      return new UsageError(`${f('pipelineParallel')} x ${f('virtualStages')}: expected PP at most the ${arch.layers} layers and PP x VS at most ${arch.layers + 2} (the embedding and the output layer may fill a chunk each, as in Llama 3)`);
    case 'layers not divisible into equal interleaved chunks':
      return new UsageError(
        `${f('pipelineParallel')} x ${f('virtualStages')}: expected ${plan.pipelineParallel * plan.virtualStages} to divide the ${arch.layers} layers (or ${arch.layers} + 2, the embedding and output layer taking a layer's place as in Llama 3), so that every interleaved chunk holds as many whole layers`,
      );
    case 'global batch not divisible by data parallel x micro-batch':
      return new UsageError(`${f('globalBatch')}: expected a multiple of ${f('dataParallel').replace(/^--data-parallel/, 'data parallel')} x ${f('microBatch')}${f('globalBatch').startsWith('--') ? '' : ' (--global-batch to change it)'}`);
    case 'experts not divisible by expert parallel':
      return new UsageError(`${f('expertParallel')}: expected a divisor of the ${arch.moe?.experts ?? 0} experts and of data parallel ${commas(plan.dataParallel)}`);
    case 'sequence not divisible by 2 x context parallel':
      return new UsageError(`${f('contextParallel')}: expected 2 x CP to divide the ${arch.seqLen}-token sequence`);
    default:
      return new UsageError(`${f('virtualStages')}: interleaving needs --pipeline-parallel > 1 and micro-batches per pipeline (${plan.globalBatch / (plan.dataParallel * plan.microBatch)}) divisible by it`);
  }
}

/**
 * Checks that the knobs fixed by flag multiply to the GPU count; throws a one-line usage error naming
 * them and where the count came from (`gpusFrom`, e.g. "from cluster preset h100x16k") when not typed.
 */
export function checkFixedProduct(fixed: Partial<Plan>, gpus: number, gpusFrom?: string): void {
  const keys = (['tensorParallel', 'pipelineParallel', 'contextParallel', 'dataParallel'] as const).filter((k) => fixed[k] !== undefined);
  const product = keys.reduce((p, k) => p * (fixed[k] as number), 1);
  const named = keys.map((k) => `--${PLAN_FLAGS[k]} ${String(fixed[k])}`).join(' x ');
  if (fixed.dataParallel !== undefined ? product !== gpus : gpus % product !== 0) {
    throw new UsageError(`${named} = ${commas(product)}: expected ${fixed.dataParallel !== undefined ? '' : 'a divisor of '}the GPU count ${commas(gpus)}${gpusFrom ? ` (${gpusFrom})` : ''} (TP x PP x CP x DP = GPUs)`);
  }
}

/**
 * Returns the usage error for knobs fixed by flag with which no plan can run: the first rule a given
 * knob breaks (heads, experts, sequence, layers, batch, interleaving), naming its flags. The heads,
 * experts and sequence are checked before the batch that a derived data-parallel degree may not
 * divide; structuralReason then checks the layers before the batch anyway.
 */
export function noPlanError(s: Scenario, arch: ThroughputArchitecture, fixed: Partial<Plan>): UsageError {
  const plan = completePlan(fixed, s.gpus?.value ?? 0, s.globalBatch?.value ?? 0);
  const given = (key: keyof Plan): boolean => fixed[key] !== undefined;
  const checks: Array<[boolean, string]> = [
    [given('tensorParallel') && arch.heads % plan.tensorParallel !== 0, 'heads not divisible by tensor parallel'],
    [given('expertParallel') && plan.expertParallel > 1 && (arch.moe === undefined || arch.moe.experts % plan.expertParallel !== 0), 'experts not divisible by expert parallel'],
    [given('contextParallel') && plan.contextParallel > 1 && arch.seqLen % (2 * plan.contextParallel) !== 0, 'sequence not divisible by 2 x context parallel'],
  ];
  const named = checks.find(([broken]) => broken)?.[1] ?? structuralReason(arch, plan);
  // Unless the flags fix the data-parallel degree, the batch is not to be checked against the one filled in.
  const flags = Object.keys(fixed).map((k) => `--${PLAN_FLAGS[k as keyof Plan]}`).join(', ');
  const occupancy = given('dataParallel') || (given('tensorParallel') && given('pipelineParallel')) ? undefined : batchOccupancy(s, fixed);
  if (occupancy && (named === undefined || named === 'global batch not divisible by data parallel x micro-batch')) return new UsageError(`${flags}: ${occupancy}`);
  if (named) return planError(arch, plan, named, knobNamer(s, fixed));
  // Never empty: a scenario without fixed knobs has a gap, not an error (scenarioThroughput).
  return new UsageError(`${flags}: ${noPlanReason(s, fixed)}`);
}

/**
 * Returns why no plan of the scenario's GPUs splits its global batch, or undefined when one does: at
 * micro-batch 1 (the least) each data-parallel rank takes a whole number of sequences a step, so a
 * plan's DP must divide the batch, and every split of these GPUs leaves a DP that does not (more
 * than the sequences, or not a divisor of them).
 */
export function batchOccupancy(s: Scenario, fixed: Partial<Plan>): string | undefined {
  const arch = s.architecture?.value;
  if (!arch || !s.gpus || !s.globalBatch) return undefined;
  const B = s.globalBatch.value;
  const fit = occupancyOf(arch, s.gpus.value, B, fixed);
  if (fit.splits || fit.smallestDataParallel === undefined) return undefined;
  const { gpus, batch } = gpusAndBatch(s);
  const why = B < fit.smallestDataParallel
    ? `every plan of them has data parallel at least ${commas(fit.smallestDataParallel)}, more than the sequences`
    : 'no plan of them has a data-parallel degree that divides it';
  return `no plan of ${gpus} splits ${batch}: ${why} (TP up to the ${arch.heads} heads, PP up to the ${arch.layers} layers; at micro-batch 1 each data-parallel rank takes a whole number of sequences a step); give another --global-batch or --gpus`;
}

/**
 * Returns a warning when the scenario's global batch cannot keep its GPUs busy, or undefined: with
 * at most s GPUs on a sequence (TP inside the scale-up domain x CP), a plan at micro-batch 1 computes
 * at most batch x s / GPUs of the time (batchOccupancy in the core: fewer micro-batches than
 * pipeline stages), below 1 when the batch is under GPUs / s sequences.
 */
export function idleBatch(s: Scenario, fixed: Partial<Plan>): string | undefined {
  const arch = s.architecture?.value;
  const domain = s.scaleUpDomainGpus?.value;
  if (!arch || !s.gpus || !s.globalBatch || domain === undefined) return undefined;
  const G = s.gpus.value;
  const B = s.globalBatch.value;
  const fit = occupancyOf(arch, G, B, fixed, domain);
  if (fit.busyFractionBound >= 1) return undefined;
  const { gpus, batch } = gpusAndBatch(s);
  const r = fit.sequenceRanks;
  const needed = Math.ceil(G / r);
  const busy = Math.floor(fit.busyFractionBound * 100);
  return `${batch} cannot occupy ${gpus}: with at most ${r} GPUs on a sequence (TP inside the ${domain}-GPU scale-up domain x CP), data parallel x pipeline parallel is at least ${commas(needed)}, more than the sequences, so at micro-batch 1 a pipeline gets fewer micro-batches than stages and ${busy < 1 ? 'less than 1' : `at most ${busy}`} % of the GPU-time computes (1F1B: m / (m + PP - 1) <= batch x ${r} / GPUs); a --global-batch of ${commas(needed)} or more, or --gpus ${B * r} or fewer, would keep them busy`;
}

/** Returns the GPU count and the global batch as a message names them, with where each came from. */
export function gpusAndBatch(s: Scenario): { gpus: string; batch: string } {
  const where = (input: Input<number> | undefined, flag: string, derived?: string): string => (input && originWords(s, input, derived)) ?? `--${flag}`;
  return {
    gpus: `${commas(s.gpus?.value ?? 0)} GPUs (${where(s.gpus, 'gpus')})`,
    batch: `a global batch of ${commas(s.globalBatch?.value ?? 0)} sequences (${where(s.globalBatch, 'global-batch', BATCH_RULE_WORDS)})`,
  };
}

/**
 * Returns why no plan of the scenario's GPUs splits its global batch, naming both and where they came
 * from: the batch below the smallest data-parallel degree a plan of these GPUs can have (each rank
 * needs a sequence a step), or no divisor of the GPUs dividing the batch.
 */
export function noPlanReason(s: Scenario, fixed: Partial<Plan>): string {
  const { gpus, batch } = gpusAndBatch(s);
  const occupancy = batchOccupancy(s, fixed);
  if (occupancy) return occupancy;
  return `no plan of ${gpus} splits ${batch} (TP x PP x CP x DP must be the GPUs, and DP x micro-batch divide the batch); give --global-batch or --gpus`;
}

/** Returns a whole plan from the fixed knobs, filling the rest with the simplest values. */
function completePlan(fixed: Partial<Plan>, gpus: number, globalBatch: number): Plan {
  const t = fixed.tensorParallel ?? 1;
  const p = fixed.pipelineParallel ?? 1;
  const c = fixed.contextParallel ?? 1;
  return {
    tensorParallel: t,
    pipelineParallel: p,
    contextParallel: c,
    dataParallel: fixed.dataParallel ?? gpus / (t * p * c),
    expertParallel: fixed.expertParallel ?? 1,
    microBatch: fixed.microBatch ?? 1,
    globalBatch: fixed.globalBatch ?? globalBatch,
    recompute: fixed.recompute ?? 'selective',
    virtualStages: fixed.virtualStages ?? 1,
    zero: fixed.zero ?? 1,
  };
}
