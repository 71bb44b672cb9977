import { describe, expect, it } from 'vitest';
import { trainingFlops6nd } from '../../src/core/compute.js';
import { assertFinite, estimateRun } from '../../src/core/estimate.js';
import { fixedPoint, solveRun, type SolveInputs } from '../../src/core/solve.js';
import { formatQuantity, formatScientific, parseQuantity } from '../../src/core/units.js';
import { ComputeError, UsageError } from '../../src/errors.js';

/**
 * Defects found by the property and fuzz tests (issue 6), each pinned by the smallest case found.
 */
const BASE = {
  gpuPeakFlopsPerSecond: 1e12,
  capexMultiplier: 1,
  powerFactor: 1,
  electricityUsdPerKwh: 0,
  householdKw: 0.5,
  tokensPerParam: 20,
};
/** A failure model where failures dominate (job MTBI of minutes), from a fast-check counterexample. */
const HARSH = { gpuMtbfHours: 10_000, restartSeconds: 0, checkpointBytesPerParam: 12, storageBytesPerSecond: 1e10 };

describe('formatQuantity / formatScientific at the edges', () => {
  it.each([
    [999.6e15, '1e18'],
    [999.5e15, '1e18'],
    [999.4e15, '999P'],
    [-999.6e15, '-1e18'],
  ])('rounds before choosing between P and scientific: %d → %s', (value, text) => {
    expect(formatQuantity(value)).toBe(text);
  });

  it('never rounds past the largest double into something that parses as Infinity', () => {
    expect(formatScientific(Number.MAX_VALUE)).toBe('1.79e308');
    expect(formatScientific(-Number.MAX_VALUE)).toBe('-1.79e308');
    expect(formatScientific(1.7950000000000001e308, 1)).toBe('1e308');
    expect(formatQuantity(1.7950000000000001e308)).toBe('1.79e308');
    expect(parseQuantity(formatQuantity(Number.MAX_VALUE))).toEqual({ ok: true, value: 1.79e308 });
    // Below the edge rounding stays rounding.
    expect(formatScientific(1.7949e308)).toBe('1.79e308');
    expect(formatScientific(1.5e308)).toBe('1.5e308');
    expect(formatScientific(1.2345e300)).toBe('1.23e300');
  });
});

describe('fixedPoint (solve for params with failures)', () => {
  it('finds x = step(x) for a decreasing step where plain iteration oscillates', () => {
    // step(x) = 10 − 1.9·x oscillates around 10/2.9 and diverges under x ← step(x).
    const step = (x: number): number => Math.max(0, 10 - 1.9 * x);
    const x = fixedPoint(step(0), step);
    expect(Math.abs(step(x) - x)).toBeLessThan(1e-12);
    expect(x).toBeCloseTo(10 / 2.9, 12);
  });

  it('returns step(start) when step does not depend on x, and NaN for NaN', () => {
    expect(fixedPoint(5, () => 5)).toBe(5);
    expect(fixedPoint(5, () => 3)).toBe(3);
    expect(fixedPoint(Number.NaN, () => Number.NaN)).toBeNaN();
  });

  it('the solved params fill the budget to double precision when failures dominate', () => {
    const inputs: SolveInputs = { ...BASE, failures: HARSH, solveFor: 'params', tokens: 1e8, gpus: 44_596, mfu: 0.0990731562342425, budgetSeconds: 237_076.07 };
    const solved = solveRun(inputs);
    const run = estimateRun({ ...BASE, failures: HARSH, trainingFlops: trainingFlops6nd(solved.value, 1e8), gpus: 44_596, mfu: inputs.mfu ?? 0, params: solved.value });
    expect(run.reliability?.goodput).toBeLessThan(0.3);
    expect(Math.abs(run.wallClockSeconds / inputs.budgetSeconds - 1)).toBeLessThan(1e-12);
  });
});

describe('solve errors name the right cause', () => {
  it('--for gpus without a failure model: more than 1e9 GPUs, not "failures cost more"', () => {
    const inputs: SolveInputs = { ...BASE, solveFor: 'gpus', params: 175e9, tokens: 300e9, mfu: 0.4, budgetSeconds: 0.0864 };
    expect(() => solveRun(inputs)).toThrow(new UsageError('solve --for gpus: meeting 1e-6 days would take more than 1B GPUs (give more --days or a higher --mfu)'));
    expect(() => solveRun({ ...inputs, failures: HARSH })).toThrow(/failures cost more than the GPUs add/);
  });

  it('a solved params or tokens that overflows is a ComputeError naming the solve inputs', () => {
    const tokens: SolveInputs = { ...BASE, solveFor: 'tokens', params: 1e-300, gpus: 1e5, mfu: 0.4, budgetSeconds: 8.64e10 };
    expect(() => solveRun(tokens)).toThrow(ComputeError);
    expect(() => solveRun(tokens)).toThrow(/^tokens would not be a finite number .* for inputs .*params=1e-300/);
    const params: SolveInputs = { ...BASE, solveFor: 'params', tokens: 1e-300, gpus: 1e5, mfu: 0.4, budgetSeconds: 8.64e10 };
    expect(() => solveRun(params)).toThrow(/^params would not be a finite number .*tokens=1e-300/);
  });
});

describe('assertFinite', () => {
  it('passes finite numbers and ignores non-numbers', () => {
    expect(() => assertFinite({ a: 1, b: 'x', c: [1, 2], d: undefined }, {})).not.toThrow();
  });

  it('names every non-finite field, in arrays too, and the numeric inputs only', () => {
    expect(() => assertFinite({ a: Number.NaN, b: 1, c: [1, Number.POSITIVE_INFINITY] }, { x: 2, y: 'text', z: Number.NEGATIVE_INFINITY })).toThrow(
      new ComputeError('a, c would not be a finite number (overflow or division by zero) for inputs x=2, z=-Infinity'),
    );
  });
});
