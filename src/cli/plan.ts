// `llmcost plan`: every parallel plan of a model on a cluster, searched, the fastest that fit ranked
// (issue 10). Flags of the plan fix those knobs; the rest are searched.
import { MEMORY_ALLOWANCE } from '../core/throughput/constants.js';
import type { Evaluation } from '../core/throughput/index.js';
import { parseQuantity, formatQuantity } from '../core/units.js';
import { UsageError } from '../errors.js';
import type { SearchResult } from '../core/throughput/search.js';
import { renderCsv } from '../format/csv.js';
import type { OutputFormat } from '../format/formats.js';
import { formatBytes, formatHuman, withCommas } from '../format/human.js';
import { wrapText } from '../format/layout.js';
import { markdownCell, renderMarkdownTable } from '../format/markdown.js';
import { renderNdjson } from '../format/ndjson.js';
import type { Row } from '../format/rows.js';
import { SCHEMA_VERSION } from '../format/report.js';
import type { Style } from '../format/style.js';
import { computeOf, resolveScenario, type FlagValues } from '../presets/resolve.js';
import { describePlan, fixedKnobs, idleBatch, scenarioThroughput } from '../presets/resolve-throughput.js';
import type { Scenario } from '../scenario/types.js';
import type { CommandOutput, Context } from './context.js';
import { hfNotes, readExtras } from './hfconfig.js';
import { clusterNotes, scenarioTitle } from './estimate.js';
import { architectureWarnings, throughputResult } from './throughput.js';

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

/** Runs `plan`: flags → scenario → full search → ranked plans in `format` (table, json, csv, ndjson, markdown). */
export function planCommand(flags: FlagValues, top: number, ctx: Context, format: OutputFormat): CommandOutput {
  const extras = readExtras(flags);
  const scenario = resolveScenario('estimate', flags, ctx.presets(), extras);
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
  const idle = idleBatch(scenario, fixedKnobs(scenario));
  const warnings = [...architectureWarnings(scenario), ...(idle ? [idle] : []), ...outcome.warnings];
  const notes = [...clusterNotes(scenario), ...hfNotes(scenario, extras), ...outcome.notes];
  // Where DP x CP is 1 the ZeRO stages are one plan (searchPlans keeps the first): say which is shown.
  if (search.plans.some((e) => e.plan.dataParallel * e.plan.contextParallel === 1) && scenario.zero === undefined) {
    notes.push('at data parallel x context parallel 1 the ZeRO stages shard nothing: one plan, searched and listed once, as ZeRO-0');
  }
  const rows = search.plans.map(planRow);
  switch (format) {
    case 'json': {
      const document = {
        schemaVersion: SCHEMA_VERSION,
        command: 'plan',
        searched: search.searched,
        feasible: search.feasible,
        rejected: search.rejected,
        plans: search.plans.map((e) => throughputResult(e, 'searched')),
        warnings,
        notes,
      };
      return { stdout: `${JSON.stringify(document, null, 2)}\n`, warnings };
    }
    case 'csv':
      return { stdout: renderCsv(rows), warnings, notes: [searchedLine(search), ...notes] };
    case 'ndjson':
      return { stdout: renderNdjson(rows), warnings, notes: [searchedLine(search), ...notes] };
    case 'markdown':
      return { stdout: renderPlansMarkdown(scenario, search, notes, warnings), warnings };
    case 'table':
      return { stdout: renderPlans(scenario, search.plans, search.searched, search.feasible, search.rejected, ctx.style(), notes), warnings };
  }
}

/**
 * Returns one plan as a csv/ndjson row: its rank, the plan's knobs, then what the model predicts
 * (step seconds, tokens/s per GPU, MFU, HFU, bubble, the step's breakdown, memory per GPU, fits), the
 * names of `plan --json`'s plans (csv flattens them to dotted names, "plan.tensorParallel").
 */
export function planRow(e: Evaluation, index: number): Row {
  const { planOrigin: _origin, ...result } = throughputResult(e, 'searched');
  return { rank: index + 1, ...result };
}

/** Returns the search's counts in one line: plans searched, how many fit, and the rejected ones by reason. */
function searchedLine(search: Pick<SearchResult, 'searched' | 'feasible' | 'rejected' | 'plans'>): string {
  const reasons = Object.entries(search.rejected).sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${reason} (${withCommas(n)})`);
  return `searched ${withCommas(search.searched)} plans: ${withCommas(search.feasible)} fit, the ${search.plans.length} fastest shown; rejected: ${reasons.join('; ') || 'none'}`;
}

/** Returns the ranked plans as GitHub markdown: a heading, one table row per plan, the counts, notes and warnings. */
export function renderPlansMarkdown(s: Scenario, search: SearchResult, notes: readonly string[], warnings: readonly string[]): string {
  const head = ['#', 'plan', 'micro-batch', 'recompute', 'ZeRO', 'tokens/s per GPU', 'MFU', 'HFU', 'step s', 'GB per GPU', 'fits'];
  const rows = search.plans.map((e, i) => [
    String(i + 1),
    planCell(e),
    String(e.plan.microBatch),
    e.plan.recompute,
    String(e.plan.zero),
    formatQuantity(e.tokensPerSecondPerGpu),
    formatHuman(e.mfu, 'percent'),
    formatHuman(e.hfu, 'percent'),
    formatQuantity(e.stepSeconds),
    (e.memoryBytesPerGpu.total / 1e9).toFixed(1),
    e.fits ? 'yes' : 'no',
  ]);
  const out = [`### ${markdownCell(`${scenarioTitle('plan', s)}${batchWords(s)}`)}`, '', renderMarkdownTable(head, rows, ['r', 'l', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']), searchedLine(search), ''];
  for (const note of notes) out.push(`> note: ${note}`, '');
  for (const warning of warnings) out.push(`> warning: ${warning}`, '');
  return `${out.join('\n').trimEnd()}\n`;
}

/** Returns ", global batch 2,048 x 8,192 tokens" for the title, or nothing without a batch. */
function batchWords(s: Scenario): string {
  return s.globalBatch ? `, global batch ${withCommas(s.globalBatch.value)} x ${withCommas(s.architecture?.value.seqLen ?? 0)} tokens` : '';
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

/** Columns of the plan table that give way to a narrow terminal, in the order they go (their indices in the head). */
const DROP_ORDER = [7, 8, 12, 11, 10, 9, 6] as const;
/** What each column of the plan table shows, for the legend (only the columns shown are explained). */
const LEGEND: Readonly<Record<number, string>> = {
  2: 'mb micro-batch',
  3: 'rec recompute',
  4: 'Z ZeRO stage',
  8: 'GB memory per GPU',
  9: 'cmp compute and recompute',
  10: 'tp tensor-parallel comms',
  11: 'pipe bubble and sends',
  12: 'rest data/context/expert-parallel comms exposed and optimizer',
};

/**
 * Returns the ranked plans as text within the style's width (80 columns when unknown): a table that
 * drops the step time, memory, step shares and MFU (in that order) to fit, then, below the narrowest
 * table, one wrapped paragraph per plan; the search's counts, the legend and the notes.
 */
export function renderPlans(
  s: Scenario,
  plans: readonly Evaluation[],
  searched: number,
  feasible: number,
  rejected: Record<string, number>,
  style: Style,
  notes: readonly string[] = [],
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
  const tableWidth = (keep: readonly number[]): number => keep.reduce((w, c) => w + (columns[c] ?? 0) + 1, -1);
  let keep = head.map((_, c) => c);
  for (const drop of DROP_ORDER) {
    if (tableWidth(keep) <= width) break;
    keep = keep.filter((c) => c !== drop);
  }
  const left = new Set([1, 3]);
  const line = (cells: readonly string[]): string =>
    keep.map((c) => (left.has(c) ? (cells[c] ?? '').padEnd(columns[c] ?? 0) : (cells[c] ?? '').padStart(columns[c] ?? 0))).join(' ').trimEnd();
  const out: string[] = [...wrapText(`${scenarioTitle('plan', s)}${batchWords(s)}`, width).map(style.bold), ''];
  const table = tableWidth(keep) <= width;
  if (table) out.push(style.bold(line(head)), ...rows.map(line), '');
  else {
    // Narrower than the narrowest table: a paragraph a plan, every figure named.
    plans.forEach((e, i) => {
      const text = `${planCell(e)}, micro-batch ${e.plan.microBatch}, ${e.plan.recompute} recompute, ZeRO-${e.plan.zero}: ${formatQuantity(e.tokensPerSecondPerGpu)} tokens/s per GPU, MFU ${(e.mfu * 100).toFixed(1)}%, ${(e.memoryBytesPerGpu.total / 1e9).toFixed(1)} GB per GPU`;
      out.push(...wrapText(text, width, `${i + 1}. `));
    });
    out.push('');
  }
  out.push(...wrapText(searchedLine({ searched, feasible, rejected, plans: [...plans] }), width));
  const shown = table ? keep : [];
  const legend = shown.filter((c) => LEGEND[c] !== undefined).map((c) => LEGEND[c]);
  const shareShown = shown.some((c) => c >= 9);
  const dropped = table ? head.filter((_, c) => !keep.includes(c)) : [];
  const legendText = [
    legend.filter((l) => !/^(cmp|tp|pipe|rest) /.test(l ?? '')).join(', '),
    shareShown ? `shares of the step: ${legend.filter((l) => /^(cmp|tp|pipe|rest) /.test(l ?? '')).join(', ')}` : '',
    dropped.length > 0 ? `not shown, to fit ${width} columns: ${dropped.join(', ')}` : '',
  ].filter((t) => t !== '').join('; ');
  out.push(...wrapText(`${legendText ? `${legendText}. ` : ''}--json or --format csv for every figure.`, width).map(style.dim));
  for (const note of notes) out.push(...wrapText(note, width, 'note: '));
  return `${out.join('\n')}\n`;
}
