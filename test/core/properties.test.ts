import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trainingFlops6nd } from '../../src/core/compute.js';
import { estimateRun, type RunInputs, type RunResult } from '../../src/core/estimate.js';
import type { FailureModel } from '../../src/core/reliability.js';
import { solveRun, type SolveInputs } from '../../src/core/solve.js';
import { formatQuantity, formatScientific, parseQuantity, SECONDS_PER_DAY } from '../../src/core/units.js';
import { ComputeError, UsageError } from '../../src/errors.js';

/**
 * Properties of the core, checked by fast-check on generated inputs (a failure prints the seed and
 * the shrunk counterexample; replay with fc.assert(..., { seed, path })).
 */
const RUNS = { numRuns: 300 };

/** A double spread evenly over orders of magnitude in [lo, hi]. */
const logUniform = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.double({ min: Math.log10(lo), max: Math.log10(hi), noNaN: true }).map((e) => Math.min(hi, Math.max(lo, 10 ** e)));
const between = (min: number, max: number): fc.Arbitrary<number> => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const relClose = (a: number, b: number, tolerance = 1e-9): boolean => Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));

type Shared = Omit<RunInputs, 'trainingFlops' | 'gpus' | 'mfu'>;

/** Realistic hardware and prices (the range a user's scenario lives in). */
const shared: fc.Arbitrary<Shared> = fc.record({
  gpuPeakFlopsPerSecond: logUniform(1e12, 1e16),
  gpuPriceUsd: fc.option(logUniform(1e3, 1e5), { nil: undefined }),
  capexMultiplier: between(1, 3),
  tdpW: fc.option(logUniform(100, 2000), { nil: undefined }),
  powerFactor: between(1, 3),
  electricityUsdPerKwh: between(0, 1),
  householdKw: between(0.5, 5),
});

/** A failure model from near-perfect to Llama-3-like and worse (or none). */
const failures: fc.Arbitrary<FailureModel | undefined> = fc.option(
  fc.record({
    gpuMtbfHours: logUniform(1e4, 1e7),
    restartSeconds: between(0, 1800),
    checkpointBytesPerParam: fc.constantFrom(10, 12, 16),
    storageBytesPerSecond: logUniform(1e10, 1e13),
  }),
  { nil: undefined },
);

const gpusArb = fc.integer({ min: 1, max: 200_000 });
const mfuArb = between(0.05, 1);
const paramsArb = logUniform(1e7, 1e13);
const tokensArb = logUniform(1e8, 1e14);
const budgetArb = logUniform(3_600, 1e9);

const baseSolve = (s: Shared, budgetSeconds: number, f: FailureModel | undefined): Omit<SolveInputs, 'solveFor'> => ({
  ...s,
  budgetSeconds,
  tokensPerParam: 20,
  failures: f,
});

describe('estimate ∘ solve round trips: solve for X, plug X back into estimateRun, get the budget back', () => {
  it('params (tokens given): the run of the solved params takes the budget', () => {
    fc.assert(
      fc.property(shared, failures, tokensArb, gpusArb, mfuArb, budgetArb, (s, f, tokens, gpus, mfu, budgetSeconds) => {
        const solved = solveRun({ ...baseSolve(s, budgetSeconds, f), solveFor: 'params', tokens, gpus, mfu });
        const run = estimateRun({ ...s, failures: f, trainingFlops: trainingFlops6nd(solved.value, tokens), gpus, mfu, params: solved.value });
        return solved.params === solved.value && relClose(run.wallClockSeconds, budgetSeconds);
      }),
      RUNS,
    );
  });

  it('params (compute-optimal): tokens = ratio × params, and the run takes the budget', () => {
    fc.assert(
      fc.property(shared, failures, gpusArb, mfuArb, budgetArb, between(1, 100), (s, f, gpus, mfu, budgetSeconds, ratio) => {
        const solved = solveRun({ ...baseSolve(s, budgetSeconds, f), tokensPerParam: ratio, solveFor: 'params', gpus, mfu });
        const tokens = solved.tokens ?? Number.NaN;
        const run = estimateRun({ ...s, failures: f, trainingFlops: trainingFlops6nd(solved.value, tokens), gpus, mfu, params: solved.value });
        return solved.computeOptimal && relClose(tokens / solved.value, ratio, 1e-12) && relClose(run.wallClockSeconds, budgetSeconds);
      }),
      RUNS,
    );
  });

  it('tokens: the run of the solved tokens takes the budget', () => {
    fc.assert(
      fc.property(shared, failures, paramsArb, gpusArb, mfuArb, budgetArb, (s, f, params, gpus, mfu, budgetSeconds) => {
        const solved = solveRun({ ...baseSolve(s, budgetSeconds, f), solveFor: 'tokens', params, gpus, mfu });
        const run = estimateRun({ ...s, failures: f, trainingFlops: trainingFlops6nd(params, solved.value), gpus, mfu, params });
        return relClose(run.wallClockSeconds, budgetSeconds);
      }),
      RUNS,
    );
  });

  it('mfu: the run at the solved MFU takes the budget; feasible exactly when MFU ≤ 1', () => {
    fc.assert(
      fc.property(shared, failures, paramsArb, tokensArb, gpusArb, budgetArb, (s, f, params, tokens, gpus, budgetSeconds) => {
        const solved = solveRun({ ...baseSolve(s, budgetSeconds, f), solveFor: 'mfu', params, tokens, gpus });
        const run = estimateRun({ ...s, failures: f, trainingFlops: trainingFlops6nd(params, tokens), gpus, mfu: solved.value, params });
        return relClose(run.wallClockSeconds, budgetSeconds) && solved.feasible === solved.value <= 1;
      }),
      RUNS,
    );
  });

  it('days: the solved days are the run’s wall-clock', () => {
    fc.assert(
      fc.property(shared, failures, paramsArb, tokensArb, gpusArb, mfuArb, (s, f, params, tokens, gpus, mfu) => {
        const solved = solveRun({ ...baseSolve(s, 1, f), solveFor: 'days', params, tokens, gpus, mfu });
        const run = estimateRun({ ...s, failures: f, trainingFlops: trainingFlops6nd(params, tokens), gpus, mfu, params });
        return relClose(solved.value * SECONDS_PER_DAY, run.wallClockSeconds, 1e-12);
      }),
      RUNS,
    );
  });

  it('gpus: the solved count meets the budget and one GPU fewer does not', () => {
    fc.assert(
      fc.property(shared, failures, paramsArb, tokensArb, mfuArb, budgetArb, (s, f, params, tokens, mfu, budgetSeconds) => {
        const flops = trainingFlops6nd(params, tokens);
        let gpus: number;
        try {
          gpus = solveRun({ ...baseSolve(s, budgetSeconds, f), solveFor: 'gpus', params, tokens, mfu }).value;
        } catch (error) {
          // With failures, past some scale more GPUs lose more to failures than they add: no count meets it.
          fc.pre(!(error instanceof UsageError));
          throw error;
        }
        const secondsWith = (n: number): number => estimateRun({ ...s, failures: f, trainingFlops: flops, gpus: n, mfu, params }).wallClockSeconds;
        expect(Number.isInteger(gpus) && gpus >= 1).toBe(true);
        expect(secondsWith(gpus)).toBeLessThanOrEqual(budgetSeconds * (1 + 1e-9));
        if (gpus > 1) expect(secondsWith(gpus - 1)).toBeGreaterThan(budgetSeconds * (1 - 1e-9));
      }),
      RUNS,
    );
  });
});

describe('monotonicity', () => {
  const flopsArb = logUniform(1e18, 1e27);

  it('more GPUs never slow a failure-free run', () => {
    fc.assert(
      fc.property(shared, flopsArb, gpusArb, gpusArb, mfuArb, (s, trainingFlops, a, b, mfu) => {
        const [few, many] = a <= b ? [a, b] : [b, a];
        const slow = estimateRun({ ...s, trainingFlops, gpus: few, mfu });
        const fast = estimateRun({ ...s, trainingFlops, gpus: many, mfu });
        return fast.wallClockSeconds <= slow.wallClockSeconds;
      }),
      RUNS,
    );
  });

  it('a higher MFU never slows a run (with or without failures)', () => {
    fc.assert(
      fc.property(shared, failures, flopsArb, paramsArb, gpusArb, mfuArb, mfuArb, (s, f, trainingFlops, params, gpus, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const slow = estimateRun({ ...s, failures: f, params, trainingFlops, gpus, mfu: low });
        const fast = estimateRun({ ...s, failures: f, params, trainingFlops, gpus, mfu: high });
        return fast.wallClockSeconds <= slow.wallClockSeconds && fast.gpuHours <= slow.gpuHours;
      }),
      RUNS,
    );
  });

  it('more tokens never make a run cheaper or shorter (with or without failures)', () => {
    const costs = (r: RunResult): number[] => [r.wallClockSeconds, r.gpuHours, r.energyKwh ?? 0, r.energyCostUsd ?? 0, r.capexUsd ?? 0];
    fc.assert(
      fc.property(shared, failures, paramsArb, tokensArb, tokensArb, gpusArb, mfuArb, (s, f, params, a, b, gpus, mfu) => {
        const [fewer, more] = a <= b ? [a, b] : [b, a];
        const cheap = costs(estimateRun({ ...s, failures: f, params, trainingFlops: trainingFlops6nd(params, fewer), gpus, mfu }));
        const dear = costs(estimateRun({ ...s, failures: f, params, trainingFlops: trainingFlops6nd(params, more), gpus, mfu }));
        return dear.every((v, i) => v >= (cheap[i] as number));
      }),
      RUNS,
    );
  });
});

describe('scale invariance', () => {
  it('doubling the GPUs and halving the days buys the same params (failure-free)', () => {
    fc.assert(
      fc.property(shared, tokensArb, fc.integer({ min: 1, max: 100_000 }), mfuArb, budgetArb, fc.boolean(), (s, tokens, gpus, mfu, budgetSeconds, optimal) => {
        const given = optimal ? {} : { tokens };
        const base = solveRun({ ...baseSolve(s, budgetSeconds, undefined), ...given, solveFor: 'params', gpus, mfu });
        const scaled = solveRun({ ...baseSolve(s, budgetSeconds / 2, undefined), ...given, solveFor: 'params', gpus: gpus * 2, mfu });
        return relClose(base.value, scaled.value, 1e-12);
      }),
      RUNS,
    );
  });
});

describe('the number parser reads what the formatter prints', () => {
  /** Relative error of a 3-significant-digit rounding: at most half a unit in the third digit. */
  const withinPrecision = (printed: number, value: number): boolean => value === 0 ? printed === 0 : Math.abs(printed / value - 1) <= 5e-3 + 1e-12;

  it('parseQuantity(formatQuantity(x)) ≈ x for every non-negative normal double', () => {
    const value = fc.oneof(fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true }), logUniform(1e-300, 1e300), fc.constant(0));
    fc.assert(
      fc.property(value, (x) => {
        fc.pre(x === 0 || x >= 2.2250738585072014e-308); // subnormals carry fewer than 3 digits
        const text = formatQuantity(x);
        const parsed = parseQuantity(text);
        return parsed.ok && withinPrecision(parsed.value, x) && !/e\+|\.0+(?:\D|$)|\.\d*0(?:\D|$)/.test(text);
      }),
      { numRuns: 2_000 },
    );
  });

  it('parseQuantity(formatScientific(x)) ≈ x, also at the top of the double range', () => {
    fc.assert(
      fc.property(fc.oneof(logUniform(1e-300, 1e300), between(1e307, Number.MAX_VALUE)), (x) => {
        const parsed = parseQuantity(formatScientific(x));
        return parsed.ok && withinPrecision(parsed.value, x);
      }),
      { numRuns: 1_000 },
    );
  });

  it('any parsed value is finite and non-negative', () => {
    const token = fc.stringMatching(/^[0-9.eE+\-kKMGBbTtP ]{0,12}$/);
    fc.assert(
      fc.property(token, (text) => {
        const parsed = parseQuantity(text);
        return !parsed.ok || (Number.isFinite(parsed.value) && parsed.value >= 0 && !Object.is(parsed.value, -0));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('no finite input yields a non-finite output without an error', () => {
  /** Any positive finite double, from subnormal to MAX_VALUE, biased to the extremes. */
  const anyPositive = fc.oneof(
    fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true }),
    logUniform(1e-300, 1e300),
    fc.constantFrom(Number.MIN_VALUE, 1e-308, 1, Number.MAX_VALUE),
  );
  const anyNonNegative = fc.oneof(anyPositive, fc.constant(0));
  const hostileShared: fc.Arbitrary<Shared> = fc.record({
    gpuPeakFlopsPerSecond: anyPositive,
    gpuPriceUsd: fc.option(anyNonNegative, { nil: undefined }),
    capexMultiplier: anyPositive,
    tdpW: fc.option(anyPositive, { nil: undefined }),
    powerFactor: anyPositive,
    electricityUsdPerKwh: anyNonNegative,
    householdKw: anyPositive,
  });
  const hostileFailures: fc.Arbitrary<FailureModel | undefined> = fc.option(
    fc.record({ gpuMtbfHours: anyPositive, restartSeconds: anyNonNegative, checkpointBytesPerParam: anyPositive, storageBytesPerSecond: anyPositive }),
    { nil: undefined },
  );
  const mfu = fc.oneof(between(Number.MIN_VALUE, 1), fc.constant(1));
  const gpus = fc.oneof(fc.integer({ min: 1, max: 2 ** 31 }), fc.constantFrom(1, 1e15, 2 ** 53));

  /** Returns the paths of numbers in `value` that are NaN or ±Infinity. */
  const nonFinite = (value: unknown, path = ''): string[] => {
    if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  };
  /** Runs `f`; a ComputeError or UsageError is an accepted outcome, any other error is a failure. */
  const outcome = (f: () => object): string[] => {
    try {
      return nonFinite(f());
    } catch (error) {
      if (error instanceof ComputeError || error instanceof UsageError) return [];
      throw error;
    }
  };

  it('estimateRun returns only finite numbers, or throws a ComputeError', () => {
    fc.assert(
      fc.property(hostileShared, hostileFailures, anyPositive, fc.option(anyPositive, { nil: undefined }), gpus, mfu, (s, f, trainingFlops, params, n, m) => {
        expect(outcome(() => estimateRun({ ...s, failures: f, params, trainingFlops, gpus: n, mfu: m }))).toEqual([]);
      }),
      { numRuns: 1_000 },
    );
  });

  it('solveRun returns only finite numbers for every unknown, or throws a ComputeError / UsageError', () => {
    const target = fc.constantFrom('params', 'tokens', 'gpus', 'mfu', 'days') as fc.Arbitrary<SolveInputs['solveFor']>;
    fc.assert(
      fc.property(hostileShared, hostileFailures, target, anyPositive, anyPositive, anyPositive, gpus, mfu, (s, f, solveFor, params, tokens, budgetSeconds, n, m) => {
        const inputs: SolveInputs = { ...s, failures: f, solveFor, budgetSeconds, tokensPerParam: 20, gpus: n, mfu: m, params, tokens };
        if (solveFor === 'params') delete inputs.params;
        if (solveFor === 'tokens') delete inputs.tokens;
        if (solveFor === 'gpus') delete inputs.gpus;
        if (solveFor === 'mfu') delete inputs.mfu;
        expect(outcome(() => solveRun(inputs))).toEqual([]);
      }),
      { numRuns: 1_000 },
    );
  });
});
