import { describe, expect, it } from 'vitest';
import { backtest, BASELINE_CONSTANT_MFU } from '../../src/core/backtest.js';
import { impliedMfu, median, mfuDefault, RANGE_RATIO, type RunObservation } from '../../src/core/calibration.js';

/**
 * MFU calibration and the backtest on made-up runs with round numbers: each run uses one 1e12 FLOP/s
 * accelerator for 1 hour at goodput 1, so its implied MFU is FLOPs / 3.6e15 and a prediction at MFU
 * m is implied / m accelerator-hours. (The real runs are checked end to end in test/cli/reality.test.ts.)
 */
const run = (name: string, family: string, implied: number, goodput = 1): RunObservation => ({
  name,
  family,
  trainingFlops: implied * 3.6e15 * goodput,
  referencePeakFlopsPerSecond: 1e12,
  gpuHours: 1,
  goodput,
});
const A = run('a', 'hopper', 0.4);
const B = run('b', 'hopper', 0.2);
const C = run('c', 'ampere', 0.5);
const half = Math.sqrt(RANGE_RATIO);

describe('impliedMfu and median', () => {
  it('implied MFU = FLOPs / (peak × GPU-seconds × goodput)', () => {
    expect(impliedMfu(A)).toBeCloseTo(0.4, 12);
    expect(impliedMfu(run('g', 'x', 0.3, 0.5))).toBeCloseTo(0.3, 12);
    expect(impliedMfu({ ...A, gpuHours: 2 })).toBeCloseTo(0.2, 12);
    expect(impliedMfu({ ...A, referencePeakFlopsPerSecond: 2e12 })).toBeCloseTo(0.2, 12);
  });

  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, -1], 4.5],
  ])('median(%j) = %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('median does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('mfuDefault', () => {
  it('the median of the family, with a range of ratio RANGE_RATIO around it (geometric)', () => {
    const d = mfuDefault([A, B, C], 'hopper');
    expect(d?.mfu).toBeCloseTo(0.3, 12);
    expect(d?.high).toBeCloseTo(0.3 * half, 12);
    expect(d?.low).toBeCloseTo((0.3 * half) / RANGE_RATIO, 12);
    expect(d).toMatchObject({ runs: ['a', 'b'], basis: 'family' });
  });

  it('all runs when the family has none; undefined when there are no runs', () => {
    expect(mfuDefault([A, B, C], 'volta')).toMatchObject({ runs: ['a', 'b', 'c'], basis: 'all' });
    expect(mfuDefault([A, B, C], 'volta')?.mfu).toBeCloseTo(0.4, 12);
    expect(mfuDefault([], 'hopper')).toBeUndefined();
    expect(mfuDefault([A], 'hopper', 'a')).toBeUndefined();
  });

  it('leaves one run out when asked (for honest backtests)', () => {
    expect(mfuDefault([A, B, C], 'hopper', 'a')).toMatchObject({ runs: ['b'], basis: 'family' });
    expect(mfuDefault([A, B, C], 'ampere', 'c')).toMatchObject({ runs: ['a', 'b'], basis: 'all' });
  });

  it('caps the MFU and the top of its range at 1', () => {
    const d = mfuDefault([run('x', 'f', 1.5)], 'f');
    expect(d).toMatchObject({ mfu: 1, high: 1, low: 1 / RANGE_RATIO });
    const near = mfuDefault([run('y', 'f', 0.9)], 'f');
    expect(near?.high).toBe(1);
    expect(near?.mfu).toBeCloseTo(0.9, 12);
  });
});

describe('backtest', () => {
  // Called inside each test (not at collection), so that a broken backtest fails the tests.
  const row = (name: string) => backtest([A, B, C]).rows.find((r) => r.name === name);

  it('predicts each run at its family default (in-sample), with the stated range', () => {
    const a = row('a');
    // hopper default 0.3: a (implied 0.4) is predicted at 0.4 / 0.3 GPU-hours.
    expect(a?.mfuUsed).toBeCloseTo(0.3, 12);
    expect(a?.impliedMfu).toBeCloseTo(0.4, 12);
    expect(a?.predictedGpuHours).toBeCloseTo(0.4 / 0.3, 12);
    expect(a?.relativeError).toBeCloseTo(0.4 / 0.3 - 1, 12);
    expect(a?.absLogError).toBeCloseTo(Math.log(0.4 / 0.3), 12);
    expect(a?.predictedGpuHoursRange[0]).toBeCloseTo(0.4 / (0.3 * half), 12);
    expect(a?.predictedGpuHoursRange[1]).toBeCloseTo(0.4 / ((0.3 * half) / RANGE_RATIO), 12);
    expect(a?.inside).toBe(true);
    expect(a).toMatchObject({ family: 'hopper', reportedGpuHours: 1, goodput: 1 });
    // b (implied 0.2) is predicted at 0.2 / 0.3 = 0.667 h in [0.471, 0.943]: the reported 1 h is outside.
    expect(row('b')?.inside).toBe(false);
    expect(row('c')?.inside).toBe(true);
  });

  it('leave-one-out predicts from the other runs only, and says when the range misses', () => {
    const a = row('a');
    // Without a, hopper's default is b's 0.2: 0.4 / 0.2 = 2 h, range [0.4/(0.2·√2), 0.4/(0.2/√2)] = [1.41, 2.83] misses 1 h.
    expect(a?.looPredictedGpuHours).toBeCloseTo(2, 12);
    expect(a?.looAbsLogError).toBeCloseTo(Math.log(2), 12);
    expect(a?.looInside).toBe(false);
    // Without c, no ampere run is left: all the others (median 0.3) predict it.
    expect(row('c')?.looPredictedGpuHours).toBeCloseTo(0.5 / 0.3, 12);
    expect(row('c')?.absLogError).toBeCloseTo(0, 12);
  });

  it('reported hours below or above the range are outside it, in-sample and leave-one-out', () => {
    // x runs at 0.9 where its family's median is 0.1: predicted 9 h, range [6.4, 12.7] h, reported 1 h.
    const skewed = backtest([run('x', 'f', 0.9), run('y', 'f', 0.1), run('z', 'f', 0.1)]).rows;
    expect(skewed[0]).toMatchObject({ inside: false, looInside: false });
    // b (0.2) without a: a's 0.4 predicts 0.5 h, range [0.35, 0.71] h: the reported 1 h is above it.
    expect(row('b')?.looInside).toBe(false);
  });

  it('a reported figure exactly on either end of the range is inside', () => {
    // x at 0.5 with y at 1: median 0.75, range capped at MFU 1 and 0.5 → x's range is [0.5, 1] h, reported 1 h.
    const upper = backtest([run('x', 'f', 0.5), run('y', 'f', 1)]).rows;
    expect(upper[0]?.predictedGpuHoursRange).toEqual([0.5, 1]);
    expect(upper[0]?.inside).toBe(true);
    // Without x, y alone (1) gives the range [0.5, 1] too.
    expect(upper[0]?.looInside).toBe(true);
    // Two runs at MFU 1: each one's range (from itself, or from the other) starts at exactly 1 h.
    const lower = backtest([run('p', 'f', 1), run('q', 'f', 1)]).rows;
    expect(lower[0]?.predictedGpuHoursRange[0]).toBe(1);
    expect(lower[0]).toMatchObject({ inside: true, looInside: true });
  });

  it('errors are relative to the reported hours (not 1 h)', () => {
    const r = backtest([{ ...run('h', 'f', 0.4), gpuHours: 4, trainingFlops: 0.4 * 3.6e15 * 8 }]).rows[0];
    // 8 hours' worth of FLOPs at the run's own MFU (the family median: its implied 0.8) → 4 h predicted.
    expect(r?.impliedMfu).toBeCloseTo(0.8, 12);
    expect(r?.predictedGpuHours).toBeCloseTo(4, 12);
    expect(r?.relativeError).toBeCloseTo(0, 12);
    expect(r?.absLogError).toBeCloseTo(0, 12);
    expect(r?.baselineAbsLogError).toBeCloseTo(Math.abs(Math.log((0.4 * 8) / 0.375 / 4)), 12);
  });

  it('a range that holds the reported hours under leave-one-out is inside', () => {
    const close = backtest([run('p', 'f', 0.4), run('q', 'f', 0.45)]);
    expect(close.rows.every((r) => r.looInside)).toBe(true);
    expect(close.summary.looShareInside).toBe(1);
  });

  it('against the constant-MFU baseline of Epoch AI (0.375, no failures)', () => {
    expect(BASELINE_CONSTANT_MFU).toBe(0.375);
    expect(row('c')?.baselineAbsLogError).toBeCloseTo(Math.abs(Math.log(0.5 / 0.375)), 12);
    const withFailures = backtest([run('g', 'f', 0.3, 0.5)]).rows[0];
    // The baseline ignores goodput: 0.3 × 0.5 of the peak over the hour, at 0.375 → 0.15 / 0.375 h.
    expect(withFailures?.baselineAbsLogError).toBeCloseTo(Math.abs(Math.log(0.15 / 0.375)), 12);
    expect(withFailures?.predictedGpuHours).toBeCloseTo(1, 12);
  });

  it('summary: medians, shares inside, the range ratio', () => {
    const { rows, summary } = backtest([A, B, C]);
    expect(summary.runs).toBe(3);
    expect(summary.rangeRatio).toBe(RANGE_RATIO);
    expect(summary.medianAbsLogError).toBeCloseTo(median(rows.map((r) => r.absLogError)), 15);
    expect(summary.looMedianAbsLogError).toBeCloseTo(median(rows.map((r) => r.looAbsLogError)), 15);
    expect(summary.baselineMedianAbsLogError).toBeCloseTo(median(rows.map((r) => r.baselineAbsLogError)), 15);
    expect(summary.shareInside).toBeCloseTo(rows.filter((r) => r.inside).length / 3, 15);
    expect(summary.looShareInside).toBeCloseTo(rows.filter((r) => r.looInside).length / 3, 15);
    expect(summary.looShareInside).toBeLessThan(1);
  });

  it('one run alone: no leave-one-out prediction; no runs: zero shares', () => {
    const alone = backtest([A]).rows[0];
    expect(alone?.looPredictedGpuHours).toBeNaN();
    expect(alone?.looInside).toBe(false);
    expect(backtest([]).summary).toMatchObject({ runs: 0, shareInside: 0, looShareInside: 0 });
  });
});
