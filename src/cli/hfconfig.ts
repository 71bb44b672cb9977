import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { HfConfigError, parseHfConfig } from '../presets/hfconfig.js';
import { parseJsonData } from '../presets/json-data.js';
import type { FlagValues, ResolveExtras } from '../presets/resolve.js';

/** Reads the files flags point to (--hf-config) into resolver extras; errors name the flag and file. */
export function readExtras(flags: FlagValues): ResolveExtras {
  const path = flags['hf-config'];
  if (typeof path !== 'string') return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--hf-config: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const json = parseJsonData(text);
  if (!json.ok) throw new UsageError(`--hf-config: ${path}: ${json.error}`);
  try {
    return { hfConfig: { ...parseHfConfig(json.value), path } };
  } catch (error) {
    if (error instanceof HfConfigError) throw new UsageError(`--hf-config: ${path}: ${error.message}`);
    throw error;
  }
}
