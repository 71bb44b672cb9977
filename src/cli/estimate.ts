import type { ComputeResult } from '../core/compute.js';
import { RANGE_COVERAGE } from '../core/calibration.js';
import { estimateRun, type RunResult } from '../core/estimate.js';
import { goodputWithRestart, type Reliability } from '../core/reliability.js';
import { crossedThresholds } from '../core/thresholds.js';
import { hfNotes, readExtras } from './hfconfig.js';
import { formatBytes, formatHuman, withCommas } from '../format/human.js';
import { formatQuantity, formatScientific } from '../core/units.js';
import { outputFormat, renderReport } from '../format/render.js';
import type { Report } from '../format/report.js';
import { computeOf, failuresUnmodelled, resolveScenario, toRunInputs, type FlagValues, type ResolveExtras, type Scenario } from '../presets/resolve.js';
import type { PresetSet } from '../presets/parse.js';
import type { CommandOutput, Context } from './context.js';
import { throughputSection } from './throughput.js';
import { withInputsNamed } from './compute-error.js';

/**
 * Returns the heading that names the scenario, e.g. "llama-405b on h100x16k (16,384 x h100, bf16)";
 * a cluster nobody asked for is called the default ("on colossus, the default cluster"), and not
 * named at all when it did not set the count (--gpus, or solving for GPUs).
 */
export function scenarioTitle(command: string, s: Scenario): string {
  const what = s.model?.value ?? (s.params ? `${formatQuantity(s.params.value)} params` : 'run');
  const assumed = s.cluster?.origin === 'default';
  const where = !s.cluster || (assumed && s.gpus?.origin !== `preset:${s.cluster.value}`) ? '' : ` on ${s.cluster.value}${assumed ? ', the default cluster' : ''}`;
  const gpus = s.gpus ? `${withCommas(s.gpus.value)} x ` : '';
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
      `impractical: only ${(r.goodput * 100).toFixed(0)} % of wall-clock is training; an interruption every ${formatHuman(r.jobMtbiHours * 3600, 'duration')} against ${formatHuman(r.restartMinutes * 60, 'duration')} restarts and ${formatHuman(r.checkpointSeconds, 'duration')} checkpoints. Faster restarts (--restart-minutes), faster checkpoints (--storage-gbps, --checkpoint-seconds) or fewer GPUs would fix it`,
    );
  }
  const m = run.memory;
  // With an evaluated plan `fits` is the plan's (its shortfall is the throughput section's warning); this one is about the state alone.
  if (m && (m.bytesPerGpu === undefined ? !m.fits : m.minGpusForState > (s.gpus?.value ?? 0))) {
    warnings.push(
      `does not fit: the training state (${formatBytes(m.stateBytes)}) needs at least ${withCommas(m.minGpusForState)} GPUs of ${formatBytes(m.gpuMemoryBytes)}, fully sharded`,
    );
  }
  return warnings;
}

/** Returns the note that names the default cluster when the user named none (empty otherwise). */
export function clusterNotes(s: Scenario): string[] {
  // Say the scale assumed: --model alone runs on the default cluster (issue 14: MPT-7B "trained" in 31 minutes without a word).
  if (s.cluster?.origin !== 'default') return [];
  const cluster = s.cluster.value;
  return [
    !s.gpus
      ? `no --cluster or --gpus: solved for the number of ${s.gpu.value} GPUs (the GPU and defaults of the default cluster ${cluster}); give --cluster or --gpus to solve for MFU instead`
      : s.gpus.origin === 'flag'
        ? `no --cluster or --gpu: the ${s.gpu.value} GPUs and the cluster's defaults are those of the default cluster ${cluster}`
        : `no --cluster or --gpus: assumed the default cluster ${cluster} (${withCommas(s.gpus.value)} x ${s.gpu.value}); give --cluster NAME (llmcost presets) or --gpus N for your own`,
  ];
}

/** Returns notes that say how the run's figures were obtained. */
export function scenarioNotes(s: Scenario, run: RunResult): string[] {
  const notes: string[] = clusterNotes(s);
  const r = run.reliability;
  if (r) {
    notes.push(
      `failures: an interruption every ${formatHuman(r.jobMtbiHours * 3600, 'duration')} (${formatQuantity(r.interruptionsPerDay)}/day) costs ${formatHuman(1 - r.goodput, 'percent')} of wall-clock (Daly 2006: goodput and checkpoint interval); --no-failures for the ideal run`,
    );
    if (1 - r.goodput >= FAILURES_DOMINATE) notes.push(restartNote(s, r));
  }
  const m = run.memory;
  if (m?.bytesPerGpu !== undefined && s.plan) {
    notes.push(
      `memory: ${formatBytes(m.bytesPerGpu)} on the plan's busiest GPU (weights, gradients, optimizer state and activations of the pipeline stage holding the most; whole layers per stage, Korthikanti et al. 2022 §4 activations); results.memory follows the plan`,
    );
  } else if (m?.activationBytesPerGpu !== undefined) {
    const p = s.pipelineParallel?.value ?? 1;
    const stages = p === 1 ? 'one pipeline stage' : `the busiest of ${p} pipeline stages under 1F1B (${p} micro-batches in flight on the first: all layers' worth)`;
    notes.push(
      `activations: ${stages}, micro-batch ${s.microBatch?.value}, sequence ${s.seqLen?.value}, tensor parallel ${s.tensorParallel?.value} with sequence parallelism, ${s.architecture?.value.dropout ? 'with' : 'no'} dropout, FlashAttention (Korthikanti et al. 2022 §4)`,
    );
  }
  return notes;
}

/** Share of wall-clock lost to failures from which the restart assumption is spelled out. */
const FAILURES_DOMINATE = 0.1;
/** A published fast recovery: FlashRecovery (arXiv:2509.03047) restores 4,800 devices in 150 s. */
const FAST_RESTART_SECONDS = 150;

/** Returns the note that names the restart assumption and what a fast recovery would change. */
function restartNote(s: Scenario, r: Reliability): string {
  const given = s.restartSeconds?.origin === 'flag';
  const fixed = (s.restartSeconds?.value ?? 0) / 60;
  const why = given
    ? '--restart-minutes'
    : 'default: the most that production runs at 10k-16k GPUs allow, Llama 3 > 90 % on 16,384 and ByteRobust 97 % on 9,600; it does not grow with the GPU count';
  const fast = goodputWithRestart(r, FAST_RESTART_SECONDS);
  return `restarts: ${formatHuman(fixed * 60, 'duration')} each plus reading the checkpoint back (${why}); with FlashRecovery's 2.5 min (4,800 devices) goodput would be ${(fast * 100).toFixed(0)} %: --restart-minutes`;
}

/** Goodput below which a run is called impractical. */
export const IMPRACTICAL_GOODPUT = 0.5;

/** Runs `estimate`: flags → scenario → core → report → text. */
export async function estimateCommand(flags: FlagValues, ctx: Context): Promise<CommandOutput> {
  const report = buildEstimateReport(flags, ctx.presets());
  return { stdout: await renderReport(report, outputFormat(flags), ctx.style(), ctx.view()), warnings: report.warnings };
}

/** Returns the estimate report for checked flags (pure given the presets). */
export function buildEstimateReport(flags: FlagValues, presets: PresetSet): Report {
  const extras = readExtras(flags);
  const scenario = resolveScenario('estimate', flags, presets, extras);
  const compute = computeOf(scenario);
  const throughput = throughputSection(scenario, compute);
  const run = withInputsNamed(() => estimateRun(toRunInputs(scenario, throughput.memory)), scenario, presets);
  const report: Report = {
    command: 'estimate',
    title: scenarioTitle('estimate', scenario),
    inputs: { ...scenario },
    results: { ...estimateResults(scenario, compute, run), throughput: throughput.throughput },
    warnings: [...scenarioWarnings(scenario, run), ...throughput.warnings],
    notes: [...scenarioNotes(scenario, run), ...throughput.notes, ...computeNotes(scenario, compute, run.trainingFlops, extras)],
  };
  return report;
}

/**
 * Returns the results of an estimate, as `llmcost estimate --json` prints them under `results`
 * (its type is the library's EstimateResults: a field added here is typed there).
 */
export function estimateResults(scenario: Scenario, compute: ComputeResult | undefined, run: RunResult) {
  return {
    params: scenario.params?.value,
    activeParams: scenario.activeParams?.value,
    tokens: scenario.tokens?.value,
    gpus: scenario.gpus?.value,
    mfu: scenario.mfu?.value,
    ...computeFields(compute),
    ...run,
    ...rangeFields(scenario),
    thresholds: crossedThresholds(run.trainingFlops),
  };
}

/** The results of `estimate` (and `results` of its JSON document), every field with its type. */
export type EstimateResults = ReturnType<typeof estimateResults>;

/** Returns what the stated range means: `rangeCoverage` (0.8) and `rangeMethod`, when the run has a range. */
export function rangeFields(s: Scenario): { rangeCoverage?: number; rangeMethod?: string } {
  if (!s.rangeFactors) return {};
  return { rangeCoverage: RANGE_COVERAGE, rangeMethod: s.rangeFactors.source ?? 'the backtest\'s leave-one-out residuals' };
}

/** Returns the FLOP-count fields of results (both methods when the architecture is known). */
export function computeFields(compute: ComputeResult | undefined): Partial<Omit<ComputeResult, 'trainingFlops'>> {
  if (!compute) return {};
  return {
    flopsMethod: compute.flopsMethod,
    trainingFlops6nd: compute.trainingFlops6nd,
    trainingFlopsPalm: compute.trainingFlopsPalm,
    attentionShare: compute.attentionShare,
  };
}

/** Returns one note per regulatory compute threshold the run crosses, with its legal source (estimate and solve). */
export function thresholdNotes(trainingFlops: number): string[] {
  return crossedThresholds(trainingFlops)
    .filter((t) => t.crossed)
    .map((t) => `crosses ${formatScientific(t.flops)} FLOPs: ${t.label} (${t.source}${t.note ? `; ${t.note}` : ''})`);
}

/** Returns notes on the FLOP count, the thresholds it crosses and what an HF config left out. */
export function computeNotes(s: Scenario, compute: ComputeResult | undefined, trainingFlops: number, extras: ResolveExtras): string[] {
  const notes: string[] = [];
  if (compute?.trainingFlopsPalm !== undefined && compute.attentionShare !== undefined) {
    const other = compute.flopsMethod === '6nd' ? compute.trainingFlopsPalm : compute.trainingFlops6nd;
    notes.push(
      `FLOPs by ${compute.flopsMethod === '6nd' ? '6ND' : 'PaLM (6N + 12LHQT)'} drive time and cost; the other count is ${formatScientific(other)} (attention is ${formatHuman(compute.attentionShare, 'percent')} of the PaLM count; --flops-method to switch)`,
    );
  }
  if (s.activeParams && s.activeParams.value < (s.params?.value ?? Infinity)) notes.push(`mixture of experts: FLOPs use the ${formatQuantity(s.activeParams.value)} active parameters; memory and checkpoints the ${formatQuantity(s.params?.value ?? 0)} total`);
  notes.push(...thresholdNotes(trainingFlops));
  notes.push(...hfNotes(s, extras));
  return notes;
}
