import { solveRun } from '../core/solve.js';
import { renderJson } from '../format/json.js';
import type { Report } from '../format/report.js';
import { renderTable } from '../format/table.js';
import { resolveScenario, toSolveInputs, type FlagValues } from '../presets/resolve.js';
import type { PresetSet } from '../presets/parse.js';
import type { CommandOutput, Context } from './context.js';
import { scenarioTitle, scenarioWarnings } from './estimate.js';

/** Runs `solve`: the estimate equations turned around for one unknown under a time budget. */
export function solveCommand(flags: FlagValues, ctx: Context): CommandOutput {
  const report = buildSolveReport(flags, ctx.presets());
  return { stdout: flags['json'] ? renderJson(report) : renderTable(report, ctx.style()) };
}

/** Returns the solve report for checked flags (pure given the presets). */
export function buildSolveReport(flags: FlagValues, presets: PresetSet): Report {
  const scenario = resolveScenario('solve', flags, presets);
  const solved = solveRun(toSolveInputs(scenario));
  const notes: string[] = [];
  const warnings = scenarioWarnings(scenario);
  if (solved.computeOptimal) {
    notes.push(
      `neither params nor tokens given: solved the compute-optimal pair, tokens = ${scenario.tokensPerParam?.value} x params (Chinchilla; change with --tokens-per-param)`,
    );
  }
  if (!solved.feasible) {
    warnings.push(`infeasible: the deadline needs an MFU of ${(solved.mfu * 100).toFixed(0)} %, above 100 % of peak; add GPUs or time`);
  }
  const report: Report = {
    command: 'solve',
    title: scenarioTitle('solve', scenario),
    inputs: { ...scenario },
    results: {
      solvedFor: solved.solvedFor,
      [solved.solvedFor]: solved.value,
      feasible: solved.feasible,
      computeOptimal: solved.computeOptimal,
      params: solved.params,
      tokens: solved.tokens,
      gpus: solved.gpus,
      mfu: solved.mfu,
      ...solved.run,
      ...(solved.solvedFor === 'days' ? { days: solved.value } : {}),
    },
    warnings,
    notes,
  };
  return report;
}
