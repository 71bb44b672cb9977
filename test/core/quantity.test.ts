import { describe, expect, it } from 'vitest';
import { keepsRule, MAX_COUNT, quantityProblem, relations, requireQuantity, type QuantityRule } from '../../src/core/quantity.js';
import { UsageError } from '../../src/errors.js';
import { echo, safeText } from '../../src/text.js';

// The rule set's own definition: what each rule accepts (issue 13: one rule set for a quantity).
const CASES: ReadonlyArray<readonly [unknown, Record<QuantityRule, boolean>]> = [
  //  value          positive integer fraction nonNegative nonNegativeInteger
  [1, { positive: true, integer: true, fraction: true, nonNegative: true, nonNegativeInteger: true }],
  [0.5, { positive: true, integer: false, fraction: true, nonNegative: true, nonNegativeInteger: false }],
  [0.001, { positive: true, integer: false, fraction: true, nonNegative: true, nonNegativeInteger: false }],
  [2, { positive: true, integer: true, fraction: false, nonNegative: true, nonNegativeInteger: true }],
  [0, { positive: false, integer: false, fraction: false, nonNegative: true, nonNegativeInteger: true }],
  [-0, { positive: false, integer: false, fraction: false, nonNegative: false, nonNegativeInteger: false }],
  [-1, { positive: false, integer: false, fraction: false, nonNegative: false, nonNegativeInteger: false }],
  [5e-324, { positive: true, integer: false, fraction: true, nonNegative: true, nonNegativeInteger: false }],
  [1e300, { positive: true, integer: false, fraction: false, nonNegative: true, nonNegativeInteger: false }],
  [MAX_COUNT, { positive: true, integer: true, fraction: false, nonNegative: true, nonNegativeInteger: true }],
  [2 ** 53, { positive: true, integer: false, fraction: false, nonNegative: true, nonNegativeInteger: false }],
  [Number.POSITIVE_INFINITY, { positive: false, integer: false, fraction: false, nonNegative: false, nonNegativeInteger: false }],
  [Number.NaN, { positive: false, integer: false, fraction: false, nonNegative: false, nonNegativeInteger: false }],
  ['16', { positive: false, integer: false, fraction: false, nonNegative: false, nonNegativeInteger: false }],
  [null, { positive: false, integer: false, fraction: false, nonNegative: false, nonNegativeInteger: false }],
  [[8], { positive: false, integer: false, fraction: false, nonNegative: false, nonNegativeInteger: false }],
];

describe('quantity rules', () => {
  for (const [value, expected] of CASES) {
    it(`${echo(value)}`, () => {
      for (const rule of Object.keys(expected) as QuantityRule[]) expect([rule, keepsRule(rule, value)]).toEqual([rule, expected[rule]]);
    });
  }

  it('problems say what was expected and echo what was given, short', () => {
    expect(quantityProblem('integer', 0.5)).toBe('expected a positive whole number, got 0.5');
    expect(quantityProblem('fraction', 2)).toBe('expected a fraction in (0, 1], got 2');
    expect(quantityProblem('integer', 2 ** 60)).toBe('expected a positive whole number up to 2^53 - 1, got 1152921504606847000');
    expect(quantityProblem('positive', Number.POSITIVE_INFINITY)).toBe('expected a positive number, got a number too large for double precision');
    expect(quantityProblem('positive', undefined)).toBe('expected a positive number, got nothing');
    const huge = quantityProblem('integer', Array.from({ length: 1_000_000 }, (_, i) => i)) ?? '';
    expect(huge.length).toBeLessThan(80);
    expect(quantityProblem('positive', 3)).toBeUndefined();
  });

  it('requireQuantity throws a UsageError naming where the number was written', () => {
    expect(() => requireQuantity(-4, 'integer', 'config.json: num_hidden_layers')).toThrow(new UsageError('config.json: num_hidden_layers: expected a positive whole number, got -4'));
    expect(requireQuantity(32, 'integer', 'x')).toBe(32);
  });

  it('relations: ordered ranges, parts at most their whole, points inside their range, divisors', () => {
    expect(relations.ordered(0.5, 0.3)).toBe('expected low <= high, got 0.5 > 0.3');
    expect(relations.ordered(0.3, 0.3)).toBeUndefined();
    expect(relations.atMost(9, 8, 'experts')).toBe('expected at most experts (8), got 9');
    expect(relations.within(0.9, 0.3, 0.5, 'mfuRange')).toBe('expected a value inside mfuRange [0.3, 0.5], got 0.9');
    expect(relations.divides(3, 32, 'heads')).toBe('expected a divisor of heads (32), got 3');
    expect(relations.divides(8, 32, 'heads')).toBeUndefined();
  });
});

describe('echo and safeText: hostile text is cut and made visible', () => {
  it('escapes terminal controls, keeps printable text', () => {
    expect(safeText('a\u001b]0;pwned\u0007b')).toBe('a\\x1b]0;pwned\\x07b');
    expect(safeText('x\u009b2Jy\u202ez\u007f')).toBe('x\\x9b2Jy\\u202ez\\x7f');
    expect(safeText('one\ntwo\tthree\r')).toBe('one two three ');
    expect(safeText('H100 SXM — 80 GB, 日本')).toBe('H100 SXM — 80 GB, 日本');
  });
  it('echo is bounded whatever the value holds', () => {
    expect(echo('x'.repeat(10_000))).toBe(`"${'x'.repeat(36)}...`);
    expect(echo('\u001b[2J')).toBe('"\\x1b[2J"');
    expect(echo({ a: 1 })).toBe('{"a":1}');
    expect(echo([1, 2, 3])).toBe('[1,2,3]');
    expect(echo(Array.from({ length: 1_000_000 }, () => 7)).length).toBeLessThanOrEqual(40);
    expect(echo(undefined)).toBe('nothing');
  });
});
