import { estimateRun } from '../core/estimate.js';
import { formatQuantity } from '../core/units.js';
import { renderJson } from '../format/json.js';
import type { Report } from '../format/report.js';
import { renderTable } from '../format/table.js';
import { resolveScenario, toRunInputs, type FlagValues, type Scenario } from '../presets/resolve.js';
import type { PresetSet } from '../presets/parse.js';
import type { CommandOutput, Context } from './context.js';

/** Returns the heading that names the scenario, e.g. "llama-405b on h100x16k (16,384 x h100, bf16)". */
export function scenarioTitle(command: string, s: Scenario): string {
  const what = s.model?.value ?? (s.params ? `${formatQuantity(s.params.value)} params` : 'run');
  const where = s.cluster ? ` on ${s.cluster.value}` : '';
  const gpus = s.gpus ? `${s.gpus.value.toLocaleString('en-US')} x ` : '';
  return `llmcost ${command}: ${what}${where} (${gpus}${s.gpu.value}, ${s.precision.value})`;
}

/** Returns warnings that apply to any scenario (missing price, sparse-looking peaks). */
export function scenarioWarnings(s: Scenario): string[] {
  const warnings: string[] = [];
  if (!s.gpuPriceUsd) warnings.push(`no unit price for ${s.gpu.value}: capex not computed (give --gpu-price)`);
  if (!s.tdpW) warnings.push(`no sourced TDP for ${s.gpu.value}: power and energy not computed (give --tdp)`);
  return warnings;
}

/** Runs `estimate`: flags → scenario → core → report → text. */
export function estimateCommand(flags: FlagValues, ctx: Context): CommandOutput {
  const report = buildEstimateReport(flags, ctx.presets());
  return { stdout: flags['json'] ? renderJson(report) : renderTable(report, ctx.style()) };
}

/** Returns the estimate report for checked flags (pure given the presets). */
export function buildEstimateReport(flags: FlagValues, presets: PresetSet): Report {
  const scenario = resolveScenario('estimate', flags, presets);
  const run = estimateRun(toRunInputs(scenario));
  const report: Report = {
    command: 'estimate',
    title: scenarioTitle('estimate', scenario),
    inputs: { ...scenario },
    results: {
      params: scenario.params?.value,
      tokens: scenario.tokens?.value,
      gpus: scenario.gpus?.value,
      mfu: scenario.mfu?.value,
      ...run,
    },
    warnings: scenarioWarnings(scenario),
    notes: [],
  };
  return report;
}
