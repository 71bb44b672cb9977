import * as z from 'zod/mini';
import { echo, safeText } from '../text.js';
import { parseJsonData } from './json-data.js';
import {
  clusterSchema,
  defaultsSchema,
  gpuSchema,
  modelSchema,
  type ClusterPreset,
  type Defaults,
  type GpuPreset,
  type ModelPreset,
  type PresetKind,
} from './schema.js';

/** One preset file's text and where it came from. */
export interface PresetFile {
  /** Path shown in errors. */
  path: string;
  kind: PresetKind | 'defaults';
  text: string;
  /** Where the file's source is: "built-in" or a directory. */
  origin: string;
}

/** A preset with the file it came from. */
export type Located<T> = T & { file: string; origin: string };

/** Every preset, by kind and name, plus the global defaults. */
export interface PresetSet {
  gpus: Map<string, Located<GpuPreset>>;
  models: Map<string, Located<ModelPreset>>;
  clusters: Map<string, Located<ClusterPreset>>;
  defaults: Defaults;
}

/** The outcome of parsing: the presets when there are no errors, and every error (one line each). */
export interface ParseOutcome {
  presets?: PresetSet;
  errors: string[];
}

const SCHEMAS = { gpus: gpuSchema, models: modelSchema, clusters: clusterSchema, defaults: defaultsSchema } as const;

// Kept here too for existing importers; json-data.ts has no zod, so the CLI's hot path can use it.
export { parseJsonData };
/** Returns a preset's JSON without a top-level "$schema" string (editors use it to find presets/schema/*.json). */
function withoutSchemaKey(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const { $schema, ...rest } = value as Record<string, unknown>;
  return typeof $schema === 'string' ? rest : value;
}

/**
 * The parts of a zod issue that formatIssue reads: a structural type, so that the published type
 * declarations do not need zod's (zod is bundled, not a dependency).
 */
export interface SchemaIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  /** The unknown keys of an "unrecognized_keys" issue. */
  keys?: readonly string[];
}

/**
 * Formats a zod issue as `path: message, got X`. In a preset (`sourced`), a bare number where an
 * object is expected is told the shape every preset number takes: { "value": 400, "source": "..." }.
 */
export function formatIssue(issue: SchemaIssue, input: unknown, sourced = false): string {
  const path = issue.path.length === 0 ? '(top level)' : safeText(issue.path.map(String).join('.'));
  // zod's default texts ("Invalid input: expected string, received undefined") → "expected string"; ", got ..." follows.
  let message = issue.message.replace(/^Invalid (input|option): /, '').replace(/, received \w+$/, '');
  if (issue.code === 'unrecognized_keys') {
    const unknown = issue.keys ?? [];
    const keys = unknown.slice(0, 5).map((k) => echo(k)).join(', ');
    message = `unknown key${unknown.length > 1 ? 's' : ''} ${keys}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`;
  }
  const got = valueAt(input, issue.path);
  // A whole file that is a number is no misplaced preset number: only a field gets the hint.
  if (sourced && issue.path.length > 0 && message === 'expected object' && (typeof got === 'number' || typeof got === 'string')) {
    message = `expected { "value": ${typeof got === 'number' ? got : '...'}, "source": "where the number comes from" } (every preset number carries its source; "note" is optional)`;
  }
  // A relation's message (src/core/quantity.ts) already says what it got.
  const says = issue.code === 'custom' && message.includes(', got ');
  const gotText = issue.code === 'unrecognized_keys' || says ? '' : got === MISSING ? ', got nothing' : `, got ${echo(got)}`;
  return `${path}: ${message}${gotText}`;
}

const MISSING = Symbol('missing');
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return MISSING;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}


/**
 * Returns why a published run is impossible, or undefined: its accelerator-hours (reported, or
 * wall-clock x GPUs) shorter than 6 x (active) params x tokens take at the GPU's highest dense peak,
 * i.e. an MFU above 1. A neighbour check of the quantity rule set: each number is fine alone.
 */
function runFasterThanPeak(model: ModelPreset, gpu: Located<GpuPreset>): string | undefined {
  const run = model.run;
  const peaks = Object.values(gpu.peakTflops).map((p) => p?.value ?? 0);
  const peakFlopsPerSecond = Math.max(...peaks) * 1e12;
  const floorHours = (6 * (model.activeParams ?? model.params).value * model.tokens.value) / (peakFlopsPerSecond * 3600);
  if (!run || !Number.isFinite(floorHours)) return undefined;
  const least = (hours: number): string => `${Number(hours.toPrecision(3))}`;
  if (run.gpuHours && run.gpuHours.value < floorHours) {
    return `run.gpuHours.value: expected at least ${least(floorHours)} (6 x params x tokens at the highest dense peak of ${gpu.file}: an MFU above 1 otherwise), got ${run.gpuHours.value}`;
  }
  if (!run.gpuHours && run.wallClockDays && run.gpus && run.wallClockDays.value * 24 * run.gpus.value < floorHours) {
    const days = floorHours / (24 * run.gpus.value);
    return `run.wallClockDays.value: expected at least ${least(days)} on ${run.gpus.value} GPUs (6 x params x tokens at the highest dense peak of ${gpu.file}: an MFU above 1 otherwise), got ${run.wallClockDays.value}`;
  }
  return undefined;
}

/**
 * Parses and validates preset files (pure); later files override earlier ones of the same kind and
 * name (a later defaults.json overrides the keys it has), duplicates within one origin are errors, and
 * cross-references (cluster → GPU, run → GPU) are checked.
 */
export function parsePresets(files: readonly PresetFile[]): ParseOutcome {
  const errors: string[] = [];
  const gpus = new Map<string, Located<GpuPreset>>();
  const models = new Map<string, Located<ModelPreset>>();
  const clusters = new Map<string, Located<ClusterPreset>>();
  let defaults: Defaults | undefined;
  const maps = { gpus, models, clusters } as const;
  // Names of presets whose file did not validate: a reference to one is not a second problem.
  const invalid = { gpus: new Set<string>(), models: new Set<string>(), clusters: new Set<string>(), defaults: new Set<string>() };

  for (const file of files) {
    const json = parseJsonData(file.text);
    if (!json.ok) {
      errors.push(`${file.path}: ${json.error}`);
      continue;
    }
    // The first defaults.json (the built-in one) is complete; a later one overrides only the keys it has.
    const schema = file.kind === 'defaults' && defaults ? z.partial(defaultsSchema) : SCHEMAS[file.kind];
    const parsed = schema.safeParse(withoutSchemaKey(json.value));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(`${file.path}: ${formatIssue(issue, json.value, true)}`);
      const name = json.value !== null && typeof json.value === 'object' ? (json.value as { name?: unknown }).name : undefined;
      invalid[file.kind].add(file.kind === 'defaults' ? 'defaults' : String(name));
      continue;
    }
    if (file.kind === 'defaults') {
      const given = Object.entries(parsed.data as Partial<Defaults>).filter(([, v]) => v !== undefined);
      defaults = { ...defaults, ...Object.fromEntries(given) } as Defaults;
      continue;
    }
    const preset = parsed.data as GpuPreset | ModelPreset | ClusterPreset;
    const map = maps[file.kind] as Map<string, Located<typeof preset>>;
    const previous = map.get(preset.name);
    if (previous && previous.origin === file.origin) {
      errors.push(`${file.path}: name: "${preset.name}" is already defined in ${previous.file}`);
      continue;
    }
    map.set(preset.name, { ...preset, file: file.path, origin: file.origin });
  }

  for (const cluster of clusters.values()) {
    if (!gpus.has(cluster.gpu) && !invalid.gpus.has(cluster.gpu)) errors.push(`${cluster.file}: gpu: no GPU preset named "${cluster.gpu}"`);
  }
  for (const model of models.values()) {
    if (model.run && !gpus.has(model.run.gpu) && !invalid.gpus.has(model.run.gpu)) errors.push(`${model.file}: run.gpu: no GPU preset named "${model.run.gpu}"`);
    const gpu = model.run && gpus.get(model.run.gpu);
    const tooShort = gpu ? runFasterThanPeak(model, gpu) : undefined;
    if (tooShort) errors.push(`${model.file}: ${tooShort}`);
  }
  if (!defaults) {
    if (!invalid.defaults.has('defaults')) errors.push('defaults.json: missing');
  } else if (!clusters.has(defaults.cluster.value) && !invalid.clusters.has(defaults.cluster.value)) {
    errors.push(`defaults.json: cluster.value: no cluster preset named "${defaults.cluster.value}"`);
  }
  if (errors.length > 0 || !defaults) return { errors };
  return { presets: { gpus, models, clusters, defaults }, errors };
}
