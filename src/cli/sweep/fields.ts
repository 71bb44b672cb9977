// Which results a sweep shows: --fields and --y checked against the documented result (own properties, did-you-mean), the default columns.
import { UsageError } from '../../errors.js';
import { RESULT_FIELDS, type FieldSpec } from '../../format/fields.js';
import { numericFields } from '../../format/rows.js';
import { PLAN_FLAGS } from '../../presets/resolve-throughput.js';
import { closestNames } from '../../presets/suggest.js';
import { echo } from '../../text.js';
import type { CommandName } from '../options.js';
import type { SweepRequest } from './request.js';

/** A sweep point's results (the report's results without undefined fields). */
export type PointResults = Record<string, unknown>;

/**
 * Returns the value at a dotted name of `results` ("reliability.goodput", "wallClockDaysRange.0"),
 * reading own properties only (array items by index): "__proto__", "constructor" or "toString" are
 * not results.
 */
export function ownValueAt(results: unknown, name: string): unknown {
  let current = results;
  for (const part of name.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    const own = Array.isArray(current) ? /^(0|[1-9]\d*)$/.test(part) && Number(part) < current.length : Object.hasOwn(current, part);
    if (!own) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Returns every dotted name of `results`: its keys, and the keys and items inside them. */
export function resultNames(results: unknown, prefix = '', into: string[] = []): string[] {
  if (results === null || typeof results !== 'object') return into;
  for (const [key, value] of Object.entries(results)) {
    into.push(prefix + key);
    resultNames(value, `${prefix}${key}.`, into);
  }
  return into;
}

/** Throws a one-line UsageError unless every one of `fields` names a result of `results` (the first point's). */
export function checkFields(fields: readonly string[], results: PointResults): void {
  for (const field of fields) {
    if (ownValueAt(results, field) !== undefined) continue;
    const near = closestNames(field, resultNames(results));
    throw new UsageError(`--fields: no result ${echo(field)}; expected names such as ${near.join(', ')}, or all`);
  }
}

/** Returns `results` with only the dotted `fields`, nested as in the results. */
export function pickFields(results: PointResults, fields: readonly string[]): PointResults {
  const out: PointResults = {};
  for (const field of fields) {
    const parts = field.split('.');
    let target = out;
    for (let i = 0; i < parts.length - 1; i++) target = (target[parts[i] as string] ??= {}) as PointResults;
    target[parts[parts.length - 1] as string] = ownValueAt(results, field);
  }
  return out;
}

/** The flags of the parallel plan (--tensor-parallel, ...): estimate's throughput section reads them, not its run. */
const PLAN_AXIS_FLAGS: ReadonlySet<string> = new Set(Object.values(PLAN_FLAGS));
/** The throughput model's figures a plan axis changes, the columns of its table before the headline results. */
const PLAN_COLUMNS = ['throughput.mfu', 'throughput.tokensPerSecondPerGpu', 'throughput.memoryBytesPerGpu.total'];

/** Returns the flags of the sweep's axes that are plan knobs. */
function planAxes(request: Pick<SweepRequest, 'axes'>): string[] {
  return request.axes.map((a) => a.flag).filter((f) => PLAN_AXIS_FLAGS.has(f));
}

/**
 * True when wall-clock and cost follow the throughput model's MFU: --mfu-from predicted and no
 * --mfu, or the default where the first point's MFU is its throughput's (the model drove it).
 */
function mfuPredicted(request: Pick<SweepRequest, 'flags'>, first: PointResults): boolean {
  if (request.flags['mfu'] !== undefined || request.flags['mfu-from'] === 'published') return false;
  if (request.flags['mfu-from'] === 'predicted') return true;
  const mfu = ownValueAt(first, 'throughput.mfu');
  return typeof mfu === 'number' && first['mfu'] === mfu;
}

/**
 * Returns a note for a sweep over plan knobs whose wall-clock and cost do not follow the plan (they
 * follow the published-run or given MFU): what the plan changes, or that nothing does (no throughput).
 */
export function planAxisNote(request: Pick<SweepRequest, 'axes' | 'flags'>, first: PointResults, gap: string | undefined): string | undefined {
  const flags = planAxes(request);
  if (flags.length === 0 || mfuPredicted(request, first)) return undefined;
  const varied = flags.map((f) => `--vary ${f}`).join(', ');
  if (first['throughput'] === undefined) return `${varied}: no result changes with the plan here (${gap ?? 'throughput not predicted for the first point'})`;
  const mfu = request.flags['mfu'] === undefined ? 'the published-run MFU (--mfu-from predicted makes them follow the plan)' : 'the given --mfu';
  return `${varied}: the plan changes the throughput model's prediction and the memory per GPU (throughput.mfu, ...; --fields throughput for all of it), not wall-clock or cost: they follow ${mfu}`;
}

/** Returns the y field of a sweep: --y (checked against the first point's numeric results), else the default. */
export function yField(request: Pick<SweepRequest, 'y' | 'command' | 'axes' | 'flags'>, first: PointResults): FieldSpec {
  const fields = numericFields(first).filter((f) => typeof ownValueAt(first, f.key) === 'number');
  const solved = first['solvedFor'];
  // Over plan knobs the wall-clock is flat unless the plan drives it: the predicted MFU is charted.
  const plan = planAxes(request).length > 0 && !mfuPredicted(request, first) && typeof ownValueAt(first, 'throughput.mfu') === 'number';
  const wanted = request.y ?? (request.command === 'solve' && typeof solved === 'string' ? solved : plan ? 'throughput.mfu' : 'wallClockDays');
  const field = fields.find((f) => f.key === wanted);
  if (field) return field;
  const usual = ['wallClockDays', ...DEFAULT_COLUMNS[request.command]].filter((k) => fields.some((f) => f.key === k));
  const examples = [...new Set(usual)].slice(0, 3).join(', ');
  const near = closestNames(wanted, fields.map((f) => f.key)).join(', ');
  throw new UsageError(`--y: expected a numeric result (e.g. ${examples}), got ${echo(wanted)}; did you mean ${near}?`);
}

const DEFAULT_COLUMNS: Record<CommandName, readonly string[]> = {
  estimate: ['wallClockDays', 'gpuHours', 'capexUsd', 'energyCostUsd', 'powerMw'],
  solve: ['params', 'tokens', 'gpus', 'mfu', 'wallClockDays', 'feasible'],
};

/** Returns the columns of a 1-D sweep table: the y field, then the command's headline results (not the varied flags). */
export function tableColumns(request: Pick<SweepRequest, 'command' | 'axes'>, first: PointResults, y: FieldSpec): FieldSpec[] {
  const plan = planAxes(request).length > 0 ? PLAN_COLUMNS : [];
  const keys = [y.key, ...plan, ...DEFAULT_COLUMNS[request.command]].filter((k, i, all) => all.indexOf(k) === i);
  const axisFlags = new Set(request.axes.map((a) => a.flag));
  return keys
    .filter((k) => !axisFlags.has(k) && ownValueAt(first, k) !== undefined)
    .map((k) => RESULT_FIELDS.find((f) => f.key === k) ?? (k === y.key ? y : { key: k, label: k, unit: 'text' as const, group: 'Compute' as const }));
}

/**
 * Returns the results a sweep's rows keep when --fields is not given: the columns of its table (the
 * charted result, then the command's headline results), without the varied flags (each row has them).
 */
export function defaultFields(request: SweepRequest, first: { results: Record<string, unknown> }): string[] {
  const results = definedOnly(first.results);
  const columns = tableColumns(request, results, yField(request, results)).map((f) => f.key);
  // A solve row says what was solved for (the table says it once, in its title and columns).
  return request.command === 'solve' && results['solvedFor'] !== undefined ? ['solvedFor', ...columns] : columns;
}

/** Returns the fields a sweep's rows keep: --fields, all of them (undefined), or the table's columns. */
export function rowFields(request: SweepRequest, first: PointResults): string[] | undefined {
  if (request.fields === 'all') return undefined;
  if (request.fields) {
    // "all" among other names: every result, with the throughput when named.
    checkFields(request.fields.filter((f) => f !== 'all'), first);
    return request.fields;
  }
  return defaultFields(request, { results: first });
}

/**
 * Returns the sweep's request with a --y that changes across it: when --y is not given and none of
 * the table's columns differs between the first and the last point (--vary grid-intensity moves only
 * the CO2), the first numeric result that does becomes the charted and first column, with a note
 * saying so; when nothing differs, a note says that too. `last` is undefined when the sweep has one
 * point per axis or its last point fails (the check pass then reports it).
 */
export function changingY(request: SweepRequest, first: PointResults, last: PointResults | undefined): { request: SweepRequest; note?: string } {
  if (request.y !== undefined || last === undefined) return { request };
  // A result the points compute both times (the first point's report also has the throughput section, a point's results need not).
  const differs = (key: string): boolean => {
    const [a, b] = [ownValueAt(first, key), ownValueAt(last, key)];
    return a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b);
  };
  const shown = tableColumns(request, first, yField(request, first)).map((f) => f.key);
  // A column the last point's results leave out (the throughput of a plan axis) cannot be judged flat.
  if (shown.some((key) => differs(key) || ownValueAt(last, key) === undefined)) return { request };
  const varied = request.axes.map((a) => `--vary ${a.flag}`).join(', ');
  const changed = numericFields(first).find((f) => differs(f.key) && typeof ownValueAt(first, f.key) === 'number');
  if (!changed) return { request, note: `${varied}: no result changes across the sweep` };
  return {
    request: { ...request, y: changed.key },
    note: `${varied} changes none of the default columns (${shown.join(', ')}); showing ${changed.key} (--y to choose another)`,
  };
}

/** Returns an object without its undefined values. */
export function definedOnly(results: Readonly<Record<string, unknown>>): PointResults {
  const out: PointResults = {};
  for (const key of Object.keys(results)) if (results[key] !== undefined) out[key] = results[key];
  return out;
}
