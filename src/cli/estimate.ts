import { estimateRun, type RunResult } from '../core/estimate.js';
import { formatBytes } from '../format/human.js';
import { formatQuantity } from '../core/units.js';
import { renderJson } from '../format/json.js';
import type { Report } from '../format/report.js';
import { renderTable } from '../format/table.js';
import { failuresUnmodelled, resolveScenario, toRunInputs, type FlagValues, type Scenario } from '../presets/resolve.js';
import type { PresetSet } from '../presets/parse.js';
import type { CommandOutput, Context } from './context.js';

/** Returns the heading that names the scenario, e.g. "llama-405b on h100x16k (16,384 x h100, bf16)". */
export function scenarioTitle(command: string, s: Scenario): string {
  const what = s.model?.value ?? (s.params ? `${formatQuantity(s.params.value)} params` : 'run');
  const where = s.cluster ? ` on ${s.cluster.value}` : '';
  const gpus = s.gpus ? `${s.gpus.value.toLocaleString('en-US')} x ` : '';
  return `llmcost ${command}: ${what}${where} (${gpus}${s.gpu.value}, ${s.precision.value})`;
}

/** Returns warnings about the scenario and its run: missing numbers, failures, memory. */
export function scenarioWarnings(s: Scenario, run: RunResult): string[] {
  const warnings: string[] = [];
  if (!s.gpuPriceUsd) warnings.push(`no unit price for ${s.gpu.value}: capex not computed (give --gpu-price)`);
  if (!s.tdpW) warnings.push(`no sourced TDP for ${s.gpu.value}: power and energy not computed (give --tdp)`);
  if (failuresUnmodelled(s)) {
    warnings.push('failures not modelled: the checkpoint size needs --params (or give --checkpoint-seconds, or --no-failures)');
  }
  const r = run.reliability;
  if (r && r.goodput < IMPRACTICAL_GOODPUT) {
    warnings.push(
      `impractical: only ${(r.goodput * 100).toFixed(0)} % of wall-clock is training; an interruption every ${(r.jobMtbiHours * 60).toFixed(0)} min against ${r.restartMinutes.toPrecision(2)} min restarts and ${r.checkpointSeconds.toPrecision(2)} s checkpoints. Faster restarts (--restart-minutes), faster checkpoints (--storage-gbps, --checkpoint-seconds) or fewer GPUs would fix it`,
    );
  }
  const m = run.memory;
  if (m && !m.fits) {
    warnings.push(
      `does not fit: the training state (${formatBytes(m.stateBytes)}) needs at least ${m.minGpusForState.toLocaleString('en-US')} GPUs of ${formatBytes(m.gpuMemoryBytes)}, fully sharded`,
    );
  }
  return warnings;
}

/** Returns notes that say how the run's figures were obtained. */
export function scenarioNotes(s: Scenario, run: RunResult): string[] {
  const notes: string[] = [];
  const r = run.reliability;
  if (r) {
    notes.push(
      `failures: an interruption every ${r.jobMtbiHours.toPrecision(3)} h (${r.interruptionsPerDay.toPrecision(3)}/day) costs ${((1 - r.goodput) * 100).toPrecision(2)} % of wall-clock (Daly's model, Young/Daly checkpoint interval); --no-failures for the ideal run`,
    );
  }
  if (run.memory?.activationBytesPerGpu !== undefined) {
    notes.push(
      `activations assume micro-batch ${s.microBatch?.value}, sequence ${s.seqLen?.value}, tensor parallel ${s.tensorParallel?.value} with sequence parallelism, pipeline ${s.pipelineParallel?.value} (Korthikanti et al. 2022)`,
    );
  }
  return notes;
}

/** Goodput below which a run is called impractical. */
export const IMPRACTICAL_GOODPUT = 0.5;

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
    warnings: scenarioWarnings(scenario, run),
    notes: scenarioNotes(scenario, run),
  };
  return report;
}
