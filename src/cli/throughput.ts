// The Throughput section of estimate and solve (issue 10): results.throughput, its notes and warnings.
import type { ComputeResult } from '../core/compute.js';
import type { PlanMemoryView } from '../core/memory.js';
import type { Evaluation } from '../core/throughput/index.js';
import { formatQuantity } from '../core/units.js';
import { formatHuman } from '../format/human.js';
import { describePlan, planInput, scenarioThroughput } from '../presets/resolve-throughput.js';
import type { Scenario } from '../scenario/types.js';

/** `results.throughput` (issue 10): the plan, where it came from, and what the model predicts for it. */
export type ThroughputResult = Omit<Evaluation, 'plan'> & { plan: Evaluation['plan']; planOrigin: 'flags' | 'searched' };

/** Returns the contract's object of an evaluation, keys in the order. */
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
  const outcome = scenarioThroughput(s, compute);
  if ('gap' in outcome) return { notes: [outcome.gap], warnings: [] };
  const { evaluation: e, planOrigin } = outcome;
  s.plan = planInput(e.plan, planOrigin);
  const notes = [...outcome.notes];
  const searched = outcome.search ? ` (best of ${outcome.search.searched} plans tried; llmcost plan searches every plan)` : '';
  const drives = s.mfuFrom?.value === 'predicted' && s.mfu?.origin !== 'flag'
    ? 'it drives wall-clock and cost (--mfu-from predicted)'
    : `the ${s.mfu?.origin === 'flag' ? 'given' : 'published-run'} MFU drives wall-clock and cost (--mfu-from predicted to use this one)`;
  notes.push(
    `throughput: ${describePlan(e.plan)}${planOrigin === 'searched' ? searched : ''}: ${formatQuantity(e.tokensPerSecondPerGpu)} tokens/s per GPU, MFU ${formatHuman(e.mfu, 'percent')} counted as trainingFlops counts; ${drives}`,
  );
  return { throughput: throughputResult(e, planOrigin), memory: outcome.memory, notes, warnings: [...outcome.warnings] };
}
