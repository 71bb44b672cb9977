import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimate, solve } from '../../src/api.js';
import { parseQuantity } from '../../src/core/units.js';

/**
 * Issue 14: the JSDoc examples of the library show what the calls return (one said 67.7 days where
 * the call returned 73.2). Every "@example call // ≈ value" of src/api.ts is run and compared.
 */
const source = readFileSync(new URL('../../src/api.ts', import.meta.url), 'utf8');
const examples = [...source.matchAll(/@example (.+?) \/\/ ≈ ([\d.,ekMBT]+)/g)].map((m) => ({ call: m[1] ?? '', printed: m[2] ?? '' }));

describe('JSDoc examples of estimate() and solve()', () => {
  it('there are examples with values', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });
  it.each(examples)('$call ≈ $printed', ({ call, printed }) => {
    const value = new Function('estimate', 'solve', `return ${call};`)(estimate, solve) as number;
    const expected = parseQuantity(printed);
    if (!expected.ok) throw new Error(`cannot read ${printed}`);
    // The example rounds to 3 significant digits (4 for a count written in full).
    expect(Math.abs(value / expected.value - 1)).toBeLessThan(0.005);
  });
});
