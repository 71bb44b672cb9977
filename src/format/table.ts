import { GROUPS, INPUT_FIELDS, RESULT_FIELDS, valueAt, type FieldSpec } from './fields.js';
import { HEADLINE_INPUTS, HEADLINE_RESULTS, type HeadlineField } from './headline.js';
import { formatHuman, type UnitKind } from './human.js';
import { fitTable, wrapText, type LayoutCell } from './layout.js';
import type { Report } from './report.js';
import { plain, type Style } from './style.js';

export { chalkStyle, plain, type Style } from './style.js';

/** Which view of a report a table shows (the flags --full and --quiet). */
export interface TableView {
  /** Every result group and every assumption with its origin (default: the headline figures). */
  full?: boolean;
  /** The results table alone: no title, assumptions or notes. */
  quiet?: boolean;
}

/**
 * Returns a report as human-readable text within `style.width` columns. By default the headline
 * figures (headline.ts) and the assumptions behind them, grouped by origin; with `view.full` every
 * result by group and every assumption. Notes follow, wrapped; warnings are not here: the entry
 * writes them to stderr (in every format).
 */
export function renderTable(report: Report, style: Style = plain, view: TableView = {}): string {
  const { width } = style;
  const results = fitTable({ rows: view.full ? allResults(report, style) : headlineResults(report), width });
  if (view.quiet) return `${results}\n`;
  const out: string[] = [...wrapText(report.title, width).map(style.bold), ''];
  const solvedFor = report.results['solvedFor'];
  if (typeof solvedFor === 'string') {
    const value = report.results[solvedFor];
    if (value !== undefined) out.push(...wrapText(`Solved for ${solvedFor}: ${formatHuman(value, resultUnit(solvedFor))}`, width).map(style.green), '');
  }
  out.push(results, '');
  if (view.full) out.push(style.bold('Assumptions'), fitTable({ head: ['input', 'value', 'origin'], rows: allInputs(report, style), width }));
  else out.push(...assumedLines(report, width, style));
  for (const note of report.notes) out.push(...wrapText(note, width, 'note: '));
  out.push(...wrapText('Sources of every number: llmcost presets show NAME, or --json (inputs.*.source).', width).map(style.dim));
  return `${out.join('\n')}\n`;
}

/** Every result, by group, with the group's name as a heading row. */
function allResults(report: Report, style: Style): LayoutCell[][] {
  const rows: LayoutCell[][] = [];
  for (const group of GROUPS) {
    const fields = RESULT_FIELDS.filter((f) => f.group === group && valueAt(report.results, f.key) !== undefined);
    if (fields.length === 0) continue;
    rows.push([{ colSpan: 2, content: style.bold(group) }]);
    for (const field of fields) rows.push([field.label, formatHuman(valueAt(report.results, field.key), field.unit)]);
  }
  return rows;
}

/**
 * The headline results, each with its range beside it; for solve, first the solved quantity and the
 * run's size when it was not an input (the compute-optimal pair).
 */
function headlineResults(report: Report): LayoutCell[][] {
  const solvedFor = report.results['solvedFor'];
  const leading = typeof solvedFor === 'string' ? [solvedFor, ...['params', 'tokens', 'gpus'].filter((key) => report.inputs[key] === undefined)] : [];
  const fields: HeadlineField[] = [...leading.map((key) => ({ key })), ...HEADLINE_RESULTS.filter((f) => !leading.includes(f.key))].filter(
    (f, i, all) => all.findIndex((g) => g.key === f.key) === i,
  );
  // A range with a stated coverage (issue 11: the 80 % interval of the backtest) says so in its label.
  const coverage = report.results['rangeCoverage'];
  const rows: LayoutCell[][] = [];
  for (const field of fields) {
    const spec: FieldSpec | undefined = RESULT_FIELDS.find((f) => f.key === field.key);
    const value = withRange(report.results, field, spec?.unit ?? 'quantity');
    const factors = field.product?.map((key) => valueAt(report.results, key));
    const text = value !== undefined && factors && factors.every((f) => f !== undefined)
      ? `${value} = ${factors.map((f) => formatHuman(f, spec?.unit ?? 'quantity')).join(' x ')}`
      : value;
    const ranged = typeof coverage === 'number' && field.range !== undefined && Array.isArray(valueAt(report.results, field.range));
    const label = spec?.label ?? field.key;
    if (text !== undefined) rows.push([ranged ? `${label} (${Math.round(coverage * 100)} % range)` : label, text]);
  }
  return rows;
}

/**
 * Returns a value as text, with its range in brackets when there is one, the unit said once:
 * "73.2 days (68.1 to 77.0)", "28.8M GPU-hours (26.8M to 30.3M)"; undefined when absent.
 */
function withRange(values: Readonly<Record<string, unknown>>, field: HeadlineField, unit: UnitKind): string | undefined {
  const value = valueAt(values, field.key);
  if (value === undefined) return undefined;
  const text = formatHuman(value, unit);
  const range = field.range === undefined ? undefined : valueAt(values, field.range);
  if (!Array.isArray(range) || range.length !== 2) return text;
  const unitText = / (\S+)$/.exec(text)?.[0] ?? '';
  const bare = (v: unknown): string => {
    const t = formatHuman(v, unit);
    return unitText !== '' && t.endsWith(unitText) ? t.slice(0, -unitText.length) : t;
  };
  return `${text} (${bare(range[0])} to ${bare(range[1])})`;
}

function resultUnit(key: string): UnitKind {
  return RESULT_FIELDS.find((f) => f.key === key)?.unit ?? 'quantity';
}

/** Every assumption: label, value, origin; in INPUT_FIELDS' order, unknown keys last. */
function allInputs(report: Report, style: Style): LayoutCell[][] {
  const known = Object.keys(INPUT_FIELDS);
  const keys = Object.keys(report.inputs).sort((a, b) => rank(known, a) - rank(known, b));
  const rows: LayoutCell[][] = [];
  for (const key of keys) {
    const input = report.inputs[key];
    if (!input) continue;
    const spec = INPUT_FIELDS[key] ?? { label: key, unit: 'text' as const };
    rows.push([spec.label, formatHuman(input.value, spec.unit), style.dim(input.origin)]);
  }
  return rows;
}

// Names the title already shows.
const IN_TITLE = new Set(['model', 'cluster', 'gpu', 'precision']);

/**
 * The assumptions that matter, one line per origin ("h100x16k: GPUs 16,384, MFU 40.0 % ..."): the
 * headline inputs and everything given by flag; then how many more --full shows.
 */
function assumedLines(report: Report, width: number, style: Style): string[] {
  const inputs = Object.entries(report.inputs).filter(([, input]) => input !== undefined);
  const ranges = new Set(HEADLINE_INPUTS.flatMap((f) => (f.range ? [f.range] : [])));
  const shown = [
    ...HEADLINE_INPUTS.map((f) => f.key),
    ...inputs.filter(([key, input]) => input?.origin === 'flag' && !ranges.has(key)).map(([key]) => key),
  ].filter((key, i, all) => all.indexOf(key) === i && !IN_TITLE.has(key) && report.inputs[key] !== undefined);
  const byOrigin = new Map<string, string[]>();
  for (const key of shown) {
    const input = report.inputs[key];
    if (!input) continue;
    const spec = INPUT_FIELDS[key] ?? { label: key, unit: 'text' as const };
    const field = HEADLINE_INPUTS.find((f) => f.key === key) ?? { key };
    const values = Object.fromEntries(inputs.map(([k, v]) => [k, v?.value]));
    const origin = input.origin === 'flag' ? 'flags' : input.origin === 'default' ? 'defaults' : input.origin.replace(/^preset:/, '');
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), `${spec.label} ${withRange(values, field, spec.unit) ?? ''}`]);
  }
  const order = (origin: string): number => (origin === 'flags' ? 0 : origin === 'derived' ? 2 : origin === 'defaults' ? 3 : 1);
  const lines = [style.bold('Assumed')];
  for (const [origin, items] of [...byOrigin].sort(([a], [b]) => order(a) - order(b))) lines.push(...wrapText(items.join(', '), width, `  ${origin}: `, 4));
  const more = inputs.length - shown.length;
  if (more > 0) lines.push(...wrapText(`--full: every result, and all ${inputs.length} assumptions with their origins`, width).map(style.dim));
  return lines;
}

function rank(order: string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}
