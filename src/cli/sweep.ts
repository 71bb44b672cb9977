import { estimateRun, type RunInputs } from '../core/estimate.js';
import { formatQuantity, parseQuantity } from '../core/units.js';
import { isUserError, UsageError } from '../errors.js';
import { unitAxis, type ChartSpec } from '../format/chart-spec.js';
import { renderCsv } from '../format/csv.js';
import { RESULT_FIELDS, valueAt, type FieldSpec } from '../format/fields.js';
import type { OutputFormat } from '../format/formats.js';
import { formatHuman, withCommas } from '../format/human.js';
import { renderMarkdownTable } from '../format/markdown.js';
import type { Report } from '../format/report.js';
import { definedResults, numericFields } from '../format/rows.js';
import { renderSvgChart } from '../format/svg.js';
import type { Style } from '../format/table.js';
import type { PresetSet } from '../presets/parse.js';
import { resolveScenario, toRunInputs, type FlagValues } from '../presets/resolve.js';
import { CHART_KINDS } from './command-options.js';
import type { CommandOutput } from './context.js';
import { buildEstimateReport } from './estimate.js';
import { readFlags } from './flags.js';
import { axisLabel, optionsFor, parseNumberOption, type CommandName, type NumberOption } from './options.js';
import { buildSolveReport } from './solve.js';

/** Most points one sweep may have (all --vary values multiplied). */
export const MAX_SWEEP_POINTS = 1_000_000;

/** One --vary: the flag, its values as given (the flag's unit) and in base units. */
export interface VaryAxis {
  flag: string;
  option: NumberOption;
  /** The text after "=", e.g. "0.3:0.5:0.05". */
  spec: string;
  /** Values in the flag's unit (as on the command line), for rows, tables and the x-axis. */
  shown: number[];
  /** Values in base units, as the flag's parser returns them. */
  values: number[];
}

const VARY_USAGE = 'expected NAME=START:STOP:STEP, NAME=START:STOP:*FACTOR or NAME=V1,V2,... (e.g. mfu=0.3:0.5:0.05, gpus=8k,16k,32k)';

const clean = (v: number): number => Number(v.toPrecision(12));

/**
 * Parses one --vary NAME=SPEC against the numeric flags of the swept command; each value goes through
 * the flag's own parser (SI suffixes, limits, unit). Throws a one-line UsageError naming --vary.
 * @example parseVary('mfu=0.3:0.5:0.1', options).shown // [0.3, 0.4, 0.5]
 */
export function parseVary(text: string, options: readonly NumberOption[]): VaryAxis {
  const fail = (why: string): never => {
    throw new UsageError(`--vary ${text.length > 60 ? `${text.slice(0, 57)}...` : text}: ${why}`);
  };
  const eq = text.indexOf('=');
  if (eq <= 0) return fail(VARY_USAGE);
  const flag = text.slice(0, eq).trim().replace(/^--/, '');
  const spec = text.slice(eq + 1).trim();
  const option = options.find((o) => o.flag === flag);
  if (!option && flag === 'days') return fail('days: only with sweep --solve (a time budget is an input of solve)');
  if (!option) return fail(`expected NAME to be a numeric flag of this sweep (${options.map((o) => o.flag).join(', ')}), got "${flag}"`);
  if (spec === '') return fail(VARY_USAGE);
  const number = (part: string, what: string): number => {
    const parsed = parseQuantity(part);
    return parsed.ok ? parsed.value : fail(`${what}: ${parsed.reason}; ${VARY_USAGE}`);
  };
  let shown: number[];
  if (spec.includes(':')) {
    const parts = spec.split(':');
    if (parts.length !== 3) return fail(VARY_USAGE);
    const [startText = '', stopText = '', stepText = ''] = parts;
    const start = number(startText, 'start');
    const stop = number(stopText, 'stop');
    if (stop < start) fail(`stop ${stopText} is below start ${startText}`);
    shown = [];
    if (stepText.trim().startsWith('*')) {
      const factor = number(stepText.trim().slice(1), 'factor');
      if (!(factor > 1)) fail(`expected a factor above 1 after "*", got "${stepText}"`);
      if (start === 0) fail('a geometric range (*FACTOR) needs a start above 0');
      for (let v = start; v <= stop * (1 + 1e-12); v *= factor) {
        shown.push(clean(v));
        if (shown.length > MAX_SWEEP_POINTS) fail(`more than ${withCommas(MAX_SWEEP_POINTS)} values`);
      }
    } else {
      const step = number(stepText, 'step');
      if (step === 0) fail('expected a step above 0');
      const count = Math.floor((stop - start) / step + 1e-9) + 1;
      if (count > MAX_SWEEP_POINTS) fail(`${withCommas(count)} values, more than ${withCommas(MAX_SWEEP_POINTS)}`);
      // Whole start and step add up exactly; fractions are rounded to 12 digits (0.3 + 0.05 x 3 = 0.45).
      shown = arithmeticRange(start, step, count);
    }
  } else {
    shown = spec.split(',').map((part, i) => number(part, `value ${i + 1}`));
  }
  const check = (v: number): number => {
    try {
      return parseNumberOption(option, String(v));
    } catch (error) {
      if (!isUserError(error)) throw error;
      return fail(error.message.replace(/^--[a-z-]+: /, `each value of --${flag} `));
    }
  };
  let values: number[];
  if (spec.includes(':') && shown.length > 2) {
    // A range lies between its ends, so the flag's limits hold for all values when they hold for the
    // ends; only wholeness is checked value by value. Same numbers as the parser: value x scale.
    check(shown[0] as number);
    check(shown[shown.length - 1] as number);
    if (option.constraint === 'integer') {
      const fraction = firstNonInteger(shown);
      if (fraction !== undefined) check(fraction);
    }
    values = scaled(shown, option.scale ?? 1);
  } else values = shown.map(check);
  return { flag, option, spec, shown, values };
}

// The loops over a range's values are small functions of their own: a sweep of 100,000 points runs
// them once, and V8 compiles a small function's loop to machine code much sooner than a large one's.

/** Returns `count` values from `start` by `step`: whole numbers add up exactly, fractions are rounded to 12 digits (0.3 + 0.05 x 3 = 0.45). */
function arithmeticRange(start: number, step: number, count: number): number[] {
  const out = new Array<number>(count);
  if (Number.isInteger(start) && Number.isInteger(step)) for (let i = 0; i < count; i++) out[i] = start + i * step;
  else for (let i = 0; i < count; i++) out[i] = clean(start + i * step);
  return out;
}

/** Returns the first value that is not a whole number, or undefined. */
function firstNonInteger(values: readonly number[]): number | undefined {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) return values[i];
  return undefined;
}

/** Returns every value multiplied by `scale`. */
function scaled(values: readonly number[], scale: number): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i] as number) * scale;
  return out;
}

/** A sweep point's results (the report's results without undefined fields). */
export type PointResults = Record<string, unknown>;

/** Computes the results of one point from the axes' base-unit values. */
export interface Evaluator {
  evaluate: (values: readonly number[]) => PointResults;
  /** Returns the point's NDJSON row (as pointLine would), without building the results object when it can. */
  line: (values: readonly number[], shown: readonly number[]) => string;
  /** Appends the point's row and a newline to `out`; the same bytes as `line`, faster where it can. */
  writeLine: (out: ByteChunks, values: readonly number[], shown: readonly number[]) => void;
  /** Computes the point and throws if it fails, keeping nothing (cheap on the fast path). */
  check: (values: readonly number[]) => void;
  /** Returns a function giving only the dotted `fields` of a point's results, as pickFields would (fast path only). */
  select?: (fields: readonly string[]) => (values: readonly number[]) => PointResults;
  /** True when points are computed by the core alone (presets resolved once), false when each point builds a report. */
  fast: boolean;
}

type Leaves = Map<string, unknown>;
/** Returns every scalar in `value` by its dotted path (array items by index). */
function leaves(value: unknown, prefix = '', into: Leaves = new Map()): Leaves {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, into);
  } else into.set(prefix, value);
  return into;
}

/** Returns a copy of `obj` with the number at `path` replaced (objects and arrays on the way copied). */
function setPath<T extends object>(obj: T, path: readonly string[], value: number): T {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const copy = (Array.isArray(obj) ? [...obj] : { ...obj }) as Record<string, unknown>;
  copy[head] = rest.length === 0 ? value : setPath((copy[head] ?? {}) as object, rest, value);
  return copy as T;
}

const flagKeys = new WeakMap<readonly VaryAxis[], string[]>();

/** Returns the start of a point's JSON row: `{"<flag>":<value>,...,"results":`. */
function linePrefix(axes: readonly VaryAxis[], shown: readonly number[]): string {
  let keys = flagKeys.get(axes);
  if (!keys) flagKeys.set(axes, (keys = axes.map((a, i) => `${i === 0 ? '{' : ','}${JSON.stringify(a.flag)}:`)));
  let line = '';
  for (let i = 0; i < keys.length; i++) line += (keys[i] as string) + (shown[i] as number);
  return `${line},"results":`;
}

/** Returns one point's row as compact JSON: `{"<flag>": value, ..., "results": {...}}`. */
export function pointLine(axes: readonly VaryAxis[], shown: readonly number[], results: PointResults): string {
  return `${linePrefix(axes, shown)}${JSON.stringify(results)}}`;
}

/**
 * Returns the evaluator of a sweep. Each point is the command's report for the fixed flags plus the
 * point's values; for estimate, when the varied flags reach the core inputs unchanged (checked by
 * building full reports at the corners and middle of the grid and comparing, rows included), points
 * are computed by the core alone from inputs resolved once, which is many times faster and gives the
 * same results and the same rows.
 */
export function makeEvaluator(command: CommandName, flags: FlagValues, presets: PresetSet, axes: readonly VaryAxis[]): Evaluator {
  const withValues = (values: readonly number[]): FlagValues => {
    const f = { ...flags };
    axes.forEach((a, i) => {
      f[a.flag] = values[i] as number;
    });
    return f;
  };
  const build = command === 'solve' ? buildSolveReport : buildEstimateReport;
  const evaluate = (values: readonly number[]): PointResults => definedResults(build(withValues(values), presets));
  const slowLine = (values: readonly number[], shown: readonly number[]): string => pointLine(axes, shown, evaluate(values));
  const slow: Evaluator = { evaluate, line: slowLine, writeLine: (out, values, shown) => out.add(`${slowLine(values, shown)}\n`), check: evaluate, fast: false };
  if (command !== 'estimate') return slow;
  const fast = fastEstimate(withValues, presets, axes);
  if (!fast) return slow;
  for (const probe of probes(axes)) {
    const expected = slow.evaluate(probe);
    const shown = probe.map((v, i) => (axes[i] as VaryAxis).shown[(axes[i] as VaryAxis).values.indexOf(v)] as number);
    if (JSON.stringify(fast.evaluate(probe)) !== JSON.stringify(expected)) return slow;
    if (fast.line(probe, shown) !== pointLine(axes, shown, expected)) return slow;
    const bytes = new ByteChunks();
    fast.writeLine(bytes, probe, shown);
    if (Buffer.concat(bytes.done()).toString('utf8') !== `${pointLine(axes, shown, expected)}\n`) return slow;
  }
  return fast;
}

/** Returns the grid points used to check the fast path: all first values, each axis at its last and middle value, all last. */
function probes(axes: readonly VaryAxis[]): number[][] {
  const first = axes.map((a) => a.values[0] as number);
  const out = [first, axes.map((a) => a.values[a.values.length - 1] as number)];
  axes.forEach((a, i) => {
    for (const j of [a.values.length - 1, a.values.length >> 1]) {
      const p = [...first];
      p[i] = a.values[j] as number;
      out.push(p);
    }
  });
  // Each point once (in 1-D the axis's last value is also the grid's last point).
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(p.join()) && seen.add(p.join()));
}

/** Where a result key of the fast path comes from. */
type Source = { kind: 'const'; fragment: string; value: unknown } | { kind: 'run'; prefix: string } | { kind: 'axis'; prefix: string; axis: number };

function fastEstimate(
  withValues: (values: readonly number[]) => FlagValues,
  presets: PresetSet,
  axes: readonly VaryAxis[],
): Evaluator | undefined {
  const first = axes.map((a) => a.values[0] as number);
  const inputsAt = (values: readonly number[]): RunInputs => toRunInputs(resolveScenario('estimate', withValues(values), presets));
  const reportAt = (values: readonly number[]): Report => buildEstimateReport(withValues(values), presets);
  const inputs0 = inputsAt(first);
  const leaves0 = leaves(inputs0);
  const results0 = definedResults(reportAt(first));
  const run0 = estimateRun(inputs0);
  const inputPaths: string[][][] = axes.map(() => []);
  const axisOf = new Map<string, number>();
  for (let i = 0; i < axes.length; i++) {
    const axis = axes[i] as VaryAxis;
    const other = axis.values.find((v) => v !== first[i]);
    if (other === undefined) continue;
    const at = [...first];
    at[i] = other;
    const leavesB = leaves(inputsAt(at));
    if (leavesB.size !== leaves0.size) return undefined;
    for (const [path, a] of leaves0) {
      if (!leavesB.has(path)) return undefined;
      const b = leavesB.get(path);
      if (a === b) continue;
      if (a !== first[i] || b !== other) return undefined;
      (inputPaths[i] as string[][]).push(path.split('.'));
    }
    if ((inputPaths[i] as string[][]).length === 0) return undefined;
    // Results outside the core's run (the report's own fields) must be constant or the varied value itself.
    const resultsB = definedResults(reportAt(at));
    for (const [k, a] of Object.entries(results0)) {
      if (k in run0 || JSON.stringify(a) === JSON.stringify(resultsB[k])) continue;
      if (a !== first[i] || resultsB[k] !== other || axisOf.has(k)) return undefined;
      axisOf.set(k, i);
    }
  }
  // The report's key order: keys of the first point's results, then any key only a later run has.
  const prefix = (k: string): string => `${JSON.stringify(k)}:`;
  const order: Array<[string, Source]> = Object.entries(results0).map(([k, v]): [string, Source] => {
    if (k in run0) return [k, { kind: 'run', prefix: prefix(k) }];
    const axis = axisOf.get(k);
    if (axis !== undefined) return [k, { kind: 'axis', prefix: prefix(k), axis }];
    return [k, { kind: 'const', fragment: prefix(k) + JSON.stringify(v), value: v }];
  });
  const known = new Set(Object.keys(results0));
  /** Returns the core's inputs at a point: inputs0 with the varied values, and without the parts in `skip`. */
  const inputsWithout = (skip: readonly string[]): ((values: readonly number[]) => RunInputs) => {
    // Set to undefined, not deleted: a deleted key would make V8 keep the object as a slow dictionary.
    const base: RunInputs = { ...inputs0, ...Object.fromEntries(skip.map((key) => [key, undefined])) };
    const paths = inputPaths.map((list) => list.filter((path) => !skip.includes(path[0] as string)));
    return (values) => {
      let inputs = base;
      for (let i = 0; i < axes.length; i++) for (const path of paths[i] as string[][]) inputs = setPath(inputs, path, values[i] as number);
      return inputs;
    };
  };
  const inputsFor = inputsWithout([]);
  const evaluate = (values: readonly number[]): PointResults => {
    const run = estimateRun(inputsFor(values)) as unknown as Record<string, unknown>;
    const results: PointResults = {};
    for (const [k, source] of order) {
      if (source.kind === 'const') results[k] = source.value;
      else if (source.kind === 'axis') results[k] = values[source.axis];
      else if (run[k] !== undefined) results[k] = run[k];
    }
    for (const k of Object.keys(run)) if (!known.has(k) && run[k] !== undefined) results[k] = run[k];
    return results;
  };
  const line = (values: readonly number[], shown: readonly number[]): string => {
    const run = estimateRun(inputsFor(values)) as unknown as Record<string, unknown>;
    let text = `${linePrefix(axes, shown)}{`;
    let sep = '';
    for (const [k, source] of order) {
      if (source.kind === 'const') text += sep + source.fragment;
      else if (source.kind === 'axis') text += `${sep}${source.prefix}${values[source.axis] as number}`;
      else {
        const v = run[k];
        if (v === undefined) continue;
        if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`sweep: ${k} is not finite`);
        text += sep + source.prefix + (typeof v === 'number' ? String(v) : JSON.stringify(v));
      }
      sep = ',';
    }
    for (const k of Object.keys(run)) if (!known.has(k) && run[k] !== undefined) text += `${sep}${prefix(k)}${JSON.stringify(run[k])}`;
    return `${text}}}`;
  };
  // --fields: each field read from where it comes from (run, varied value or fixed), no full results.
  const sourceOf = new Map(order);
  const select = (fields: readonly string[]): ((values: readonly number[]) => PointResults) => {
    const plan = fields.map((field) => {
      const parts = field.split('.');
      return { parts, source: sourceOf.get(parts[0] as string) };
    });
    // The memory view and the MFU range feed no other result: without a field of theirs, the core
    // is not asked for them (fewer objects per point).
    const heads = new Set(plan.map((p) => p.parts[0]));
    const inputsAt = inputsWithout([
      ...(heads.has('memory') ? [] : ['memory']),
      ...(heads.has('wallClockDaysRange') || heads.has('gpuHoursRange') ? [] : ['mfuRange']),
    ]);
    return (values) => {
      const run = estimateRun(inputsAt(values)) as unknown as Record<string, unknown>;
      const out: PointResults = {};
      for (const { parts, source } of plan) {
        const head = parts[0] as string;
        let value: unknown = source === undefined || source.kind === 'run' ? run[head] : source.kind === 'axis' ? values[source.axis] : source.value;
        for (let i = 1; i < parts.length && value !== undefined; i++) value = (value as Record<string, unknown> | null)?.[parts[i] as string];
        let target = out;
        for (let i = 0; i < parts.length - 1; i++) target = (target[parts[i] as string] ??= {}) as PointResults;
        target[parts[parts.length - 1] as string] = value;
      }
      return out;
    };
  };
  // The usual shape: the core's run is one block of the results, in its own key order, between
  // fixed or varied fields of the report. Then a row is a few pieces and one native JSON.stringify.
  const runKeys = Object.keys(run0);
  const firstRun = order.findIndex(([, source]) => source.kind === 'run');
  const block = order.slice(firstRun, firstRun + runKeys.length);
  const contiguous =
    firstRun >= 0 &&
    block.length === runKeys.length &&
    block.every(([k, source], i) => source.kind === 'run' && k === runKeys[i]) &&
    order.slice(firstRun + runKeys.length).every(([, source]) => source.kind !== 'run');
  if (contiguous) {
    const before = order.slice(0, firstRun);
    const after = order.slice(firstRun + runKeys.length);
    const afterText = after.map(([, source]) => `,${(source as { fragment: string }).fragment}`).join('');
    if (after.every(([, source]) => source.kind === 'const')) {
      const head = (values: readonly number[], shown: readonly number[]): string => {
        let text = `${linePrefix(axes, shown)}{`;
        for (const [, source] of before) {
          text += source.kind === 'const' ? `${source.fragment},` : `${(source as { prefix: string }).prefix}${values[(source as { axis: number }).axis] as number},`;
        }
        return text;
      };
      // "{}" when the run is empty would leave a trailing comma; the core always returns fields.
      const blockLine = (values: readonly number[], shown: readonly number[]): string =>
        `${head(values, shown)}${JSON.stringify(estimateRun(inputsFor(values))).slice(1, -1)}${afterText}}}`;
      // Fixed fields (e.g. the thresholds with their sources) are encoded once, not per row.
      const tail = Buffer.from(`${afterText}}}\n`, 'utf8');
      const pieces = before.map(([, source]): { bytes: Buffer } | { prefix: string; axis: number } =>
        source.kind === 'const' ? { bytes: Buffer.from(`${source.fragment},`, 'utf8') } : { prefix: (source as { prefix: string }).prefix, axis: (source as { axis: number }).axis },
      );
      const fixedBytes = tail.length + pieces.reduce((n, p) => n + ('bytes' in p ? p.bytes.length : 64), 0);
      const writeLine = (out: ByteChunks, values: readonly number[], shown: readonly number[]): void => {
        const run = JSON.stringify(estimateRun(inputsFor(values)));
        out.reserve(fixedBytes + 3 * run.length + 256);
        out.add(`${linePrefix(axes, shown)}{`);
        for (const piece of pieces) {
          if ('bytes' in piece) out.addBytes(piece.bytes);
          else out.add(`${piece.prefix}${values[piece.axis] as number},`);
        }
        out.addObjectBody(run);
        out.addBytes(tail);
      };
      return { evaluate, line: blockLine, writeLine, check: (values) => estimateRun(inputsFor(values)), select, fast: true };
    }
  }
  return { evaluate, line, writeLine: (out, values, shown) => out.add(`${line(values, shown)}\n`), check: (values) => estimateRun(inputsFor(values)), select, fast: true };
}

/** What `sweep` was asked for, read from commander's raw options. */
export interface SweepRequest {
  command: CommandName;
  flags: FlagValues;
  axes: VaryAxis[];
  /** Dotted result key charted and tabled first (--y). */
  y?: string;
  chart?: (typeof CHART_KINDS)[number];
  /** Dotted result keys kept in each row (--fields): "all", or the table's columns when undefined. */
  fields?: string[] | 'all';
}

/** Returns the sweep's command, fixed flags and axes from commander's raw options; throws UsageErrors. */
export function readSweepRequest(raw: Record<string, unknown>): SweepRequest {
  const command: CommandName = raw['solve'] === true ? 'solve' : 'estimate';
  if (command === 'estimate') {
    const solveOnly = optionsFor('solve').filter((o) => !optionsFor('estimate').includes(o));
    for (const o of solveOnly) if (raw[o.attr] !== undefined) throw new UsageError(`--${o.flag}: only with sweep --solve`);
  }
  const flags = readFlags(command, raw);
  const numeric = optionsFor(command).filter((o): o is NumberOption => o.kind === 'number');
  const texts = readVaryList(raw);
  if (texts.length === 0) throw new UsageError(`--vary: expected NAME=SPEC once or twice, ${VARY_USAGE}`);
  if (texts.length > 2) throw new UsageError(`--vary: expected at most two (a grid), got ${texts.length}`);
  const axes = texts.map((t) => parseVary(t, numeric));
  if (axes.length === 2 && axes[0]?.flag === axes[1]?.flag) throw new UsageError(`--vary: ${axes[0]?.flag} is varied twice`);
  for (const axis of axes) {
    if (flags[axis.flag] !== undefined) throw new UsageError(`--vary ${axis.flag}: also given as --${axis.flag}; give one or the other`);
  }
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  if (total > MAX_SWEEP_POINTS) throw new UsageError(`--vary: ${withCommas(total)} points, more than ${withCommas(MAX_SWEEP_POINTS)}`);
  const y = raw['y'];
  const chart = raw['chart'];
  const fields = typeof raw['fields'] !== 'string' ? undefined : raw['fields'].trim() === 'all' ? 'all' : raw['fields'].split(',').map((f) => f.trim());
  if (Array.isArray(fields) && (fields.length === 0 || fields.some((f) => f === ''))) throw new UsageError('--fields: expected result names separated by commas, e.g. wallClockDays,gpuHours, or all');
  return {
    ...(fields ? { fields } : {}),
    command,
    flags,
    axes,
    ...(typeof y === 'string' ? { y } : {}),
    ...(typeof chart === 'string' ? { chart: chart as SweepRequest['chart'] } : {}),
  };
}

function readVaryList(raw: Record<string, unknown>): string[] {
  const value = raw['vary'];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value.map(String) : [String(value)];
  return list;
}

/** The computed sweep: axes, every point's values and results, and the report of the first point. */
export interface Sweep {
  request: SweepRequest;
  /** Report of the first point (its inputs, warnings and notes describe the fixed scenario). */
  first: Report;
  /** Number of points (all --vary values multiplied). */
  count: number;
  /** Every point's results; with `lines`, only the first point's. */
  results: PointResults[];
  /** Every point's JSON row, one per line, as UTF-8 in pieces of 4 MB (NDJSON output needs no results objects). */
  lines?: Uint8Array[];
  /** Writes every point's row (NDJSON) in pieces, once all points are known to succeed (fast path). */
  writeRows?: (write: (bytes: Uint8Array) => void) => void;
  fast: boolean;
}


/** Returns the rows of a sweep (one object per point) for csv. */
function pointRows(sweep: Sweep): Array<Record<string, unknown>> {
  const { axes } = sweep.request;
  return sweep.results.map((_, p) => {
    const row: Record<string, unknown> = {};
    axes.forEach((a, i) => {
      row[a.flag] = shownAt(sweep, p, i);
    });
    row['results'] = sweep.results[p];
    return row;
  });
}

function shownAt(sweep: Sweep, point: number, axis: number): number {
  const axes = sweep.request.axes;
  // Points are in grid order (first axis outer): recover each axis's index from the point's index.
  let index = point;
  for (let i = axes.length - 1; i > axis; i--) index = Math.floor(index / (axes[i] as VaryAxis).values.length);
  const a = axes[axis] as VaryAxis;
  return a.shown[index % a.values.length] as number;
}

/** Returns the y field of a sweep: --y (checked against the numeric results), else the default. */
export function yField(sweep: Pick<Sweep, 'request' | 'results'>): FieldSpec {
  const first = sweep.results[0] ?? {};
  const fields = numericFields(first).filter((f) => typeof valueAt(first, f.key) === 'number');
  const wanted = sweep.request.y ?? (sweep.request.command === 'solve' && typeof first['solvedFor'] === 'string' ? first['solvedFor'] : 'wallClockDays');
  const field = fields.find((f) => f.key === wanted);
  if (!field) {
    throw new UsageError(`--y: expected a numeric result (${fields.map((f) => f.key).join(', ')}), got "${wanted}"`);
  }
  return field;
}

const DEFAULT_COLUMNS: Record<CommandName, readonly string[]> = {
  estimate: ['wallClockDays', 'gpuHours', 'capexUsd', 'energyCostUsd', 'powerMw'],
  solve: ['params', 'tokens', 'gpus', 'mfu', 'wallClockDays', 'feasible'],
};

function tableColumns(request: SweepRequest, first: PointResults, y: FieldSpec): FieldSpec[] {
  const keys = [y.key, ...DEFAULT_COLUMNS[request.command]].filter((k, i, all) => all.indexOf(k) === i);
  const axisFlags = new Set(request.axes.map((a) => a.flag));
  return keys
    .filter((k) => !axisFlags.has(k) && valueAt(first, k) !== undefined)
    .map((k) => RESULT_FIELDS.find((f) => f.key === k) ?? (k === y.key ? y : { key: k, label: k, unit: 'text' as const, group: 'Compute' as const }));
}

/** Returns the cells of the sweep table: a row per point (1-D), or a grid of the y field (2-D). */
export function sweepCells(sweep: Sweep, y: FieldSpec): { head: string[]; rows: string[][] } {
  const { axes } = sweep.request;
  if (axes.length === 2) {
    const [a, b] = axes as [VaryAxis, VaryAxis];
    const head = [`${y.label}: --${a.flag} \\ --${b.flag}`, ...b.shown.map((v) => formatQuantity(v))];
    const rows = a.shown.map((v, i) => [
      formatQuantity(v),
      ...b.shown.map((_, j) => formatHuman(valueAt(sweep.results[i * b.values.length + j] ?? {}, y.key), y.unit)),
    ]);
    return { head, rows };
  }
  const columns = tableColumns(sweep.request, sweep.results[0] ?? {}, y);
  const axis = axes[0] as VaryAxis;
  const head = [`--${axis.flag}`, ...columns.map((c) => c.label)];
  const rows = sweep.results.map((r, p) => [formatQuantity(axis.shown[p] as number), ...columns.map((c) => formatHuman(valueAt(r, c.key), c.unit))]);
  return { head, rows };
}

/** Returns the chart of a sweep: y against the first --vary, one series per value of the second. */
export function sweepChart(sweep: Sweep, y: FieldSpec): ChartSpec {
  const { axes } = sweep.request;
  const [a, b] = axes as [VaryAxis, VaryAxis | undefined];
  const { unit, scale } = unitAxis(y.unit);
  const yAt = (p: number): number => (valueAt(sweep.results[p] ?? {}, y.key) as number) * scale;
  const order = a.shown.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
  const series = b
    ? b.shown.map((bv, j) => ({ name: `--${b.flag} = ${formatQuantity(bv)}`, points: order.map(([x, i]) => [x, yAt(i * b.values.length + j)] as const) }))
    : [{ name: '', points: order.map(([x, i]) => [x, yAt(i)] as const) }];
  const scenario = sweep.first.title.replace(/^llmcost (estimate|solve): /, '');
  return {
    title: `${y.label} vs --${a.flag}: ${scenario}`,
    xLabel: axisLabel(a.option),
    yLabel: unit ? `${y.label} (${unit})` : y.label,
    series,
  };
}

/** How a sweep is shown: format, style, and whether a terminal chart may be drawn. */
export interface SweepOutputOptions {
  format: OutputFormat;
  style: Style;
  /** stdout is a terminal and no --out was given: the default chart is drawn. */
  terminal: boolean;
  /** Colour the terminal chart. */
  color: boolean;
}

/** Computes a sweep: resolves presets once, evaluates every point; throws on the first failing point. */
export function computeSweep(request: SweepRequest, presets: PresetSet, asLines = false): Sweep {
  const first = (request.command === 'solve' ? buildSolveReport : buildEstimateReport)(
    { ...request.flags, ...Object.fromEntries(request.axes.map((a) => [a.flag, a.values[0] as number])) },
    presets,
  );
  const fields = request.fields === 'all' ? undefined : (request.fields ?? defaultFields(request, first));
  const evaluator = withFields(makeEvaluator(request.command, request.flags, presets, request.axes), request.axes, fields, first);
  const count = request.axes.reduce((n, a) => n * a.values.length, 1);
  if (asLines && evaluator.fast && !fields) {
    // Full rows (~2 kB each) are not kept: every point is computed once to check that all succeed
    // (the core throws on a non-finite result), then again while its row is written, a piece at a
    // time. Short rows are cheaper to keep than to compute twice.
    forEachPoint(request.axes, (values) => evaluator.check(values));
    const writeRows = (write: (bytes: Uint8Array) => void): void => {
      const out = new ByteChunks(write);
      forEachPoint(request.axes, (values, shown) => evaluator.writeLine(out, values, shown));
      out.done();
    };
    return { request, first, count, results: [definedResults(first)], writeRows, fast: true };
  }
  if (asLines) {
    const chunks = new ByteChunks();
    forEachPoint(request.axes, (values, shown) => evaluator.writeLine(chunks, values, shown));
    return { request, first, count, results: [definedResults(first)], lines: chunks.done(), fast: evaluator.fast };
  }
  const results: PointResults[] = [];
  forEachPoint(request.axes, (values) => results.push(evaluator.evaluate(values)));
  return { request, first, count, results, fast: evaluator.fast };
}

/** Returns `results` with only the dotted `fields`, nested as in the results. */
export function pickFields(results: PointResults, fields: readonly string[]): PointResults {
  const out: PointResults = {};
  for (const field of fields) {
    const parts = field.split('.');
    let target = out;
    parts.slice(0, -1).forEach((part) => {
      target = (target[part] ??= {}) as PointResults;
    });
    target[parts[parts.length - 1] as string] = valueAt(results, field);
  }
  return out;
}

/**
 * Returns the results a sweep's rows keep when --fields is not given: the columns of its table (the
 * charted result, then the command's headline results), without the varied flags (each row has them).
 */
export function defaultFields(request: SweepRequest, first: Report): string[] {
  const results = definedResults(first);
  const y = yField({ request, results: [results] });
  const columns = tableColumns(request, results, y).map((f) => f.key);
  // A solve row says what was solved for (the table says it once, in its title and columns).
  return request.command === 'solve' && results['solvedFor'] !== undefined ? ['solvedFor', ...columns] : columns;
}

/** Returns the evaluator restricted to `fields` (checked against the first point's results), or as it is. */
function withFields(evaluator: Evaluator, axes: readonly VaryAxis[], fields: readonly string[] | undefined, first: Report): Evaluator {
  if (!fields) return evaluator;
  const results = definedResults(first);
  const unknown = fields.find((f) => valueAt(results, f) === undefined);
  if (unknown !== undefined) {
    const known = numericFields(results).map((f) => f.key);
    throw new UsageError(`--fields: no result "${unknown}"; expected names such as ${known.slice(0, 12).join(', ')}, or all`);
  }
  const evaluate = evaluator.select?.(fields) ?? ((values: readonly number[]): PointResults => pickFields(evaluator.evaluate(values), fields));
  // One small object per row and one JSON.stringify: faster than joining the numbers' texts by hand.
  const line = (values: readonly number[], shown: readonly number[]): string => pointLine(axes, shown, evaluate(values));
  return { evaluate, line, writeLine: (out, values, shown) => out.add(`${line(values, shown)}\n`), check: evaluator.check, fast: evaluator.fast };
}

/**
 * Calls `fn` for every point of the grid, first axis outer, with its base-unit and shown values
 * (the arrays are reused between calls: copy them to keep them).
 */
export function forEachPoint(axes: readonly VaryAxis[], fn: (values: readonly number[], shown: readonly number[]) => void): void {
  const values = axes.map(() => 0);
  const shown = axes.map(() => 0);
  const visit = (i: number): void => {
    const axis = axes[i];
    if (!axis) {
      fn(values, shown);
      return;
    }
    for (let j = 0; j < axis.values.length; j++) {
      values[i] = axis.values[j] as number;
      shown[i] = axis.shown[j] as number;
      visit(i + 1);
    }
  };
  visit(0);
}

/** Returns the JSON document of a sweep: the axes, the first point's inputs, and every point. */
function sweepJson(sweep: Sweep, lines: readonly string[]): string[] {
  const head = {
    schemaVersion: 1,
    command: 'sweep',
    sweeps: sweep.request.command,
    vary: sweep.request.axes.map((a) => ({ flag: a.flag, spec: a.spec, values: a.shown })),
    inputs: Object.fromEntries(Object.entries(sweep.first.inputs).filter(([, v]) => v !== undefined)),
    warnings: sweep.first.warnings,
    notes: sweep.first.notes,
  };
  const text = JSON.stringify(head, null, 2);
  return [`${text.slice(0, -2)},\n  "points": [\n`, ...lines.map((l, i) => `    ${l}${i === lines.length - 1 ? '' : ','}\n`), '  ]\n}\n'];
}

/**
 * Collects many short strings as UTF-8 in 1 MB buffers: kept (`done()` returns them), or, with a
 * `sink`, handed to it whenever one is full and then reused, so that a large output never sits in
 * memory: fresh memory costs a page fault per 4 kB, more than computing the rows.
 */
export class ByteChunks {
  private static readonly SIZE = 1 << 20;
  private readonly chunks: Buffer[] = [];
  private buffer = Buffer.allocUnsafe(ByteChunks.SIZE);
  private used = 0;
  private pending = '';

  /** `sink` gets each full piece, valid only during the call (the buffer is then reused). */
  constructor(private readonly sink?: (bytes: Uint8Array) => void) {}

  private emit(bytes: Buffer): void {
    if (this.sink) this.sink(bytes);
    else this.chunks.push(bytes);
  }

  /**
   * Appends text (UTF-8). Short texts are joined first and encoded some 32 kB at a time: one
   * Buffer.write per row costs more than the row.
   */
  add(text: string): void {
    this.pending += text;
    if (this.pending.length >= 1 << 12) this.flushText();
  }

  private flushText(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    const most = text.length * 3;
    if (this.used + most > this.buffer.length) {
      this.flush();
      if (most > this.buffer.length) {
        this.emit(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  /** Makes room for `bytes` more in the current piece (so that a row is never split between pieces). */
  reserve(bytes: number): void {
    this.flushText();
    if (this.used + bytes > this.buffer.length) this.flush();
  }

  /**
   * Appends a JSON object's text without its braces ("{a}" → "a"), without copying the string:
   * written one byte early over the previous byte, which is then put back. Needs a previous byte
   * in the current piece (call reserve first, then add something).
   */
  addObjectBody(json: string): void {
    this.flushText();
    if (this.used === 0 || this.used + 3 * json.length > this.buffer.length) {
      this.add(json.slice(1, -1));
      return;
    }
    const at = this.used - 1;
    const previous = this.buffer[at] as number;
    const written = this.buffer.write(json, at, 'utf8');
    this.buffer[at] = previous;
    this.used = at + written - 1;
  }

  /** Appends bytes (already UTF-8). */
  addBytes(bytes: Uint8Array): void {
    this.flushText();
    if (this.used + bytes.length > this.buffer.length) {
      this.flush();
      if (bytes.length > this.buffer.length) {
        this.emit(Buffer.from(bytes));
        return;
      }
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Returns the bytes kept, in order (none with a sink: all went to it). */
  done(): Buffer[] {
    this.flushText();
    this.flush();
    return this.chunks;
  }

  private flush(): void {
    if (this.used === 0) return;
    if (this.sink) this.sink(this.buffer.subarray(0, this.used));
    else {
      this.chunks.push(this.buffer.subarray(0, this.used));
      this.buffer = Buffer.allocUnsafe(ByteChunks.SIZE);
    }
    this.used = 0;
  }
}

/** Joins many short strings into pieces of about 1 MB, so that large outputs are written in few calls. */
function pack(parts: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const part of parts) {
    current += part;
    if (current.length > 1 << 20) {
      out.push(current);
      current = '';
    }
  }
  if (current) out.push(current);
  return out;
}

/** Returns the output of a computed sweep in the chosen format (or the chart). */
export async function renderSweep(sweep: Sweep, options: SweepOutputOptions): Promise<CommandOutput> {
  const { axes } = sweep.request;
  const chart = sweep.request.chart;
  if (chart === 'svg') {
    if (options.format !== 'table') throw new UsageError(`--chart svg: the SVG is the output; leave out --format ${options.format}`);
    return { stdout: renderSvgChart(sweepChart(sweep, yField(sweep))) };
  }
  const y = (): FieldSpec => yField(sweep);
  const shown = (p: number): number[] => axes.map((_, i) => shownAt(sweep, p, i));
  const lines = (): string[] => sweep.results.map((r, p) => pointLine(axes, shown(p), r));
  switch (options.format) {
    case 'ndjson':
      if (sweep.writeRows) return { stdout: '', writeRest: sweep.writeRows };
      return { stdout: '', chunks: sweep.lines ?? pack(lines().map((l) => `${l}\n`)) };
    case 'json':
      return { stdout: '', chunks: pack(sweepJson(sweep, lines())) };
    case 'csv':
      return { stdout: renderCsv(pointRows(sweep)) };
    case 'markdown': {
      const { head, rows } = sweepCells(sweep, y());
      const title = `### llmcost sweep: ${sweep.first.title.replace(/^llmcost /, '')}, ${axes.map((a) => `--vary ${a.flag}=${a.spec}`).join(' ')}`;
      return { stdout: `${title}\n\n${renderMarkdownTable(head, rows, head.map((_, i) => (i === 0 ? 'l' : 'r')))}` };
    }
    case 'table': {
      const { head, rows } = sweepCells(sweep, y());
      const { fitTable, wrapText } = await import('../format/layout.js');
      const { width } = options.style;
      const table = fitTable({ head: head.map((h) => options.style.bold(h)), rows, width });
      const out = [
        ...wrapText(`llmcost sweep: ${sweep.first.title.replace(/^llmcost /, '')}`, width).map(options.style.bold),
        ...wrapText(`${axes.map((a) => `--vary ${a.flag}=${a.spec}`).join(', ')} (${withCommas(sweep.count)} points)`, width),
        '',
      ];
      if (chart === 'terminal' || (chart === undefined && options.terminal)) {
        const { renderTerminalChart } = await import('../format/chart.js');
        out.push(renderTerminalChart(sweepChart(sweep, y()), { color: options.color }));
      }
      out.push(table);
      for (const note of sweep.first.notes) out.push(...wrapText(note, width, 'note (first point): ', 6));
      return { stdout: `${out.join('\n')}\n` };
    }
  }
}

/** Runs `sweep`: reads the request, computes every point, renders. */
export async function sweepCommand(raw: Record<string, unknown>, presets: () => PresetSet, options: SweepOutputOptions): Promise<CommandOutput> {
  const request = readSweepRequest(raw);
  const asLines = options.format === 'ndjson' && request.chart !== 'svg';
  const sweep = computeSweep(request, presets(), asLines);
  // The first point's warnings go to stderr (the entry writes them, in every format).
  return { ...(await renderSweep(sweep, options)), warnings: sweep.first.warnings.map((w) => `first point: ${w}`) };
}

