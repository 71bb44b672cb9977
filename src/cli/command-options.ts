import { FORMATS } from '../format/formats.js';
import type { BooleanOption, StringOption } from './options.js';

/**
 * The flags of the output and of compare/sweep, beside the run inputs of options.ts. Kept out of
 * OPTIONS on purpose: --out writes files, so it must never be drawn by tests that feed hostile
 * values to every run-input flag.
 */
export type CommandOptionSpec = (StringOption | BooleanOption) & { repeatable?: boolean };

const str = (flag: string, arg: string, help: string, extra: Partial<StringOption> = {}): StringOption => ({
  kind: 'string',
  flag,
  attr: flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
  arg,
  help,
  commands: ['estimate', 'solve'],
  ...extra,
});

/** --format and --out: every command (estimate, solve, presets, compare, sweep) takes them. */
export const OUTPUT_OPTIONS: readonly StringOption[] = [
  str('format', '<fmt>', `output format: ${FORMATS.join(', ')} (--json is --format json)`, { choices: FORMATS }),
  str('out', '<file>', 'write the output to FILE instead of stdout (atomically: temp file + rename; - is stdout)'),
];

/** How much a table shows: --full (estimate, solve, compare) and --quiet (every command). */
export const VIEW_OPTIONS: readonly BooleanOption[] = [
  { kind: 'boolean', flag: 'full', attr: 'full', help: 'table: every result group and every assumption with its origin (default: the headline figures; json, csv, ndjson and markdown are always complete)', commands: ['estimate', 'solve'] },
  { kind: 'boolean', flag: 'quiet', attr: 'quiet', help: 'print only the result: no title, assumptions or notes (warnings still go to stderr)', commands: ['estimate', 'solve'] },
];

/** Flags of `compare` besides the estimate flags (--model, --cluster and --gpu may be repeated there). */
export const COMPARE_OPTIONS: readonly CommandOptionSpec[] = [
  str('scenarios', '<file>', 'JSON file: a list of {name?, ...estimate options in camelCase}, one per column'),
];

/** The estimate flags that `compare` takes more than once: one scenario per value (all combinations). */
export const COMPARE_LIST_FLAGS = ['model', 'cluster', 'gpu'] as const;

/** The charts `sweep --chart` draws. */
export const CHART_KINDS = ['terminal', 'svg', 'none'] as const;

/** Flags of `sweep` besides the estimate/solve flags. */
export const SWEEP_OPTIONS: readonly CommandOptionSpec[] = [
  str('vary', '<name=spec>', 'a numeric flag and its values: mfu=0.3:0.5:0.05 (start:stop:step), gpus=8k:128k:*2 (x2 steps) or gpus=8k,16k,32k (list); twice for a grid', {
    repeatable: true,
  }),
  { kind: 'boolean', flag: 'solve', attr: 'solve', help: 'sweep `solve` instead of `estimate` (--days, --for, --tokens-per-param then apply)', commands: ['solve'] },
  str('y', '<field>', 'result charted against the first --vary (default: wallClockDays; with --solve the solved quantity)'),
  str('fields', '<list>', 'results kept in each row (csv, ndjson, json), comma-separated dotted names, e.g. wallClockDays,reliability.goodput, or all (every result but throughput; all,throughput adds it); default: the table\'s columns'),
  str('chart', '<kind>', 'terminal (default on a TTY with --format table), svg (the SVG is the output: --out FILE or stdout) or none', {
    choices: CHART_KINDS,
  }),
];

/** Flags of `plan` besides the estimate flags (those of the plan fix its knobs; the rest are searched). */
export const PLAN_OPTIONS: readonly CommandOptionSpec[] = [str('top', '<n>', 'plans to list, fastest first (default 10)')];
