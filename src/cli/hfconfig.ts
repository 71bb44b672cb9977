import { UsageError } from '../errors.js';
import { HfConfigError, parseHfConfig } from '../presets/hfconfig.js';
import { readFlagFile, shownPath } from '../presets/input-file.js';
import { parseJsonData } from '../presets/json-data.js';
import type { FlagValues, ResolveExtras } from '../presets/resolve.js';

/** Reads the files flags point to (--hf-config) into resolver extras; errors name the flag and file. */
export function readExtras(flags: FlagValues): ResolveExtras {
  const path = flags['hf-config'];
  if (typeof path !== 'string') return {};
  const text = readFlagFile('--hf-config', path);
  const json = parseJsonData(text);
  if (!json.ok) throw new UsageError(`--hf-config ${shownPath(path)}: ${json.error}`);
  try {
    return { hfConfig: { ...parseHfConfig(json.value), path } };
  } catch (error) {
    if (error instanceof HfConfigError) throw new UsageError(`--hf-config ${shownPath(path)}: ${error.message}`);
    throw error;
  }
}
