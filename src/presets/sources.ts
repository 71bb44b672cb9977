import { readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { presetsFromCompiledText } from './compiled-text.js';
import type { PresetSet } from './parse.js';

/** One directory of user presets and how it was named (shown in `llmcost presets`, "from"). */
export interface PresetSource {
  /** The directory as the user wrote it (or as derived from XDG_CONFIG_HOME / HOME). */
  dir: string;
  /** Where it came from, e.g. "--presets-dir ./mine"; unique per directory, used as the presets' origin. */
  origin: string;
}

/** What decides the user preset directories; the entry passes the environment in. */
export interface SourceInputs {
  /** The process environment (LLMCOST_PRESETS, XDG_CONFIG_HOME, HOME / USERPROFILE). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directories given with --presets-dir, in command-line order. */
  flagDirs?: readonly string[];
}

/** Returns true when `dir` exists and is a directory. */
export function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Returns the per-user preset directory: $XDG_CONFIG_HOME/llmcost/presets, else ~/.config/llmcost/presets. */
export function userConfigPresetsDir(env: SourceInputs['env']): string | undefined {
  const xdg = env['XDG_CONFIG_HOME'];
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'llmcost', 'presets');
  const home = env['HOME'] || env['USERPROFILE'];
  return home ? join(home, '.config', 'llmcost', 'presets') : undefined;
}

/**
 * Returns the user preset directories, lowest precedence first (built-ins come before all of them):
 * the per-user config dir (only if it exists) < LLMCOST_PRESETS dirs (in list order) < --presets-dir
 * dirs (in command-line order). A later directory overrides an earlier one's presets by name: the
 * more explicit and the more local a setting, the later it wins, as with flags over defaults.
 * A directory named more than once counts once, at its last (strongest) place. Throws a UsageError
 * naming a directory given explicitly (flag or LLMCOST_PRESETS) that does not exist.
 */
export function presetSources(inputs: SourceInputs, exists: (dir: string) => boolean = isDirectory): PresetSource[] {
  const sources: PresetSource[] = [];
  const config = userConfigPresetsDir(inputs.env);
  if (config !== undefined && exists(config)) sources.push({ dir: config, origin: `user config ${config}` });

  const listed = (inputs.env['LLMCOST_PRESETS'] ?? '').split(delimiter).filter((d) => d.trim() !== '');
  for (const dir of listed) {
    if (!exists(dir)) throw new UsageError(`LLMCOST_PRESETS: no directory "${shorten(dir)}"`);
    sources.push({ dir, origin: `LLMCOST_PRESETS ${dir}` });
  }
  for (const dir of inputs.flagDirs ?? []) {
    if (dir.trim() === '') throw new UsageError('--presets-dir: expected a directory, got an empty value');
    if (!exists(dir)) throw new UsageError(`--presets-dir: no directory "${shorten(dir)}"`);
    sources.push({ dir, origin: `--presets-dir ${dir}` });
  }
  // Keep each directory once, at its last place, so that it never collides with itself.
  const last = new Map<string, number>();
  sources.forEach((s, i) => last.set(resolve(s.dir), i));
  return sources.filter((s, i) => last.get(resolve(s.dir)) === i);
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Returns the built-in presets compiled by the build (dist/presets.json), or undefined when the file
 * is missing or not of this version: the caller then parses presets/ (same result, slower start).
 */
export function readCompiledPresets(path: string): PresetSet | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return presetsFromCompiledText(text);
  } catch {
    return undefined;
  }
}
