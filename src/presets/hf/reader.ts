// Reading one Hugging Face config.json: typed key access with the family's defaults, a record of
// which keys were read and which defaults filled in, and one-line errors naming the key. Values are
// checked with the shared quantity rule set (src/core/quantity.ts), as flags and presets are.
import { quantityProblem, type QuantityRule, relations } from '../../core/quantity.js';
import { echo } from '../../text.js';

/** A config value that cannot be right; the message names the key ("<key>: expected ..., got ..."), the CLI adds the file. */
export class HfConfigError extends Error {}

type Json = Record<string, unknown>;
/** Default values of a family's config class (transformers' `<Family>Config.__init__`). */
export type Defaults = Readonly<Record<string, number | boolean | null | readonly number[]>>;


/** Returns true for a JSON object (not an array, not null). */
export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Reads keys of one config object; `prefix` names nested objects in messages (`text_config.`). */
export class ConfigReader {
  /** Keys read (and so used) by the count. */
  readonly used = new Set<string>();
  /** Keys the file left out that the family's defaults filled in, as `key=value`. */
  readonly defaulted: string[] = [];

  constructor(
    readonly config: Json,
    private readonly defaults: Defaults,
    readonly prefix = '',
  ) {}

  /** Returns the raw value of the first present key among `keys` (aliases), or the default of the first. */
  raw(keys: string | readonly string[]): { key: string; value: unknown } {
    const names = typeof keys === 'string' ? [keys] : keys;
    for (const key of names) {
      if (this.config[key] !== undefined) {
        this.used.add(key);
        return { key, value: this.config[key] };
      }
    }
    const key = names[0] as string;
    const fallback = this.defaults[key];
    if (fallback !== undefined) this.defaulted.push(`${this.prefix}${key}=${JSON.stringify(fallback)}`);
    return { key, value: fallback };
  }

  /** Returns the family's default for `key` (undefined when it has none). */
  defaultOf(key: string): unknown {
    return this.defaults[key];
  }

  /** Returns true when one of `keys` is in the file (a null counts as absent). */
  has(keys: string | readonly string[]): boolean {
    return (typeof keys === 'string' ? [keys] : keys).some((k) => this.config[k] !== undefined && this.config[k] !== null);
  }

  /** Throws the error for `key`. */
  fail(key: string, expected: string, got: unknown): never {
    this.problem(key, `expected ${expected}, got ${echo(got)}`);
  }

  /** Throws `problem` (a rule set's "expected ..., got ...") for `key`. */
  problem(key: string, problem: string): never {
    throw new HfConfigError(`${this.prefix}${key}: ${problem}`);
  }

  /** Returns `value` of `key` when it keeps `rule`, else throws naming the key. */
  private rule(key: string, value: unknown, rule: QuantityRule): number {
    const problem = quantityProblem(rule, value);
    if (problem !== undefined) this.problem(key, problem);
    return value as number;
  }

  /** Returns a positive whole number (a size or a count). */
  count(keys: string | readonly string[]): number {
    const { key, value } = this.raw(keys);
    return this.rule(key, value, 'integer');
  }

  /** Throws unless `value` of `key` is at most `limit` (experts per token, dense layers). */
  atMost(key: string, value: number, limit: number, limitName: string): void {
    const problem = relations.atMost(value, limit, limitName);
    if (problem !== undefined) this.problem(key, problem);
  }

  /** Returns a positive whole number, or undefined when the key is absent or null and has no default. */
  optionalCount(keys: string | readonly string[]): number | undefined {
    const { key, value } = this.raw(keys);
    if (value === undefined || value === null) return undefined;
    return this.rule(key, value, 'integer');
  }

  /** Returns a whole number >= 0 (null and absent read as 0 when there is no default). */
  wholeOrZero(keys: string | readonly string[]): number {
    const { key, value } = this.raw(keys);
    if (value === undefined || value === null) return 0;
    return this.rule(key, value, 'nonNegativeInteger');
  }

  /** Returns a boolean; `fallback` when absent and the family has no default. */
  flag(keys: string | readonly string[], fallback = false): boolean {
    const { key, value } = this.raw(keys);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(key, 'true or false', value);
    return value;
  }

  /** Returns a number >= 0 (a probability such as a dropout rate: in [0, 1]). */
  probability(keys: string | readonly string[]): number {
    const { key, value } = this.raw(keys);
    if (value === undefined || value === null) return 0;
    // No rule of the set is [0, 1]: a rate of 0 is no dropout, so not a fraction in (0, 1].
    const rate = this.rule(key, value, 'nonNegative');
    if (rate > 1) this.fail(key, 'a probability in [0, 1]', rate);
    return rate;
  }

  /** Returns a list of whole numbers (layer indices), empty when absent or null. */
  indices(keys: string | readonly string[], below: number): number[] {
    const { key, value } = this.raw(keys);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < below)) {
      this.fail(key, `a list of layer indices in [0, ${below - 1}]`, value);
    }
    return value as number[];
  }

  /** Returns a nested object, or undefined when absent or null. */
  object(key: string): Json | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) this.fail(key, 'an object or null', value);
    this.used.add(key);
    return value;
  }
}

/** Throws unless the heads divide the width (families that derive head_dim as d_model / heads); blames the heads. */
export function headDimOf(r: ConfigReader, hiddenKey: string, hidden: number, headsKey: string, heads: number): number {
  const problem = relations.divides(heads, hidden, hiddenKey);
  if (problem !== undefined) r.problem(headsKey, problem);
  return hidden / heads;
}

/** Returns the number of KV heads, checking that it divides the query heads (grouped-query attention). */
export function kvHeadsOf(r: ConfigReader, keys: string | readonly string[], heads: number, headsKey = 'num_attention_heads'): number {
  const kv = r.optionalCount(keys) ?? heads;
  const key = typeof keys === 'string' ? keys : (keys.find((k) => r.config[k] !== undefined) ?? (keys[0] as string));
  const problem = relations.divides(kv, heads, headsKey);
  if (problem !== undefined) r.problem(key, problem);
  return kv;
}
