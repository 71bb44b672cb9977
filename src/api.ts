import { buildEstimateReport, type EstimateResults } from './cli/estimate.js';
import { readFlags } from './cli/flags.js';
import { optionsFor, type CommandName, type CommandOptions } from './cli/options.js';
import { buildSolveReport, type SolveResults } from './cli/solve.js';
import { UsageError } from './errors.js';
import { toJsonDocument } from './format/json.js';
import type { PresetSet } from './presets/parse.js';
import { loadPresets } from './presets/load.js';
import { presetSources } from './presets/sources.js';
import { closestNames } from './presets/suggest.js';
import type { Scenario } from './scenario/types.js';

export type { EstimateResults } from './cli/estimate.js';
export type { SolveResults } from './cli/solve.js';

/**
 * Options of `estimate()`, generated from the option registry: named as the CLI flags in camelCase
 * (`peakTflops` for --peak-tflops; `failures: false` for --no-failures). Numbers may be given as
 * numbers or as the CLI takes them ("405B", "16,384", "40%" for a fraction); `presetsDir` adds one
 * directory of user presets (the environment is not read). An unknown option does not compile,
 * and is an error at run time for JavaScript callers.
 */
export type EstimateOptions = Omit<CommandOptions<'estimate'>, 'json'>;
/** Options of `solve()`: those of estimate() plus `days`, `for` and `tokensPerParam`. */
export type SolveOptions = Omit<CommandOptions<'solve'>, 'json'>;
/** The options of either (kept for existing callers). */
export type RunOptions = EstimateOptions | SolveOptions;

/** A results object as the JSON prints it: fields that may be undefined are optional (JSON leaves them out). */
export type Printed<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> };

/** The document of one run, as `llmcost estimate --json` / `solve --json` print it (schemaVersion 1). */
export interface RunDocument<C extends CommandName, R> {
  schemaVersion: 1;
  command: C;
  /** Every input with its value, origin ("flag", "default", "preset:NAME", "derived") and source. */
  inputs: Scenario;
  results: Printed<R>;
  /** What makes a number untrustworthy or missing (the CLI prints these on stderr). */
  warnings: string[];
  /** How figures were obtained. */
  notes: string[];
}

/** The document `estimate()` returns: the same as `llmcost estimate --json`. */
export type EstimateDocument = RunDocument<'estimate', EstimateResults>;
/** The document `solve()` returns: the same as `llmcost solve --json`. */
export type SolveDocument = RunDocument<'solve', SolveResults>;

let builtin: PresetSet | undefined;
/** The presets passed in, else the built-ins plus `presetsDir` (one directory, as --presets-dir) when given. */
const presetsOrBuiltin = (presets: PresetSet | undefined, options: Readonly<Record<string, unknown>>): PresetSet => {
  if (presets) return presets;
  const dir = options['presetsDir'];
  if (dir === undefined) return (builtin ??= loadPresets());
  return loadPresets(presetSources({ env: {}, flagDirs: [String(dir)] }));
};

/** Returns the options as flag values; throws a UsageError for an option the command does not take (with the closest names). */
function checkedFlags(command: CommandName, options: object): ReturnType<typeof readFlags> {
  const known = optionsFor(command).filter((o) => o.flag !== 'json').map((o) => o.attr);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const near = closestNames(key, known);
      throw new UsageError(`${command}: unknown option "${key}"; did you mean ${near.map((n) => `"${n}"`).join(', ')}?`);
    }
  }
  return readFlags(command, options as Record<string, unknown>);
}

/**
 * Returns the same document as `llmcost estimate --json` (schemaVersion 1); throws a UsageError
 * (bad option or value), a PresetError (bad user preset) or a ComputeError.
 * @example estimate({ model: 'llama-405b', cluster: 'h100x16k' }).results.wallClockDays // ≈ 81.0 (days: failures and the run-utilization prior included)
 * @example estimate({ model: 'llama-405b', cluster: 'h100x16k', failures: false }).results.wallClockDays // ≈ 74.9
 */
export function estimate(options: EstimateOptions = {}, presets?: PresetSet): EstimateDocument {
  const flags = checkedFlags('estimate', options);
  return toJsonDocument(buildEstimateReport(flags, presetsOrBuiltin(presets, options))) as unknown as EstimateDocument;
}

/**
 * Returns the same document as `llmcost solve --json` (schemaVersion 1); the solved quantity is
 * `results[results.solvedFor]`.
 * @example solve({ days: 100, tokens: '15T' }).results.params // ≈ 1.56e12 (parameters, on the default cluster)
 * @example solve({ model: 'llama-405b', days: 30 }).results.gpus // ≈ 78.8k (no cluster given: the GPU count is the unknown)
 */
export function solve(options: SolveOptions, presets?: PresetSet): SolveDocument {
  const flags = checkedFlags('solve', options);
  return toJsonDocument(buildSolveReport(flags, presetsOrBuiltin(presets, options))) as unknown as SolveDocument;
}
