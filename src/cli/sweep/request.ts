// Reads what `sweep` was asked for from commander's options: the command, fixed flags, axes, --y, --fields, --chart.
import { UsageError } from '../../errors.js';
import { withCommas } from '../../format/human.js';
import type { FlagValues } from '../../scenario/types.js';
import type { CHART_KINDS } from '../command-options.js';
import { readFlags } from '../flags.js';
import { optionsFor, type CommandName, type NumberOption } from '../options.js';
import { MAX_SWEEP_POINTS, parseVary, pointCount, VARY_USAGE, type VaryAxis } from './vary.js';

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
  const texts = raw['vary'] === undefined ? [] : Array.isArray(raw['vary']) ? raw['vary'].map(String) : [String(raw['vary'])];
  if (texts.length === 0) throw new UsageError(`--vary: expected NAME=SPEC once or twice, ${VARY_USAGE}`);
  if (texts.length > 2) throw new UsageError(`--vary: expected at most two (a grid), got ${texts.length}`);
  const axes = texts.map((t) => parseVary(t, numeric));
  if (axes.length === 2 && axes[0]?.flag === axes[1]?.flag) throw new UsageError(`--vary: ${axes[0]?.flag} is varied twice`);
  for (const axis of axes) {
    if (flags[axis.flag] !== undefined) throw new UsageError(`--vary ${axis.flag}: also given as --${axis.flag}; give one or the other`);
  }
  const total = pointCount(axes);
  if (total > MAX_SWEEP_POINTS) throw new UsageError(`--vary: ${withCommas(total)} points, more than ${withCommas(MAX_SWEEP_POINTS)}`);
  const y = raw['y'];
  const chart = raw['chart'];
  const fields = typeof raw['fields'] !== 'string' ? undefined : raw['fields'].trim() === 'all' ? 'all' : raw['fields'].split(',').map((f) => f.trim());
  if (Array.isArray(fields) && (fields.length === 0 || fields.some((f) => f === ''))) {
    throw new UsageError('--fields: expected result names separated by commas, e.g. wallClockDays,gpuHours, or all');
  }
  return {
    ...(fields ? { fields } : {}),
    command,
    flags,
    axes,
    ...(typeof y === 'string' ? { y } : {}),
    ...(typeof chart === 'string' ? { chart: chart as SweepRequest['chart'] } : {}),
  };
}
