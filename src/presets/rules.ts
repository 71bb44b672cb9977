// The quantity rule set (src/core/quantity.ts) as zod/mini schemas, for presets, defaults and
// scenario files: the same rules and wording as the flags, with the file's JSON path in the error.
import * as z from 'zod/mini';
import { EXPECTED, keepsRule, MAX_COUNT, type QuantityRule } from '../core/quantity.js';

/**
 * A JSON number that keeps `rule` (e.g. `quantity('integer')` for a count). zod's own checks carry
 * the bounds into the generated JSON Schemas (editors check as you type); the last check is the rule
 * itself, so that files and flags accept exactly the same numbers.
 */
export function quantity(rule: QuantityRule): z.ZodMiniNumber<number> {
  const error = `expected ${EXPECTED[rule]}`;
  const base = rule === 'integer' || rule === 'nonNegativeInteger' ? z.int({ error }) : z.number({ error });
  const bounds = {
    positive: [z.positive({ error, abort: true })],
    fraction: [z.positive({ error, abort: true }), z.maximum(1, { error, abort: true })],
    nonNegative: [z.nonnegative({ error, abort: true })],
    integer: [z.positive({ error, abort: true }), z.maximum(MAX_COUNT, { error, abort: true })],
    nonNegativeInteger: [z.nonnegative({ error, abort: true }), z.maximum(MAX_COUNT, { error, abort: true })],
  }[rule];
  return base.check(...bounds, z.refine((v) => keepsRule(rule, v), { error, abort: true })) as z.ZodMiniNumber<number>;
}

/** A sourced number `{ value, source, note? }` whose value keeps `rule`. */
export function sourced(rule: QuantityRule) {
  return z.strictObject({
    value: quantity(rule),
    source: z.string().check(z.minLength(3, 'expected a source: title + table/section, or URL')),
    note: z.optional(z.string()),
  });
}

/**
 * A check relating a preset's numbers (a range's ends, a part and its whole): `problem` returns
 * the text of a broken relation (see `relations` in src/core/quantity.ts) or undefined, and the
 * issue is reported at `path` (the field the user should change). Runs only when the value's own
 * fields passed their rules, so `problem` sees numbers.
 */
export function related<T>(path: readonly PropertyKey[], problem: (value: T) => string | undefined) {
  return z.superRefine<T>((value, ctx) => {
    // A value whose own fields are broken is reported for those first (and may lack the fields).
    if (ctx.issues.length > 0) return;
    const text = problem(value);
    if (text !== undefined) ctx.issues.push({ code: 'custom', message: text, input: value, path: [...path] });
  });
}
