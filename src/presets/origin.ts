// How a message names a value in play: the flag as the user typed it, or the value and where it came
// from when the user did not type it (a preset, a default, a rule), so that an error never blames a
// flag nobody gave.
import type { Input, Scenario } from '../scenario/types.js';

/** What a scenario knows of the presets in play, to tell a model preset from a cluster or GPU preset. */
type Named = Pick<Scenario, 'model' | 'cluster' | 'gpu'>;

/**
 * Returns where a value came from in words, e.g. "from model preset llama-405b", "from cluster preset
 * colossus, the default cluster", "from --hf-config config.json", "the default"; undefined when the
 * user typed it (a flag). `derived` names the rule behind a derived value (default: "derived").
 */
export function originWords(s: Named, input: Pick<Input<unknown>, 'origin' | 'source'>, derived = 'derived'): string | undefined {
  const { origin } = input;
  if (origin === 'flag') return input.source?.startsWith('derived from --') ? input.source.slice('derived '.length) : undefined;
  if (origin === 'default') return 'the default';
  if (origin === 'derived') return derived;
  const name = origin.slice('preset:'.length);
  const kind = name === s.model?.value ? 'model' : name === s.cluster?.value ? 'cluster' : name === s.gpu.value ? 'GPU' : '';
  const byDefault = kind === 'cluster' && s.cluster?.origin === 'default' ? ', the default cluster' : '';
  return `from ${kind ? `${kind} ` : ''}preset ${name}${byDefault}`;
}

/**
 * Returns a value as a message names it: "--global-batch 1000" when the flag was given, else
 * "global batch 2048 (from model preset llama-405b)". `shown` is the value as printed.
 */
export function namedValue(s: Named, input: Pick<Input<unknown>, 'origin' | 'source'> | undefined, flag: string, label: string, shown: string, derived?: string): string {
  const where = input ? originWords(s, input, derived) : undefined;
  if (input?.origin === 'flag' && where === undefined) return `--${flag} ${shown}`;
  return where === undefined ? `${label} ${shown}` : `${label} ${shown} (${where})`;
}
