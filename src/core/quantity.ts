// The one rule set for a quantity, wherever it comes from: flags (the option registry's
// constraints), presets and defaults (the zod schemas in src/presets/), scenario files and Hugging
// Face configs. Each caller adds where the number was written (`--gpus`, `my/defaults.json:
// microBatch.value`, `config.json: num_hidden_layers`); the rule and its wording live here only.
import { UsageError } from '../errors.js';
import { echo } from '../text.js';

/**
 * What a number may hold. `integer` is a positive whole number (a count: GPUs, layers, micro-batch);
 * `nonNegativeInteger` a count that may be 0 (shared experts, dense layers); `fraction` is in (0, 1].
 */
export type QuantityRule = 'positive' | 'integer' | 'fraction' | 'nonNegative' | 'nonNegativeInteger';

/** The largest count accepted: beyond 2^53 - 1 a double no longer holds every whole number. */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/** What each rule expects, as error messages say it ("expected ..."). */
export const EXPECTED: Readonly<Record<QuantityRule, string>> = {
  positive: 'a positive number',
  integer: 'a positive whole number',
  fraction: 'a fraction in (0, 1]',
  nonNegative: 'a number >= 0',
  nonNegativeInteger: 'a whole number >= 0',
};

/** Returns true when `value` is a finite number that keeps `rule`. */
export function keepsRule(rule: QuantityRule, value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  switch (rule) {
    case 'positive':
      return value > 0;
    case 'nonNegative':
      // -0 is 0 to a reader, but prints as "-0" in some formatters: refuse it with the negatives.
      return value > 0 || Object.is(value, 0);
    case 'fraction':
      return value > 0 && value <= 1;
    case 'integer':
      return Number.isInteger(value) && value > 0 && value <= MAX_COUNT;
    case 'nonNegativeInteger':
      return Number.isInteger(value) && (value > 0 || Object.is(value, 0)) && value <= MAX_COUNT;
  }
}

/**
 * Returns why `value` breaks `rule` ("expected a positive whole number, got -3"), or undefined when
 * it keeps it. The value is echoed short (at most ~40 characters), whatever it holds.
 */
export function quantityProblem(rule: QuantityRule, value: unknown): string | undefined {
  if (keepsRule(rule, value)) return undefined;
  const isCount = rule === 'integer' || rule === 'nonNegativeInteger';
  const tooLarge = typeof value === 'number' && (!Number.isFinite(value) || (isCount && Math.abs(value) > MAX_COUNT && Number.isInteger(value)));
  const expected = isCount && tooLarge ? `${EXPECTED[rule]} up to 2^53 - 1` : EXPECTED[rule];
  return `expected ${expected}, got ${echo(value)}`;
}

/**
 * Returns `value` when it keeps `rule`; otherwise throws a UsageError `${where}: expected ..., got ...`,
 * where `where` names what the user wrote: a flag (`--gpus`) or a file and JSON path
 * (`config.json: num_hidden_layers`).
 * @example requireQuantity(cfg['num_hidden_layers'], 'integer', `${file}: num_hidden_layers`)
 */
export function requireQuantity(value: unknown, rule: QuantityRule, where: string): number {
  const problem = quantityProblem(rule, value);
  if (problem !== undefined) throw new UsageError(`${where}: ${problem}`);
  return value as number;
}

/** A relation between a quantity and its neighbours; each returns a problem text or undefined. */
export const relations = {
  /** A range: low <= high ("expected low <= high, got 0.5 > 0.3"). */
  ordered(low: number, high: number, lowName = 'low', highName = 'high'): string | undefined {
    return low <= high ? undefined : `expected ${lowName} <= ${highName}, got ${echo(low)} > ${echo(high)}`;
  },
  /** A part at most its whole (active experts <= experts, active params <= params). */
  atMost(value: number, limit: number, limitName: string): string | undefined {
    return value <= limit ? undefined : `expected at most ${limitName} (${echo(limit)}), got ${echo(value)}`;
  },
  /** A value inside [low, high] (a point estimate inside its stated range). */
  within(value: number, low: number, high: number, rangeName: string): string | undefined {
    return value >= low && value <= high ? undefined : `expected a value inside ${rangeName} [${echo(low)}, ${echo(high)}], got ${echo(value)}`;
  },
  /** A whole number that divides another (key-value heads divide the attention heads). */
  divides(part: number, whole: number, wholeName: string): string | undefined {
    return part > 0 && whole % part === 0 ? undefined : `expected a divisor of ${wholeName} (${echo(whole)}), got ${echo(part)}`;
  },
} as const;

/** The numbers of an architecture that its relations read (structurally, the scenario's Architecture). */
export interface ArchitectureNumbers {
  layers: number;
  dModel: number;
  heads: number;
  kvHeads?: number | undefined;
  headDim?: number | undefined;
  moe?: { experts: number; activeExperts: number; denseLayers?: number | undefined } | undefined;
}

/** A relation between two numbers of an architecture: `part` (a dotted path) divides, or is at most, `whole`. */
export interface ArchitectureRelation {
  part: string;
  whole: string;
  kind: 'divides' | 'atMost';
  /** Holds only when this returns true (the heads divide the width only when the head dimension is not given). */
  applies?: (arch: ArchitectureNumbers) => boolean;
}

/**
 * The relations every architecture keeps, wherever it comes from (a preset, an HF config, flags over
 * either): key/value heads divide the heads (grouped-query attention), the heads divide the width
 * unless the head dimension is given, experts per token at most the experts, dense layers at most
 * the layers.
 */
export const ARCHITECTURE_RELATIONS: readonly ArchitectureRelation[] = [
  { part: 'kvHeads', whole: 'heads', kind: 'divides' },
  { part: 'heads', whole: 'dModel', kind: 'divides', applies: (a) => a.headDim === undefined },
  { part: 'moe.activeExperts', whole: 'moe.experts', kind: 'atMost' },
  { part: 'moe.denseLayers', whole: 'layers', kind: 'atMost' },
];

/** Returns the number at a dotted path of an architecture ("moe.experts"), or undefined. */
export function architectureNumber(arch: ArchitectureNumbers, path: string): number | undefined {
  let value: unknown = arch;
  for (const key of path.split('.')) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

/**
 * Returns the problem of a broken relation, blaming its part ("expected a divisor of heads (8), got
 * 3") or its whole ("expected a multiple of kvHeads (8), got 100"), the other side named `otherName`;
 * undefined when it holds or does not apply.
 */
export function relationProblem(relation: ArchitectureRelation, arch: ArchitectureNumbers, blame: 'part' | 'whole', otherName: string): string | undefined {
  const part = architectureNumber(arch, relation.part);
  const whole = architectureNumber(arch, relation.whole);
  if (part === undefined || whole === undefined || relation.applies?.(arch) === false) return undefined;
  const holds = relation.kind === 'divides' ? part > 0 && whole % part === 0 : part <= whole;
  if (holds) return undefined;
  if (blame === 'part') return relation.kind === 'divides' ? relations.divides(part, whole, otherName) : relations.atMost(part, whole, otherName);
  return `expected ${relation.kind === 'divides' ? 'a multiple of' : 'at least'} ${otherName} (${echo(part)}), got ${echo(whole)}`;
}
