// The run utilization (issue 11) in solve and estimate: the share of its steady state a run keeps
// beyond failures scales the compute a budget buys and the MFU a deadline needs, worked by hand on
// round numbers: 1,000 GPUs of 1 PFLOP/s, 10 days (864,000 s), MFU 0.5, utilization 0.8, no failures.
import { describe, expect, it } from 'vitest';
import { estimateRun } from '../../src/core/estimate.js';
import { defaultSolveFor, solveRun, type SolveInputs } from '../../src/core/solve.js';

const BASE: SolveInputs = {
  solveFor: 'params',
  budgetSeconds: 864_000,
  gpus: 1000,
  mfu: 0.5,
  runUtilization: 0.8,
  tokens: 1e12,
  gpuPeakFlopsPerSecond: 1e15,
  capexMultiplier: 2,
  powerFactor: 2,
  electricityUsdPerKwh: 0.1,
  householdKw: 1,
  tokensPerParam: 20,
};
const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('solve with a run utilization of 0.8', () => {
  it('params: 1,000 x 1e15 x 0.5 x 0.8 x 864,000 = 3.456e23 FLOPs, / (6 x 1e12 tokens) = 5.76e10', () => {
    const r = solveRun(BASE);
    expect(rel(r.budgetFlops, 3.456e23)).toBeLessThan(1e-12);
    expect(rel(r.value, 5.76e10)).toBeLessThan(1e-12);
  });

  it('gpus: 1e24 FLOPs / (1e15 x 0.5 x 0.8 x 864,000 per GPU) = 2,893.5, rounded up', () => {
    const r = solveRun({ ...BASE, solveFor: 'gpus', gpus: undefined, tokens: undefined, trainingFlops: 1e24 });
    expect(r.value).toBe(2894);
  });

  it('mfu: 1e24 FLOPs on 2,000 GPUs in 10 days = 0.7234 of the peak while training', () => {
    const r = solveRun({ ...BASE, solveFor: 'mfu', gpus: 2000, mfu: undefined, tokens: undefined, trainingFlops: 1e24 });
    expect(rel(r.value, 1e24 / (2000 * 1e15 * 864_000 * 0.8))).toBeLessThan(1e-12);
    expect(r.feasible).toBe(true);
  });

  it('estimate: the run MFU is MFU x utilization x goodput (0.5 x 0.8 x 1)', () => {
    const r = estimateRun({ ...BASE, trainingFlops: 3.456e23 });
    expect(r.runMfu).toBeCloseTo(0.4, 12);
    expect(r.wallClockSeconds).toBeCloseTo(864_000, 3);
    // With failures (a 1,000-hour GPU MTBF on 1,000 GPUs: one a hour) goodput falls below 1 and multiplies in.
    const failing = estimateRun({ ...BASE, trainingFlops: 3.456e23, params: 1e9, failures: { gpuMtbfHours: 1000, restartSeconds: 600, checkpointBytesPerParam: 16, storageBytesPerSecond: 1e11 } });
    expect(failing.goodput).toBeLessThan(0.9);
    expect(failing.runMfu).toBeCloseTo(0.5 * 0.8 * failing.goodput, 12);
  });
});

describe('the default unknown', () => {
  it.each([
    [{ params: false, tokens: false, flops: true, gpus: false }, 'gpus'],
    [{ params: false, tokens: false, flops: true, gpus: true }, 'mfu'],
    [{ params: true, tokens: true, flops: false, gpus: false }, 'gpus'],
    [{ params: true, tokens: true, flops: false, gpus: true }, 'mfu'],
    [{ params: true, tokens: true, flops: false }, 'mfu'],
  ] as const)('%j: %s', (given, expected) => {
    expect(defaultSolveFor(given)).toBe(expected);
  });
});
