// Edges of the quantity rule set and of Daly's interval that the table-driven tests leave out.
import { describe, expect, it } from 'vitest';
import { keepsRule, MAX_COUNT, quantityProblem } from '../../src/core/quantity.js';
import { dalyIntervalSeconds } from '../../src/core/reliability.js';
import { parseQuantity } from '../../src/core/units.js';

describe('keepsRule takes numbers only', () => {
  it.each(['positive', 'nonNegative', 'fraction', 'integer', 'nonNegativeInteger'] as const)('%s: no numeric strings, no infinities, no NaN', (rule) => {
    for (const v of ['1', '0.5', Infinity, -Infinity, NaN, null, true, [1]]) expect(keepsRule(rule, v), String(v)).toBe(false);
    expect(keepsRule(rule, 1)).toBe(true);
  });
});

describe('quantityProblem: a count beyond 2^53 - 1 says so', () => {
  it.each(['integer', 'nonNegativeInteger'] as const)('%s', (rule) => {
    expect(quantityProblem(rule, 2 ** 60)).toMatch(/^expected a (positive )?whole number( >= 0)? up to 2\^53 - 1, got /);
    expect(quantityProblem(rule, MAX_COUNT)).toBeUndefined();
    // A fraction is no count, however large: the plain wording.
    expect(quantityProblem(rule, 1.5)).not.toMatch(/2\^53/);
  });

  it('other rules never mention the count limit', () => {
    expect(quantityProblem('positive', -(2 ** 60))).toBe(`expected a positive number, got ${-(2 ** 60)}`);
  });
});

describe("Daly's interval at the boundary (Daly 2006: tau = M for delta >= 2M)", () => {
  it('a checkpoint of exactly twice the MTBI takes the MTBI; just under uses the perturbation formula', () => {
    expect(dalyIntervalSeconds(7200, 3600)).toBe(3600);
    const x = 7199 / 7200;
    expect(dalyIntervalSeconds(7199, 3600)).toBeCloseTo(Math.sqrt(2 * 7199 * 3600) * (1 + Math.sqrt(x) / 3 + x / 9) - 7199, 9);
  });
});

describe('parseQuantity with unit words', () => {
  it('a plain number needs no unit; an exact unit wins over one of another case (Gb is not GB)', () => {
    const units = { GB: 1e9, Gb: 1.25e8 };
    expect(parseQuantity('5', { units })).toEqual({ ok: true, value: 5 });
    expect(parseQuantity('2 Gb', { units })).toEqual({ ok: true, value: 2.5e8 });
    expect(parseQuantity('2 GB', { units })).toEqual({ ok: true, value: 2e9 });
    expect(parseQuantity('2 gb', { units })).toEqual({ ok: true, value: 2e9 });
  });
});
