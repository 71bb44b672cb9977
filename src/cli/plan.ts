// `llmcost plan`: every parallel plan of a model on a cluster, searched, the fastest that fit ranked
// (issue 10). Flags of the plan fix those knobs; the rest are searched.
import { MEMORY_ALLOWANCE } from '../core/throughput/constants.js';
import type { Evaluation } from '../core/throughput/index.js';
import { parseQuantity, formatQuantity } from '../core/units.js';
import { UsageError } from '../errors.js';
import { formatBytes, withCommas } from '../format/human.js';
import { wrapText } from '../format/layout.js';
import { SCHEMA_VERSION } from '../format/report.js';
import type { Style } from '../format/style.js';
import { computeOf, resolveScenario, type FlagValues } from '../presets/resolve.js';
import { describePlan, scenarioThroughput } from '../presets/resolve-throughput.js';
import type { Scenario } from '../scenario/types.js';
import type { CommandOutput, Context } from './context.js';
import { readExtras } from './hfconfig.js';
import { scenarioTitle } from './estimate.js';
import { throughputResult } from './throughput.js';

/** Plans listed when --top is not given. */
export const DEFAULT_TOP = 10;

/** Returns --top as a whole number of plans; throws a one-line usage error otherwise. */
export function readTop(raw: unknown): number {
  if (raw === undefined) return DEFAULT_TOP;
  const parsed = parseQuantity(String(raw));
  if (!parsed.ok || !Number.isInteger(parsed.value) || parsed.value < 1 || parsed.value > 1000) {
    throw new UsageError(`--top: expected a whole number of plans from 1 to 1000 (e.g. 10), got "${String(raw)}"`);
  }
  return parsed.value;
}

/** Runs `plan`: flags → scenario → full search → ranked plans as a table or JSON. */
export function planCommand(flags: FlagValues, top: number, ctx: Context, json: boolean): CommandOutput {
  const scenario = resolveScenario('estimate', flags, ctx.presets(), readExtras(flags));
  const outcome = scenarioThroughput(scenario, computeOf(scenario), 'full', top);
  if ('gap' in outcome) throw new UsageError(`plan: ${outcome.gap.replace(/^throughput not predicted: /, '')}`);
  const search = outcome.search;
  if (!search) throw new Error('plan: the search did not run');
  if (search.feasible === 0) {
    const e = outcome.evaluation;
    const usable = outcome.memoryBytes * (1 - MEMORY_ALLOWANCE.value);
    throw new UsageError(
      `plan: no plan fits in GPU memory; the closest, ${describePlan(e.plan)}, needs ${formatBytes(e.memoryBytesPerGpu.total)} per GPU, ${formatBytes(e.memoryBytesPerGpu.total - usable)} more than the ${formatBytes(usable)} usable (${formatBytes(outcome.memoryBytes)} less the ${MEMORY_ALLOWANCE.value * 100} % buffer allowance); more GPUs, a smaller --global-batch or --micro-batch would help`,
    );
  }
  if (json) {
    const document = {
      schemaVersion: SCHEMA_VERSION,
      command: 'plan',
      searched: search.searched,
      feasible: search.feasible,
      rejected: search.rejected,
      plans: search.plans.map((e) => throughputResult(e, 'searched')),
    };
    return { stdout: `${JSON.stringify(document, null, 2)}\n` };
  }
  return { stdout: renderPlans(scenario, search.plans, search.searched, search.feasible, search.rejected, ctx.style()) };
}

/** Share of the step of each breakdown column of the table. */
function shares(e: Evaluation): [number, number, number, number] {
  const b = e.breakdownSeconds;
  const step = e.stepSeconds;
  return [
    (b.compute + b.recompute) / step,
    b.tensorParallel / step,
    (b.pipelineBubble + b.pipelineSend) / step,
    (b.dataParallelExposed + b.contextParallel + b.expertParallel + b.optimizer) / step,
  ];
}

/** Returns the plan of one row, e.g. "TP8 PP16x7 DP128". */
function planCell(e: Evaluation): string {
  const p = e.plan;
  const parts = [`TP${p.tensorParallel}`, `PP${p.pipelineParallel}${p.virtualStages > 1 ? `x${p.virtualStages}` : ''}`, `DP${p.dataParallel}`];
  if (p.contextParallel > 1) parts.push(`CP${p.contextParallel}`);
  if (p.expertParallel > 1) parts.push(`EP${p.expertParallel}`);
  return parts.join(' ');
}

const RECOMPUTE = { none: 'none', selective: 'sel', full: 'full' } as const;

/** Returns the ranked plans as text within the style's width (80 columns when unknown). */
export function renderPlans(
  s: Scenario,
  plans: readonly Evaluation[],
  searched: number,
  feasible: number,
  rejected: Record<string, number>,
  style: Style,
): string {
  const width = style.width;
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  const head = ['#', 'plan', 'mb', 'rec', 'Z', 'tok/s/GPU', 'MFU', 'step s', 'GB', 'cmp', 'tp', 'pipe', 'rest'];
  const rows = plans.map((e, i) => [
    String(i + 1),
    planCell(e),
    String(e.plan.microBatch),
    RECOMPUTE[e.plan.recompute],
    String(e.plan.zero),
    formatQuantity(e.tokensPerSecondPerGpu),
    `${(e.mfu * 100).toFixed(1)}%`,
    formatQuantity(e.stepSeconds),
    (e.memoryBytesPerGpu.total / 1e9).toFixed(1),
    ...shares(e).map(pct),
  ]);
  const columns = head.map((_, c) => Math.max(head[c]?.length ?? 0, ...rows.map((r) => r[c]?.length ?? 0)));
  let keep = head.map((_, c) => c);
  // Too wide for the terminal: drop the step time (tokens/s says it), then the memory column.
  for (const drop of [7, 8]) {
    if (keep.reduce((w, c) => w + (columns[c] ?? 0) + 1, -1) <= width) break;
    keep = keep.filter((c) => c !== drop);
  }
  const left = new Set([1, 3]);
  const line = (cells: readonly string[]): string =>
    keep.map((c) => (left.has(c) ? (cells[c] ?? '').padEnd(columns[c] ?? 0) : (cells[c] ?? '').padStart(columns[c] ?? 0))).join(' ').trimEnd();
  const batch = s.globalBatch ? `, global batch ${withCommas(s.globalBatch.value)} x ${withCommas(s.architecture?.value.seqLen ?? 0)} tokens` : '';
  const out: string[] = [...wrapText(`${scenarioTitle('plan', s)}${batch}`, width).map(style.bold), ''];
  out.push(style.bold(line(head)), ...rows.map(line), '');
  const reasons = Object.entries(rejected).sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${reason} (${withCommas(n)})`);
  out.push(...wrapText(`searched ${withCommas(searched)} plans: ${withCommas(feasible)} fit, the ${plans.length} fastest shown; rejected: ${reasons.join('; ') || 'none'}`, width));
  out.push(
    ...wrapText('mb micro-batch, rec recompute, Z ZeRO stage, GB memory per GPU; shares of the step: cmp compute and recompute, tp tensor-parallel comms, pipe bubble and sends, rest data/context/expert-parallel comms exposed and optimizer. --json for every figure.', width).map(style.dim),
  );
  return `${out.join('\n')}\n`;
}
