// Parses --vary NAME=SPEC into an axis of values, and walks the grid of one or two axes.
import { parseQuantity } from '../../core/units.js';
import { isUserError, UsageError } from '../../errors.js';
import { withCommas } from '../../format/human.js';
import { closestNames } from '../../presets/suggest.js';
import { parseNumberOption, type NumberOption } from '../options.js';

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

/** What --vary expects, for its errors. */
export const VARY_USAGE = 'expected NAME=START:STOP:STEP, NAME=START:STOP:*FACTOR or NAME=V1,V2,... (e.g. mfu=0.3:0.5:0.05, gpus=8k,16k,32k)';

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
  if (!option) {
    const near = closestNames(flag, options.map((o) => o.flag)).join(', ');
    return fail(`expected NAME to be a numeric flag of this sweep, got "${flag.length > 40 ? `${flag.slice(0, 37)}...` : flag}"; did you mean ${near}?`);
  }
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
    if (stepText.trim().startsWith('*')) {
      const factor = number(stepText.trim().slice(1), 'factor');
      if (!(factor > 1)) fail(`expected a factor above 1 after "*", got "${stepText}"`);
      if (start === 0) fail('a geometric range (*FACTOR) needs a start above 0');
      shown = [];
      for (let v = start; v <= stop * (1 + 1e-12); v *= factor) {
        shown.push(clean(v));
        if (shown.length > MAX_SWEEP_POINTS) fail(`more than ${withCommas(MAX_SWEEP_POINTS)} values`);
      }
    } else {
      const step = number(stepText, 'step');
      if (step === 0) fail('expected a step above 0');
      const count = Math.floor((stop - start) / step + 1e-9) + 1;
      if (count > MAX_SWEEP_POINTS) fail(`${withCommas(count)} values, more than ${withCommas(MAX_SWEEP_POINTS)}`);
      shown = arithmeticRange(start, step, count);
    }
  } else {
    const parts = spec.split(',');
    if (parts.length > MAX_SWEEP_POINTS) fail(`${withCommas(parts.length)} values, more than ${withCommas(MAX_SWEEP_POINTS)}`);
    shown = parts.map((part, i) => number(part, `value ${i + 1}`));
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
      const fraction = shown.find((v) => !Number.isInteger(v));
      if (fraction !== undefined) check(fraction);
    }
    const scale = option.scale ?? 1;
    // Without a unit change the values are the shown ones: one array, not two, for a million points.
    values = scale === 1 ? shown : shown.map((v) => v * scale);
  } else values = shown.map(check);
  return { flag, option, spec, shown, values };
}

/** Returns `count` values from `start` by `step`: whole numbers add up exactly, fractions are rounded to 12 digits (0.3 + 0.05 x 3 = 0.45). */
function arithmeticRange(start: number, step: number, count: number): number[] {
  const out = new Array<number>(count);
  if (Number.isInteger(start) && Number.isInteger(step)) for (let i = 0; i < count; i++) out[i] = start + i * step;
  else for (let i = 0; i < count; i++) out[i] = clean(start + i * step);
  return out;
}

/** Returns the number of points of a grid (all axes' value counts multiplied). */
export function pointCount(axes: readonly VaryAxis[]): number {
  return axes.reduce((n, a) => n * a.values.length, 1);
}

/**
 * Calls `fn` for every point of the grid, first axis outer, with its base-unit and shown values and
 * its index (the arrays are reused between calls: copy them to keep them).
 */
export function forEachPoint(axes: readonly VaryAxis[], fn: (values: readonly number[], shown: readonly number[], index: number) => void): void {
  const values = axes.map(() => 0);
  const shown = axes.map(() => 0);
  const [a, b] = axes;
  if (!a) return;
  let index = 0;
  for (let i = 0; i < a.values.length; i++) {
    values[0] = a.values[i] as number;
    shown[0] = a.shown[i] as number;
    if (!b) {
      fn(values, shown, index++);
      continue;
    }
    for (let j = 0; j < b.values.length; j++) {
      values[1] = b.values[j] as number;
      shown[1] = b.shown[j] as number;
      fn(values, shown, index++);
    }
  }
}

/**
 * Returns `fn` so that a point that fails (a non-finite result, say) is named in its error:
 * "--gpus 1e15: wallClockSeconds ... would not be a finite number".
 */
export function namingPoint<T extends unknown[]>(
  axes: readonly VaryAxis[],
  fn: (values: readonly number[], shown: readonly number[], ...rest: T) => void,
): (values: readonly number[], shown: readonly number[], ...rest: T) => void {
  return (values, shown, ...rest) => {
    try {
      fn(values, shown, ...rest);
    } catch (error) {
      const point = axes.map((a, i) => `--${a.flag} ${shown[i] as number}`).join(' ');
      // A plan error names its flag and value already ("--tensor-parallel 3 = 3: ...").
      if (isUserError(error) && !error.message.startsWith(`${point}:`) && !error.message.startsWith(`${point} `)) error.message = `${point}: ${error.message}`;
      throw error;
    }
  };
}
