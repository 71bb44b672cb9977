import { UsageError } from '../errors.js';
import type { FlagValues } from '../presets/resolve.js';
import { OPTIONS, optionsFor, parseNumberOption, type CommandName } from './options.js';

/** Converts commander's raw option values (by attribute) to checked flag values keyed by flag name. */
export function readFlags(command: CommandName, raw: Record<string, unknown>): FlagValues {
  const flags: FlagValues = {};
  for (const option of optionsFor(command)) {
    const value = raw[option.attr];
    if (value === undefined) continue;
    // A repeatable option (--presets-dir) is read by the entry with readListFlag, not resolved into the scenario.
    if (option.kind === 'string' && option.repeatable) continue;
    if (option.kind === 'number') flags[option.flag] = parseNumberOption(option, String(value));
    else if (option.kind === 'boolean') {
      if (option.negate) {
        if (value === false) flags[option.flag] = true;
      } else flags[option.flag] = value === true;
    }
    else {
      const text = String(value);
      if (text.trim() === '') throw new UsageError(`--${option.flag}: expected a name, got an empty value`);
      flags[option.flag] = option.choices ? matchChoice(option.flag, option.choices, text) : text;
    }
  }
  return flags;
}

/** Returns the values of a repeatable flag (e.g. --presets-dir) from commander's raw options, in order. */
export function readListFlag(raw: Record<string, unknown>, flag: string): string[] {
  const option = OPTIONS.find((o) => o.flag === flag);
  if (!option) throw new Error(`readListFlag: no option --${flag} in the registry`);
  const value = raw[option.attr];
  const list = value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
  for (const text of list) if (text.trim() === '') throw new UsageError(`--${flag}: expected a value, got an empty one`);
  return list;
}

/**
 * Returns the choice `text` names, matched case-insensitively (--precision BF16 is bf16); throws a
 * UsageError listing the choices otherwise.
 * @example matchChoice('format', ['table', 'json'], 'JSON') // 'json'
 */
export function matchChoice(flag: string, choices: readonly string[], text: string): string {
  const hit = choices.find((c) => c === text) ?? choices.find((c) => c.toLowerCase() === text.trim().toLowerCase());
  if (hit === undefined) throw new UsageError(`--${flag}: expected one of ${choices.join(', ')}, got "${text.length > 40 ? `${text.slice(0, 37)}...` : text}"`);
  return hit;
}

/** Collects the values of a repeated option (commander argParser): each occurrence is appended. */
export function collectValues(value: string, previous: unknown): string[] {
  return Array.isArray(previous) ? [...(previous as string[]), value] : [value];
}
