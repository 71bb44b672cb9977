import { describe, expect, it } from 'vitest';
import { estimateRun } from '../../src/core/estimate.js';
import { defaultSolveFor, solveRun, type SolveInputs } from '../../src/core/solve.js';
import { UsageError } from '../../src/errors.js';

/** Seed article rows 10-11: Colossus, 100 days, 15T tokens, peak 1,979 TFLOP/s at MFU 1. */
const COLOSSUS: SolveInputs = {
  solveFor: 'params',
  budgetSeconds: 100 * 86_400,
  gpus: 100_000,
  mfu: 1,
  tokens: 15e12,
  gpuPeakFlopsPerSecond: 1979e12,
  gpuPriceUsd: 30_000,
  capexMultiplier: 2,
  tdpW: 700,
  powerFactor: 2,
  electricityUsdPerKwh: 0.083,
  householdKw: 1.232,
  tokensPerParam: 20,
};

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('defaultSolveFor', () => {
  it.each([
    [{ params: false, tokens: false, flops: false }, 'params'],
    [{ params: false, tokens: true, flops: false }, 'params'],
    [{ params: true, tokens: false, flops: false }, 'tokens'],
    [{ params: true, tokens: true, flops: false }, 'mfu'],
    [{ params: false, tokens: false, flops: true }, 'mfu'],
  ] as const)('%j → %s', (given, expected) => {
    expect(defaultSolveFor(given)).toBe(expected);
  });
});

describe('solveRun', () => {
  it('largest model in 100 days: 1.71e27 FLOPs, 1.9e13 params (seed rows 10-11)', () => {
    const r = solveRun(COLOSSUS);
    expect(rel(r.budgetFlops, 1.71e27)).toBeLessThan(1e-3);
    expect(rel(r.value, 1.9e13)).toBeLessThan(5e-3);
    expect(rel(r.run.wallClockSeconds, 100 * 86_400)).toBeLessThan(1e-12);
  });

  it('at 500 TFLOP/s per GPU: 4.8e12 params (seed row 11)', () => {
    expect(rel(solveRun({ ...COLOSSUS, gpuPeakFlopsPerSecond: 500e12 }).value, 4.8e12)).toBeLessThan(1e-9);
  });

  it('compute-optimal pair when neither params nor tokens is known: D = 20 N, 6ND = budget', () => {
    const r = solveRun({ ...COLOSSUS, tokens: undefined });
    expect(r.computeOptimal).toBe(true);
    expect(rel(r.tokens as number, 20 * (r.params as number))).toBeLessThan(1e-12);
    expect(rel(6 * (r.params as number) * (r.tokens as number), r.budgetFlops)).toBeLessThan(1e-12);
  });

  it.each(['tokens', 'gpus', 'mfu', 'days'] as const)('round trip: solving for %s and re-estimating meets the budget', (solveFor) => {
    const base = { ...COLOSSUS, solveFor, params: 405e9, tokens: solveFor === 'tokens' ? undefined : 15.6e12, mfu: solveFor === 'mfu' ? undefined : 0.4, gpus: solveFor === 'gpus' ? undefined : 16_384, gpuPeakFlopsPerSecond: 989.4e12 };
    const r = solveRun(base);
    const again = estimateRun({ ...base, trainingFlops: 6 * (r.params as number) * (r.tokens as number), gpus: r.gpus, mfu: r.mfu });
    if (solveFor === 'gpus') {
      // Whole GPUs, rounded up: at most the budget, and one GPU fewer would miss it.
      expect(again.wallClockSeconds).toBeLessThanOrEqual(base.budgetSeconds);
      const fewer = estimateRun({ ...base, trainingFlops: again.trainingFlops, gpus: r.gpus - 1, mfu: r.mfu });
      expect(fewer.wallClockSeconds).toBeGreaterThan(base.budgetSeconds);
    } else if (solveFor === 'days') {
      expect(rel(r.value, again.wallClockSeconds / 86_400)).toBeLessThan(1e-12);
    } else {
      expect(rel(again.wallClockSeconds, base.budgetSeconds)).toBeLessThan(1e-9);
    }
  });

  it('flags an MFU above 1 as infeasible', () => {
    const r = solveRun({ ...COLOSSUS, solveFor: 'mfu', mfu: undefined, params: 1e13, tokens: 1e14, budgetSeconds: 86_400 });
    expect(r.feasible).toBe(false);
    expect(r.mfu).toBeGreaterThan(1);
  });

  it('says what is missing', () => {
    expect(() => solveRun({ ...COLOSSUS, solveFor: 'tokens' })).toThrow(UsageError);
    expect(() => solveRun({ ...COLOSSUS, solveFor: 'gpus', tokens: undefined })).toThrow(/needs --flops/);
  });
});

describe('solveRun with failures (goodput depends on the unknown)', () => {
  const failures = { gpuMtbfHours: 50_677, restartSeconds: 600, checkpointBytesPerParam: 16, storageBytesPerSecond: 2e12 };
  const base: SolveInputs = { ...COLOSSUS, gpuPeakFlopsPerSecond: 989.4e12, mfu: 0.4, failures };

  it('params: the solved model, estimated back, takes exactly the budget, failures included', () => {
    const r = solveRun(base);
    const again = estimateRun({ ...base, trainingFlops: 6 * r.value * 15e12, gpus: 100_000, mfu: 0.4, params: r.value });
    expect(rel(again.wallClockSeconds, base.budgetSeconds)).toBeLessThan(1e-9);
    expect(r.value).toBeLessThan(r.failureFreeValue);
  });

  it('gpus: whole GPUs that meet the deadline with failures, one fewer misses it', () => {
    const inputs: SolveInputs = { ...base, solveFor: 'gpus', gpus: undefined, params: 405e9, tokens: 15.6e12, budgetSeconds: 30 * 86_400 };
    const r = solveRun(inputs);
    const at = (gpus: number): number => estimateRun({ ...inputs, trainingFlops: 6 * 405e9 * 15.6e12, gpus, mfu: 0.4, params: 405e9 }).wallClockSeconds;
    expect(at(r.gpus)).toBeLessThanOrEqual(inputs.budgetSeconds);
    expect(at(r.gpus - 1)).toBeGreaterThan(inputs.budgetSeconds);
    expect(r.gpus).toBeGreaterThan(r.failureFreeValue);
  });

  it('gpus: when failures grow faster than GPUs add, no count meets the deadline (an error, not a number)', () => {
    const inputs: SolveInputs = { ...base, solveFor: 'gpus', gpus: undefined, params: 405e9, tokens: 15.6e12, budgetSeconds: 0.5 * 86_400, restartSeconds: 3600 };
    expect(() => solveRun(inputs)).toThrow(/no GPU count meets/);
  });

  it('mfu: the MFU the deadline needs rises by 1 / goodput', () => {
    const inputs: SolveInputs = { ...base, solveFor: 'mfu', mfu: undefined, params: 405e9, tokens: 15.6e12, gpus: 16_384, budgetSeconds: 80 * 86_400 };
    const r = solveRun(inputs);
    expect(r.mfu).toBeGreaterThan(r.failureFreeValue);
    expect(rel(r.run.wallClockSeconds, inputs.budgetSeconds)).toBeLessThan(1e-9);
  });
});
