import { solveRun, type SolveResult } from '../core/solve.js';
import { crossedThresholds } from '../core/thresholds.js';
import { UsageError } from '../errors.js';
import { hfNotes, readExtras } from './hfconfig.js';
import { outputFormat, renderReport } from '../format/render.js';
import type { Report } from '../format/report.js';
import { computeOf, resolveScenario, toSolveInputs, type FlagValues, type Scenario } from '../presets/resolve.js';
import { throughputSection } from './throughput.js';
import type { PresetSet } from '../presets/parse.js';
import type { CommandOutput, Context } from './context.js';
import { rangeFields, scenarioNotes, scenarioTitle, scenarioWarnings, thresholdNotes } from './estimate.js';
import { RESULT_FIELDS } from '../format/fields.js';
import { formatHuman, withCommas } from '../format/human.js';
import { withInputsNamed } from './compute-error.js';

/** Runs `solve`: the estimate equations turned around for one unknown under a time budget. */
export async function solveCommand(flags: FlagValues, ctx: Context): Promise<CommandOutput> {
  const report = buildSolveReport(flags, ctx.presets());
  return { stdout: await renderReport(report, outputFormat(flags), ctx.style(), ctx.view()), warnings: report.warnings };
}

/** Returns the solve report for checked flags (pure given the presets). */
export function buildSolveReport(flags: FlagValues, presets: PresetSet): Report {
  const extras = readExtras(flags);
  const scenario = resolveScenario('solve', flags, presets, extras);
  if (scenario.flopsMethod?.value === 'palm' && (scenario.solveFor?.value === 'params' || scenario.solveFor?.value === 'tokens')) {
    throw new UsageError('--flops-method: solve finds params and tokens by 6ND only; use palm with --for gpus, mfu or days');
  }
  const throughput = throughputSection(scenario, computeOf(scenario));
  const solved = withInputsNamed(() => solveRun(toSolveInputs(scenario, throughput.memory)), scenario, presets);
  const notes = [...scenarioNotes(scenario, solved.run), ...throughput.notes, ...hfNotes(scenario, extras)];
  const warnings = [...scenarioWarnings(scenario, solved.run), ...throughput.warnings];
  if (solved.failureFreeValue !== solved.value) {
    const unit = RESULT_FIELDS.find((f) => f.key === solved.solvedFor)?.unit ?? 'quantity';
    const change = (solved.failureFreeValue / solved.value - 1) * 100;
    const what = solved.solvedFor === 'days' ? 'failures lengthen the run' : 'failures cost this budget';
    notes.push(
      `${what}: without them ${solved.solvedFor} would be ${formatHuman(solved.failureFreeValue, unit)} (${change > 0 ? '+' : ''}${formatHuman(change / 100, 'percent')})`,
    );
  }
  const results = solveResults(solved, scenario);
  const largestFittingParams = results['largestFittingParams'];
  if (typeof largestFittingParams === 'number' && solved.run.memory?.fits === false) {
    warnings.push(`the largest model whose training state fits ${withCommas(solved.gpus)} GPUs is ${formatHuman(largestFittingParams, 'quantity')} params`);
  }
  if (solved.computeOptimal) {
    notes.push(
      `neither params nor tokens given: solved the compute-optimal pair, tokens = ${scenario.tokensPerParam?.value} x params (Chinchilla; change with --tokens-per-param)`,
    );
  }
  if (!solved.feasible) {
    warnings.push(`infeasible: the deadline needs an MFU of ${(solved.mfu * 100).toFixed(0)} %, above 100 % of peak; add GPUs or time`);
  }
  notes.push(...thresholdNotes(solved.run.trainingFlops));
  const report: Report = {
    command: 'solve',
    title: scenarioTitle('solve', scenario),
    inputs: { ...scenario },
    results: { ...results, throughput: throughput.throughput },
    warnings,
    notes,
  };
  return report;
}

/**
 * Returns the results of a solve, as `llmcost solve --json` prints them under `results`: the solved
 * quantity is the field `solvedFor` names (params, tokens, gpus, mfu or days), beside the run it
 * implies and the thresholds crossed. Its type is the library's SolveResults.
 */
export function solveResults(solved: SolveResult, scenario: Scenario) {
  const memory = solved.run.memory;
  const largestFittingParams = solved.solvedFor === 'params' && memory ? Math.min(solved.value, memory.maxParamsForGpus) : undefined;
  return {
    solvedFor: solved.solvedFor,
    failureFreeValue: solved.failureFreeValue,
    largestFittingParams,
    feasible: solved.feasible,
    computeOptimal: solved.computeOptimal,
    // The solved one of these is solved.value (params and tokens only when solved or given).
    params: solved.params,
    tokens: solved.tokens,
    gpus: solved.gpus,
    mfu: solved.mfu,
    ...solved.run,
    ...rangeFields(scenario),
    thresholds: crossedThresholds(solved.run.trainingFlops),
    days: solved.solvedFor === 'days' ? solved.value : undefined,
  };
}

/** The results of `solve` (and `results` of its JSON document), every field with its type. */
export type SolveResults = ReturnType<typeof solveResults>;
