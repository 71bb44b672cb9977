// The Throughput section of estimate and solve (issue 10): results.throughput, its notes and warnings.
import type { ComputeResult } from '../core/compute.js';
import type { PlanMemoryView } from '../core/memory.js';
import { architectureParams, type Evaluation } from '../core/throughput/index.js';
import { formatQuantity } from '../core/units.js';
import { formatHuman } from '../format/human.js';
import { namedValue } from '../presets/origin.js';
import { describePlan, fixedKnobs, idleBatch, planInput, takeThroughput } from '../presets/resolve-throughput.js';
import type { Scenario } from '../scenario/types.js';

/** `results.throughput` (issue 10): the plan, where it came from, and what the model predicts for it. */
export type ThroughputResult = Omit<Evaluation, 'plan'> & { plan: Evaluation['plan']; planOrigin: 'flags' | 'searched' };

/** Returns the contract's object of an evaluation, keys in the issue's order. */
export function throughputResult(e: Evaluation, planOrigin: 'flags' | 'searched'): ThroughputResult {
  return {
    plan: { ...e.plan },
    planOrigin,
    stepSeconds: e.stepSeconds,
    tokensPerSecondPerGpu: e.tokensPerSecondPerGpu,
    mfu: e.mfu,
    hfu: e.hfu,
    bubbleFraction: e.bubbleFraction,
    breakdownSeconds: { ...e.breakdownSeconds },
    memoryBytesPerGpu: { ...e.memoryBytesPerGpu },
    fits: e.fits,
  };
}

/**
 * Returns the throughput section of a report for a resolved scenario: the plan given by flags (the
 * rest searched) or the best of estimate's quick search; records the plan among the inputs. Nothing
 * but a note when the scenario lacks what the model needs (the architecture, above all).
 */
export function throughputSection(s: Scenario, compute: ComputeResult | undefined): { throughput?: ThroughputResult; memory?: PlanMemoryView; notes: string[]; warnings: string[] } {
  const outcome = takeThroughput(s, compute);
  const idle = idleBatch(s, fixedKnobs(s));
  const warnings = [...architectureWarnings(s), ...(idle ? [`${idle}; wall-clock and cost assume every GPU busy at the MFU`] : [])];
  if ('gap' in outcome) return { notes: [outcome.gap], warnings };
  const { evaluation: e, planOrigin } = outcome;
  s.plan = planInput(e.plan, planOrigin);
  const notes = [...outcome.notes];
  const searched = outcome.search ? ` (best of ${outcome.search.searched} plans tried; llmcost plan searches every plan)` : '';
  const drives = s.mfuFrom?.value === 'predicted' && s.mfu?.origin !== 'flag'
    ? `it drives wall-clock and cost (${s.mfuFrom.origin === 'flag' ? '--mfu-from predicted' : 'the default where the model predicts; --mfu-from published for the published-run MFU'})`
    : `the ${s.mfu?.origin === 'flag' ? 'given' : 'published-run'} MFU drives wall-clock and cost (--mfu-from predicted to use this one)`;
  notes.push(
    `throughput: ${describePlan(e.plan)}${planOrigin === 'searched' ? searched : ''}: ${formatQuantity(e.tokensPerSecondPerGpu)} tokens/s per GPU, MFU ${formatHuman(e.mfu, 'percent')} counted as trainingFlops counts; ${drives}`,
  );
  return { throughput: throughputResult(e, planOrigin), memory: outcome.memory, notes, warnings: [...warnings, ...outcome.warnings] };
}

/**
 * How far the architecture's own parameter count may be from the stated one before it is called
 * inconsistent: published counts differ from a shape's by a few percent (a final norm, biases,
 * rounding to "7B"), a wrong shape by far more.
 */
export const PARAMS_TOLERANCE = 0.1;

/**
 * Returns a warning when the architecture's own parameter count (architectureParams) is more than
 * PARAMS_TOLERANCE from the stated one (--params, a preset or an HF config): both counts, where each
 * came from, and which drives what (issue 12: the stated count wins for FLOPs).
 */
export function architectureWarnings(s: Scenario): string[] {
  const arch = s.architecture;
  const params = s.params;
  if (!arch || !params) return [];
  const counted = architectureParams(arch.value);
  if (Math.abs(counted / params.value - 1) <= PARAMS_TOLERANCE) return [];
  const stated = namedValue(s, params, 'params', 'the parameter count', formatQuantity(params.value));
  const shape = `${arch.value.layers} layers, d-model ${arch.value.dModel}${arch.value.vocabSize === undefined ? ', no vocabulary (embeddings not counted)' : ''}`;
  const ratio = counted / params.value;
  const where = arch.origin.startsWith('preset:') ? `of model preset ${arch.origin.slice('preset:'.length)}` : arch.source?.startsWith('--hf-config') ? 'of --hf-config' : arch.source === 'flags' ? 'of the flags' : 'of the flags over the model\'s';
  return [
    `${stated} and the architecture ${where} (${shape}) disagree: the architecture counts ${formatQuantity(counted)} parameters (${ratio >= 1 ? `${ratio.toPrecision(3)}x` : `${(1 / ratio).toPrecision(3)}x fewer`}, more than ${PARAMS_TOLERANCE * 100} % apart); FLOPs, wall-clock and cost use ${formatQuantity(params.value)}, the throughput model (plan, step time, memory per GPU) the architecture's shapes`,
  ];
}
