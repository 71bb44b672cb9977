import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PresetError } from '../errors.js';
import { parsePresets, type PresetFile, type PresetSet } from './parse.js';
import { PRESET_KINDS } from './schema.js';
import type { PresetSource } from './sources.js';

/** Largest preset file read, in bytes: presets are small data files, not dumps. */
export const MAX_PRESET_FILE_BYTES = 1_000_000;

/** Returns the absolute path of the presets/ folder shipped with the package. */
export function builtinPresetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/presets/ or dist/presets/ (tsc), dist/chunks/ (the bundled CLI's lazily loaded code), or
  // dist/ itself if the bundle puts this in dist/bin.js.
  return basename(here) === 'dist' ? join(here, '..', 'presets') : join(here, '..', '..', 'presets');
}

/** The preset files of one directory, and the entries that could not be read (one line each). */
export interface DirContents {
  files: PresetFile[];
  errors: string[];
}

/**
 * Reads every preset file under `dir` (kinds as subfolders, optional defaults.json) as text, never as
 * code; unreadable, oversized or misplaced entries become errors naming the path.
 */
export function scanPresetDir(dir: string, origin: string): DirContents {
  const files: PresetFile[] = [];
  const errors: string[] = [];
  const shown = (path: string): string => (origin === 'built-in' ? join('presets', relative(dir, path)) : path);
  const read = (path: string, kind: PresetFile['kind']): void => {
    const text = readText(path);
    if (typeof text === 'string') files.push({ path: shown(path), kind, text, origin });
    else if (text.error !== 'missing') errors.push(`${shown(path)}: ${text.error}`);
  };
  read(join(dir, 'defaults.json'), 'defaults');
  for (const kind of PRESET_KINDS) {
    const kindDir = join(dir, kind);
    let names: string[];
    try {
      names = readdirSync(kindDir).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') errors.push(`${shown(kindDir)}: ${code === 'ENOTDIR' ? 'expected a directory of .json files' : `cannot read (${code ?? 'error'})`}`);
      continue;
    }
    for (const name of names) read(join(kindDir, name), kind);
  }
  return { files, errors };
}

/** Returns a file's text, or why it cannot be used ("missing" when it does not exist). */
function readText(path: string): string | { error: string } {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { error: 'expected a JSON file, found a directory or special file' };
    if (stat.size > MAX_PRESET_FILE_BYTES) return { error: `file too large (${stat.size} bytes; at most ${MAX_PRESET_FILE_BYTES})` };
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'missing' : `cannot read (${code ?? 'error'})` };
  }
}

/** Reads every preset file under `dir`; throws a PresetError when an entry cannot be read. */
export function readPresetDir(dir: string, origin: string): PresetFile[] {
  const { files, errors } = scanPresetDir(dir, origin);
  if (errors.length > 0) throw new PresetError(errors.join('; '));
  return files;
}

/**
 * Loads and validates the built-in presets, then each user source in order (later overrides earlier
 * by kind and name, see presetSources); throws a PresetError listing every problem on one line.
 */
export function loadPresets(sources: readonly PresetSource[] = []): PresetSet {
  const scans = [scanPresetDir(builtinPresetsDir(), 'built-in'), ...sources.map((s) => scanPresetDir(s.dir, s.origin))];
  const outcome = parsePresets(scans.flatMap((s) => s.files));
  const errors = [...scans.flatMap((s) => s.errors), ...outcome.errors];
  if (errors.length > 0 || !outcome.presets) throw new PresetError(errors.join('; '));
  return outcome.presets;
}

/** What `presets validate` found: how many preset files the directory holds, and every problem. */
export interface Validation {
  count: number;
  errors: string[];
}

/** Validates the preset files of `dir` together with the built-ins (for cross-references); never throws for bad files. */
export function validatePresetDir(dir: string): Validation {
  const builtin = scanPresetDir(builtinPresetsDir(), 'built-in');
  const user = scanPresetDir(dir, dir);
  const outcome = parsePresets([...builtin.files, ...user.files]);
  const errors = [...builtin.errors, ...user.errors, ...outcome.errors];
  if (user.files.length === 0 && user.errors.length === 0) {
    errors.push(`${dir}: no preset files (expected gpus/*.json, models/*.json, clusters/*.json or defaults.json)`);
  }
  return { count: user.files.length, errors };
}
