import { buildEstimateReport } from './cli/estimate.js';
import { readFlags } from './cli/flags.js';
import { buildSolveReport } from './cli/solve.js';
import { toJsonDocument, type JsonDocument } from './format/json.js';
import type { PresetSet } from './presets/parse.js';
import { loadPresets } from './presets/load.js';
import { presetSources } from './presets/sources.js';

/**
 * Options of estimate/solve, named as the CLI flags in camelCase (`peakTflops` for --peak-tflops).
 * Numbers may be given as numbers or as the CLI accepts them ("405B", "15T", "3.8e25");
 * `presetsDir` adds one directory of user presets (the environment is not read).
 */
export type RunOptions = Record<string, string | number | boolean | undefined>;

let builtin: PresetSet | undefined;
/** The presets passed in, else the built-ins plus `presetsDir` (one directory, as --presets-dir) when given. */
const presetsOrBuiltin = (presets: PresetSet | undefined, options: RunOptions): PresetSet => {
  if (presets) return presets;
  const dir = options['presetsDir'];
  if (dir === undefined) return (builtin ??= loadPresets());
  return loadPresets(presetSources({ env: {}, flagDirs: [String(dir)] }));
};

/**
 * Returns the same document as `llmcost estimate --json` (schemaVersion 1).
 * @example estimate({ model: 'llama-405b', cluster: 'h100x16k' }).results.wallClockDays // ≈ 67.7
 */
export function estimate(options: RunOptions = {}, presets?: PresetSet): JsonDocument {
  return toJsonDocument(buildEstimateReport(readFlags('estimate', options), presetsOrBuiltin(presets, options)));
}

/**
 * Returns the same document as `llmcost solve --json` (schemaVersion 1).
 * @example solve({ days: 100, tokens: '15T' }).results.params
 */
export function solve(options: RunOptions, presets?: PresetSet): JsonDocument {
  return toJsonDocument(buildSolveReport(readFlags('solve', options), presetsOrBuiltin(presets, options)));
}
