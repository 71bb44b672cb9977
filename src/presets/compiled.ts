// The built-in presets, validated once by the build and stored as JSON data (dist/presets.json, laid
// out by compiled-text.ts), so that the CLI's start-up reads one file and skips zod, with their run
// calibration (fitted on the published runs) computed too. User presets are always validated and
// calibrated at run time.
import { compileCalibration, useCompiledCalibration, type CompiledCalibration } from './calibrate.js';
import type { Located, PresetSet } from './parse.js';
import type { ClusterPreset, Defaults, GpuPreset, ModelPreset } from './schema.js';

/** Version of the compiled format; a file of another version is not used (the presets are parsed instead). */
export const COMPILED_PRESETS_FORMAT = 2;

/** Validated presets as JSON data: each kind in the order of the set, the defaults, and the set's run calibration. */
export interface CompiledPresets {
  compiledPresetsFormat: typeof COMPILED_PRESETS_FORMAT;
  gpus: Array<Located<GpuPreset>>;
  models: Array<Located<ModelPreset>>;
  clusters: Array<Located<ClusterPreset>>;
  defaults: Defaults;
  calibration: CompiledCalibration;
}

/**
 * Returns a validated preset set as JSON data (what the build writes to dist/presets.json).
 * @example compilePresets(loadPresets()).gpus[0].name // "a100-40gb"
 */
export function compilePresets(set: PresetSet): CompiledPresets {
  return {
    compiledPresetsFormat: COMPILED_PRESETS_FORMAT,
    gpus: [...set.gpus.values()],
    models: [...set.models.values()],
    clusters: [...set.clusters.values()],
    defaults: set.defaults,
    calibration: compileCalibration(set),
  };
}

/** Returns the preset set of compiled data, or undefined when `value` is not compiled presets of this format. */
export function presetsFromCompiled(value: unknown): PresetSet | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const data = value as Partial<CompiledPresets>;
  if (data.compiledPresetsFormat !== COMPILED_PRESETS_FORMAT) return undefined;
  if (!Array.isArray(data.gpus) || !Array.isArray(data.models) || !Array.isArray(data.clusters) || !data.defaults) return undefined;
  if (!data.calibration || !Array.isArray(data.calibration.observations)) return undefined;
  const byName = <T extends { name: string }>(list: T[]): Map<string, T> => new Map(list.map((p) => [p.name, p]));
  const set: PresetSet = { gpus: byName(data.gpus), models: byName(data.models), clusters: byName(data.clusters), defaults: data.defaults };
  useCompiledCalibration(set, data.calibration);
  return set;
}
