import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PresetError } from '../errors.js';
import { MAX_INPUT_BYTES, readInputText, shownPath } from './input-file.js';
import { parsePresets, type PresetFile, type PresetSet } from './parse.js';
import { PRESET_KINDS } from './schema.js';
import type { PresetSource } from './sources.js';

/** Largest preset file read, in bytes: presets are small data files, not dumps (the limit of every input file). */
export const MAX_PRESET_FILE_BYTES = MAX_INPUT_BYTES;

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
  const shown = (path: string): string => (origin === 'built-in' ? join('presets', relative(dir, path)) : shownPath(path));
  const top = directoryProblem(dir);
  if (top !== undefined) return { files, errors: [`${shown(dir)}: cannot read: ${top}`] };
  // defaults.json is optional: only its absence is not an error (a dangling link to it is).
  const read = (path: string, kind: PresetFile['kind'], optional = false): void => {
    const text = readInputText(path);
    if (text.ok) files.push({ path: shown(path), kind, text: text.text, origin });
    else if (!(optional && text.missing)) errors.push(`${shown(path)}: cannot read: ${text.reason}`);
  };
  read(join(dir, 'defaults.json'), 'defaults', true);
  for (const kind of PRESET_KINDS) {
    const kindDir = join(dir, kind);
    const problem = directoryProblem(kindDir);
    if (problem === 'no such directory') continue; // a kind the directory does not define
    if (problem !== undefined) {
      errors.push(`${shown(kindDir)}: cannot read: ${problem}`);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(kindDir).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      errors.push(`${shown(kindDir)}: cannot read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      continue;
    }
    // Every listed file is read or reported (a dangling link, a FIFO, a directory named x.json).
    for (const name of names) read(join(kindDir, name), kind);
  }
  return { files, errors };
}

/** Returns why `dir` is not a readable directory ("no such directory" when nothing is there), or undefined. */
export function directoryProblem(dir: string): string | undefined {
  let stat: Stats;
  try {
    stat = statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a path through something that is not a directory' : `cannot be opened (${code ?? 'error'})`;
    try {
      if (lstatSync(dir).isSymbolicLink()) return 'a dangling symbolic link (its target does not exist)';
    } catch {
      // Nothing there at all.
    }
    return 'no such directory';
  }
  return stat.isDirectory() ? undefined : 'not a directory, expected a directory of .json files';
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
    errors.push(`${shownPath(dir)}: no preset files (expected gpus/*.json, models/*.json, clusters/*.json or defaults.json)`);
  }
  return { count: user.files.length, errors };
}
