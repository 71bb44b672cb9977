import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PresetError } from '../errors.js';
import { parsePresets, type PresetFile, type PresetSet } from './parse.js';
import { PRESET_KINDS } from './schema.js';

/** Returns the absolute path of the presets/ folder shipped with the package. */
export function builtinPresetsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'presets');
}

/** Reads every preset file under `dir` (kinds as subfolders, optional defaults.json); returns their texts. */
export function readPresetDir(dir: string, origin: string): PresetFile[] {
  const files: PresetFile[] = [];
  const shown = (path: string): string => (origin === 'built-in' ? join('presets', relative(dir, path)) : path);
  const defaultsPath = join(dir, 'defaults.json');
  const defaultsText = readIfExists(defaultsPath);
  if (defaultsText !== undefined) files.push({ path: shown(defaultsPath), kind: 'defaults', text: defaultsText, origin });
  for (const kind of PRESET_KINDS) {
    const kindDir = join(dir, kind);
    let names: string[];
    try {
      names = readdirSync(kindDir).filter((n) => n.endsWith('.json')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(kindDir, name);
      files.push({ path: shown(path), kind, text: readFileSync(path, 'utf8'), origin });
    }
  }
  return files;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Loads and validates the built-in presets; throws a PresetError listing every problem. */
export function loadPresets(): PresetSet {
  const outcome = parsePresets(readPresetDir(builtinPresetsDir(), 'built-in'));
  if (!outcome.presets) throw new PresetError(outcome.errors.join('; '));
  return outcome.presets;
}
