import { ComputeError } from '../errors.js';
import type { PresetSet } from '../presets/parse.js';
import type { Input, Scenario } from '../presets/resolve.js';
import { OPTIONS, type NumberOption, type OptionSpec } from './options.js';

/** Scenario inputs set by a flag the registry marks 'resolve' (it changes other inputs too). */
const RESOLVED_BY: Readonly<Record<string, string>> = {
  params: 'params',
  tokens: 'tokens',
  activeParams: 'active-params',
  gpuPeakFlopsPerSecond: 'peak-tflops',
  seqLen: 'seq-len',
};

/** A value this far from 1 (above 1e100 or below 1e-100) is what overflows or underflows a result. */
const EXTREME = 1e100;

/** A number as an error shows it: beyond double precision is said in words, never "Infinity". */
const shown = (v: number): string => (Number.isFinite(v) ? String(v) : 'beyond double precision');

/** Returns where a scenario input came from, as the user wrote it: `--mfu 1e-300`, `preset tiny (clusters/tiny.json) mfu`, `default pue`. */
function whereFrom(key: string, input: Input<number>, presets: PresetSet): string {
  const numbers: readonly NumberOption[] = (OPTIONS as readonly OptionSpec[]).filter((o): o is NumberOption => o.kind === 'number');
  const option = numbers.find((o) => o.input === key || o.flag === RESOLVED_BY[key]);
  if (input.origin === 'flag' && option && !input.source) return `--${option.flag} ${shown(input.value / (option.scale ?? 1))}`;
  if (input.origin.startsWith('preset:')) {
    const name = input.origin.slice('preset:'.length);
    const file = presets.gpus.get(name)?.file ?? presets.models.get(name)?.file ?? presets.clusters.get(name)?.file;
    return `${key} ${shown(input.value)} (preset ${name}${file ? `, ${file}` : ''})`;
  }
  if (input.origin === 'default') return `${key} ${shown(input.value)} (defaults.json)`;
  return `${key} ${shown(input.value)} (${input.source ?? input.origin})`;
}

/**
 * Runs `compute`; a ComputeError from the core is rethrown naming the inputs as the user wrote them
 * (the flag, the preset and its file, the defaults) instead of the core's own input names: the
 * extreme ones (above 1e100 or below 1e-100) when there are any, else every numeric input.
 */
export function withInputsNamed<T>(compute: () => T, scenario: Scenario, presets: PresetSet): T {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof ComputeError) || !error.results) throw error;
    const numeric = Object.entries(scenario).filter((e): e is [string, Input<number>] => typeof (e[1] as Input<unknown> | undefined)?.value === 'number');
    const extreme = numeric.filter(([, i]) => i.value !== 0 && (Math.abs(i.value) >= EXTREME || Math.abs(i.value) <= 1 / EXTREME));
    const named = (extreme.length > 0 ? extreme : numeric).map(([k, i]) => whereFrom(k, i, presets)).join(', ');
    const results = error.results.length > 4 ? `${error.results.slice(0, 4).join(', ')} and ${error.results.length - 4} more results` : error.results.join(', ');
    throw new ComputeError(`${results} would not be a finite number (overflow or division by zero) for ${named}`, error.results);
  }
}
