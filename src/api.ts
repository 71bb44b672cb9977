import { buildEstimateReport } from './cli/estimate.js';
import { readFlags } from './cli/flags.js';
import { buildSolveReport } from './cli/solve.js';
import { toJsonDocument, type JsonDocument } from './format/json.js';
import type { PresetSet } from './presets/parse.js';
import { loadPresets } from './presets/load.js';

/**
 * Options of estimate/solve, named as the CLI flags in camelCase (`peakTflops` for --peak-tflops).
 * Numbers may be given as numbers or as the CLI accepts them ("405B", "15T", "3.8e25").
 */
export type RunOptions = Record<string, string | number | boolean | undefined>;

let builtin: PresetSet | undefined;
const presetsOrBuiltin = (presets?: PresetSet): PresetSet => presets ?? (builtin ??= loadPresets());

/**
 * Returns the same document as `llmcost estimate --json` (schemaVersion 1).
 * @example estimate({ model: 'llama-405b', cluster: 'h100x16k' }).results.wallClockDays // ≈ 67.7
 */
export function estimate(options: RunOptions = {}, presets?: PresetSet): JsonDocument {
  return toJsonDocument(buildEstimateReport(readFlags('estimate', options), presetsOrBuiltin(presets)));
}

/**
 * Returns the same document as `llmcost solve --json` (schemaVersion 1).
 * @example solve({ days: 100, tokens: '15T' }).results.params
 */
export function solve(options: RunOptions, presets?: PresetSet): JsonDocument {
  return toJsonDocument(buildSolveReport(readFlags('solve', options), presetsOrBuiltin(presets)));
}
