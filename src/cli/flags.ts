import { UsageError } from '../errors.js';
import type { FlagValues } from '../presets/resolve.js';
import { optionsFor, parseNumberOption, type CommandName } from './options.js';

/** Converts commander's raw option values (by attribute) to checked flag values keyed by flag name. */
export function readFlags(command: CommandName, raw: Record<string, unknown>): FlagValues {
  const flags: FlagValues = {};
  for (const option of optionsFor(command)) {
    const value = raw[option.attr];
    if (value === undefined) continue;
    if (option.kind === 'number') flags[option.flag] = parseNumberOption(option, String(value));
    else if (option.kind === 'boolean') flags[option.flag] = value === true;
    else {
      const text = String(value);
      if (text.trim() === '') throw new UsageError(`--${option.flag}: expected a name, got an empty value`);
      flags[option.flag] = text;
    }
  }
  return flags;
}
