import * as z from 'zod/mini';
import { formatQuantity } from '../core/units.js';
import { isUserError, UsageError } from '../errors.js';
import { renderCsv } from '../format/csv.js';
import { RESULT_FIELDS, valueAt, type FieldSpec } from '../format/fields.js';
import { formatHuman } from '../format/human.js';
import { toJsonDocument } from '../format/json.js';
import { renderMarkdownTable } from '../format/markdown.js';
import { renderNdjson } from '../format/ndjson.js';
import type { OutputFormat } from '../format/formats.js';
import type { Report } from '../format/report.js';
import { isNumeric, numericFields, reportRow } from '../format/rows.js';
import type { Style } from '../format/table.js';
import { readFlagFile, shownPath } from '../presets/input-file.js';
import { formatIssue, parseJsonData, type PresetSet } from '../presets/parse.js';
import type { FlagValues } from '../presets/resolve.js';
import { COMPARE_LIST_FLAGS } from './command-options.js';
import type { CommandOutput, View } from './context.js';
import { HEADLINE_RESULTS } from '../format/headline.js';
import { buildEstimateReport } from './estimate.js';
import { readFlags } from './flags.js';
import { optionsFor } from './options.js';

/** One column of `compare`: a name and the estimate flags it runs with. */
export interface CompareScenario {
  name: string;
  flags: FlagValues;
  /** For an entry of a scenario file: the file, the entry's index and the flags it set (errors name them there). */
  entry?: { file: string; index: number; flags: ReadonlySet<string> };
}

/** One computed column: its name and estimate report. */
export interface ComparedScenario {
  name: string;
  report: Report;
}

/** Options not allowed in a scenario file entry (they are about output, not the scenario). */
const NOT_IN_FILE = new Set(['json', 'presets-dir']);

/** Returns the zod schema of one scenario file entry, derived from the estimate flags of the registry. */
export function scenarioEntrySchema(): z.ZodMiniType<Record<string, unknown>> {
  const shape: Record<string, z.ZodMiniType> = { name: z.optional(z.string().check(z.minLength(1, 'expected a non-empty name'))) };
  for (const option of optionsFor('estimate')) {
    if (NOT_IN_FILE.has(option.flag)) continue;
    if (option.kind === 'number') shape[option.attr] = z.optional(z.union([z.number(), z.string()], { error: `expected a number or a string like "16k" (as --${option.flag})` }));
    else if (option.kind === 'boolean') shape[option.attr] = z.optional(z.boolean({ error: `expected true or false (as --${option.flag})` }));
    else if (option.choices) shape[option.attr] = z.optional(z.enum(option.choices as [string, ...string[]], { error: `expected one of ${option.choices.join(', ')}` }));
    else shape[option.attr] = z.optional(z.string({ error: `expected a name (as --${option.flag})` }).check(z.minLength(1, 'expected a non-empty name')));
  }
  return z.strictObject(shape) as unknown as z.ZodMiniType<Record<string, unknown>>;
}

/** The most scenarios a file may list. */
export const MAX_SCENARIOS = 1_000;

/**
 * Reads and validates a scenario file (a JSON list of `{name?, ...estimate options}`); returns one
 * scenario per entry, its options over `common`. Throws a UsageError naming the file and JSON path.
 */
export function readScenarioFile(file: string, common: FlagValues): CompareScenario[] {
  const text = readFlagFile('--scenarios', file);
  const shown = `--scenarios ${shownPath(file)}`;
  const json = parseJsonData(text);
  if (!json.ok) throw new UsageError(`${shown}: ${json.error}`);
  // A bound on the work and the output, whatever the file holds (a 1 MB file lists ~30,000 entries).
  if (Array.isArray(json.value) && json.value.length > MAX_SCENARIOS) {
    throw new UsageError(`${shown}: expected at most ${MAX_SCENARIOS.toLocaleString('en-US')} scenarios, got ${json.value.length.toLocaleString('en-US')} (llmcost sweep varies a flag over more points)`);
  }
  const parsed = z.array(scenarioEntrySchema()).check(z.minLength(1, 'expected a list of at least one scenario')).safeParse(json.value);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.slice(0, 3).map((issue) => `${shown}: ${formatIssue(issue, json.value)}`).join('; '));
  }
  return parsed.data.map((entry, i) => {
    const { name, ...options } = entry;
    let own: FlagValues;
    try {
      own = readFlags('estimate', options);
    } catch (error) {
      if (!isUserError(error)) throw error;
      const [flag, ...rest] = error.message.split(': ');
      const attr = optionsFor('estimate').find((o) => `--${o.flag}` === flag)?.attr ?? flag;
      throw new UsageError(`${shown}: ${i}.${attr}: ${rest.join(': ')}`);
    }
    const flags = { ...common, ...own };
    return { name: typeof name === 'string' ? name : defaultName(flags, i), flags, entry: { file: shown, index: i, flags: new Set(Object.keys(own)) } };
  });
}

/**
 * Returns an estimate error of one scenario as the user wrote it: a flag set by a scenario file's
 * entry is named by the file and JSON path (`s.json: 1.gpus: ...`), not as a flag they never typed.
 */
function whereInScenario(message: string, name: string, entry: CompareScenario['entry']): string {
  // The head of the message names the flags ("--gpus", "--tensor-parallel 3", "--tensor-parallel 16 x --pipeline-parallel 16 = 256").
  const colon = message.indexOf(': ');
  const head = colon < 0 ? '' : message.slice(0, colon);
  const fromEntry = (flag: string): boolean => entry !== undefined && entry.flags.has(flag);
  if (entry && [...head.matchAll(/--([a-z0-9-]+)/g)].some((m) => fromEntry(m[1] as string))) {
    const attr = (flag: string): string => optionsFor('estimate').find((o) => o.flag === flag)?.attr ?? flag;
    const named = head.replace(/--([a-z0-9-]+)/g, (text: string, flag: string) => (fromEntry(flag) ? `${entry.index}.${attr(flag)}` : text));
    return `${entry.file}: ${named}: ${message.slice(colon + 2)}`;
  }
  return `scenario "${name}": ${message}`;
}

function defaultName(flags: FlagValues, i: number): string {
  const parts = COMPARE_LIST_FLAGS.map((f) => flags[f]).filter((v): v is string => typeof v === 'string');
  return parts.length > 0 ? parts.join(' / ') : `scenario ${i + 1}`;
}

/**
 * Returns the scenarios of repeated --model/--cluster/--gpu: every combination (models x clusters x
 * GPUs, a single value applies to all), named by the values that differ.
 */
export function scenariosFromLists(lists: Readonly<Record<string, readonly string[]>>, common: FlagValues): CompareScenario[] {
  let combos: Array<Record<string, string>> = [{}];
  for (const flag of COMPARE_LIST_FLAGS) {
    const values = lists[flag] ?? [];
    if (values.length === 0) continue;
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [flag]: v })));
  }
  const varying = COMPARE_LIST_FLAGS.filter((f) => (lists[f]?.length ?? 0) > 1);
  return combos.map((combo, i) => ({
    name: varying.length > 0 ? varying.map((f) => combo[f]).join(' / ') : `scenario ${i + 1}`,
    flags: { ...common, ...combo },
  }));
}

/** Returns the ratio b / a for numbers (elementwise for arrays), or undefined when a is 0 or not numeric. */
export function ratio(a: unknown, b: unknown): number | number[] | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a === 0 || !Number.isFinite(b / a) ? undefined : b / a;
  if (isNumeric(a) && isNumeric(b) && Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    const r = a.map((x: number, i: number) => ratio(x, b[i]));
    return r.every((x): x is number => typeof x === 'number') ? r : undefined;
  }
  return undefined;
}

/** Returns the result fields shown by compare: RESULT_FIELDS present in any scenario, then other numeric fields. */
export function compareFields(scenarios: readonly ComparedScenario[]): FieldSpec[] {
  const fields: FieldSpec[] = [];
  const seen = new Set<string>();
  const add = (f: FieldSpec): void => {
    if (!seen.has(f.key)) {
      seen.add(f.key);
      fields.push(f);
    }
  };
  for (const f of RESULT_FIELDS) if (scenarios.some((s) => valueAt(s.report.results, f.key) !== undefined)) add(f);
  for (const s of scenarios) for (const f of numericFields(s.report.results)) add(f);
  return fields;
}

const ratioText = (r: number | number[] | undefined): string =>
  r === undefined ? '' : ` (${Array.isArray(r) ? r.map((x) => `${formatQuantity(x)}x`).join(' to ') : `${formatQuantity(r)}x`})`;

/** The rows of compare's default table: what differs between scenarios (size, GPUs, MFU), then the headline figures and their ranges. */
const COMPARE_HEADLINE = new Set(['params', 'tokens', 'gpus', 'mfu', ...HEADLINE_RESULTS.flatMap((f) => (f.range ? [f.key, f.range] : [f.key]))]);

/** Returns the rows of the compare table: label, then each scenario's value (with its ratio to the first). */
export function compareCells(scenarios: readonly ComparedScenario[], beforeRatio = ' ', headline = false): string[][] {
  const first = scenarios[0];
  if (!first) return [];
  const fields = compareFields(scenarios);
  return (headline ? fields.filter((f) => COMPARE_HEADLINE.has(f.key)) : fields).map((field) => {
    const base = valueAt(first.report.results, field.key);
    return [
      field.label,
      ...scenarios.map((s, i) => {
        const value = valueAt(s.report.results, field.key);
        if (value === undefined) return '-';
        const r = i === 0 ? '' : ratioText(ratio(base, value));
        return formatHuman(value, field.unit) + (r === '' ? '' : beforeRatio + r.trimStart());
      }),
    ];
  });
}

/** Returns the JSON document of a comparison: every scenario's estimate document and its ratios to the first. */
export function compareDocument(scenarios: readonly ComparedScenario[]): object {
  const first = scenarios[0];
  const fields = compareFields(scenarios).filter((f) => scenarios.some((s) => isNumeric(valueAt(s.report.results, f.key))));
  return {
    schemaVersion: 1,
    command: 'compare',
    scenarios: scenarios.map(({ name, report }) => {
      const { schemaVersion: _version, ...doc } = toJsonDocument(report);
      return { name, ...doc };
    }),
    ratios: scenarios.map((s) => {
      const ratios: Record<string, number | number[]> = {};
      for (const f of fields) {
        const r = first ? ratio(valueAt(first.report.results, f.key), valueAt(s.report.results, f.key)) : undefined;
        if (r !== undefined) ratios[f.key] = r;
      }
      return { name: s.name, toFirst: ratios };
    }),
  };
}

/** Returns the comparison in `format`: a table with one column per scenario, or rows/JSON for scripts (cli-table3 loaded for tables only). */
export async function renderCompare(scenarios: readonly ComparedScenario[], format: OutputFormat, style: Style, view: Partial<View> = {}): Promise<string> {
  const names = scenarios.map((s) => s.name);
  switch (format) {
    case 'json':
      return `${JSON.stringify(compareDocument(scenarios), null, 2)}\n`;
    case 'ndjson':
      return renderNdjson(scenarios.map((s) => reportRow(s.report, s.name)));
    case 'csv':
      return renderCsv(scenarios.map((s) => reportRow(s.report, s.name)));
    case 'markdown': {
      const out = [`### llmcost compare: ${names.join(' vs ')}`, '', renderMarkdownTable(['result', ...names], compareCells(scenarios), ['l', ...names.map(() => 'r' as const)])];
      out.push(...footer(scenarios).map((line) => `- ${line}`), ...compareWarnings(scenarios).map((line) => `- warning: ${line}`));
      return `${out.join('\n').trimEnd()}\n`;
    }
    case 'table': {
      const { fitTable, naturalTableWidth, wrapText } = await import('../format/layout.js');
      const { width } = style;
      const head = ['result', ...names.map((n) => style.bold(n))];
      // When the rows do not fit on one line each, the ratio goes on a line of its own; scenarios that
      // do not fit side by side (at least 14 columns each) continue in a second table.
      const headline = view.full !== true;
      const oneLine = compareCells(scenarios, ' ', headline);
      const rows = naturalTableWidth({ head, rows: oneLine }) <= width ? oneLine : compareCells(scenarios, '\n', headline);
      const table = fitTable({ head, rows, width, minWidth: 14 });
      if (view.quiet) return `${table}\n`;
      const out = [...wrapText(`llmcost compare: ${names.join(' vs ')}`, width).map(style.bold), '', table];
      out.push(style.dim(`(ratio to the first column in brackets${headline ? '; --full for every result' : ''})`));
      for (const line of footer(scenarios)) out.push(...wrapText(line, width, '', 2));
      return `${out.join('\n')}\n`;
    }
  }
}

function footer(scenarios: readonly ComparedScenario[]): string[] {
  return scenarios.map(({ name, report }) => `${name}: ${report.title.replace(/^llmcost estimate: /, '')}`);
}

/** Returns every scenario's warnings, each prefixed with the scenario's name (for stderr). */
function compareWarnings(scenarios: readonly ComparedScenario[]): string[] {
  return scenarios.flatMap(({ name, report }) => report.warnings.map((warning) => `${name}: ${warning}`));
}

/**
 * Runs `compare`: builds the scenarios (from --scenarios FILE or repeated --model/--cluster/--gpu),
 * estimates each with the same presets and renders them side by side.
 */
export async function compareCommand(raw: Record<string, unknown>, presets: () => PresetSet, format: OutputFormat, style: Style, view: Partial<View> = {}): Promise<CommandOutput> {
  const lists: Record<string, string[]> = {};
  const rest: Record<string, unknown> = { ...raw };
  for (const flag of COMPARE_LIST_FLAGS) {
    const value = raw[flag];
    delete rest[flag];
    const values = value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
    for (const v of values) if (v.trim() === '') throw new UsageError(`--${flag}: expected a name, got an empty value`);
    lists[flag] = values;
  }
  const common = readFlags('estimate', rest);
  const file = raw['scenarios'];
  let scenarios: CompareScenario[];
  if (typeof file === 'string') {
    const repeated = COMPARE_LIST_FLAGS.filter((f) => (lists[f]?.length ?? 0) > 1);
    if (repeated.length > 0) throw new UsageError(`--scenarios: cannot be combined with a repeated --${repeated[0]}; put every scenario in the file`);
    for (const flag of COMPARE_LIST_FLAGS) if (lists[flag]?.[0] !== undefined) common[flag] = lists[flag][0];
    scenarios = readScenarioFile(file, common);
  } else {
    scenarios = scenariosFromLists(lists, common);
  }
  if (scenarios.length < 2) {
    throw new UsageError('compare: expected two or more scenarios: repeat --model, --cluster or --gpu (e.g. --cluster h100x16k --cluster colossus), or give --scenarios FILE');
  }
  const set = presets();
  const computed = scenarios.map(({ name, flags, entry }) => {
    try {
      return { name, report: buildEstimateReport(flags, set) };
    } catch (error) {
      if (isUserError(error)) throw new UsageError(whereInScenario(error.message, name, entry));
      throw error;
    }
  });
  return { stdout: await renderCompare(computed, format, style, view), warnings: compareWarnings(computed) };
}
