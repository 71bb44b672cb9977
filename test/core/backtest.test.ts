// The backtest's methods and summaries on three made-up runs small enough to follow by hand (issue
// 11). Every run uses one 1e12 FLOP/s accelerator (16-bit peak too); a run of MFU m over its whole
// run, failures out, at goodput g, over H GPU-hours, did m x g x 3.6e15 x H FLOPs.
import { describe, expect, it } from 'vitest';
import { backtestMethod, bestConstantMethod, constantMethod, looResiduals, measuredMethod, predictedHours, publishedMethod, steadyStateMethod, type Method } from '../../src/core/backtest.js';
import { FP8_SPEEDUP, fitRunUtilization, lowestConstantError, MOE_MFU_FACTOR, quantile, sixteenBitMfu, type RunObservation } from '../../src/core/calibration.js';

const run = (name: string, family: string, mfu: number, extra: Partial<RunObservation> = {}): RunObservation => {
  const goodput = extra.goodput ?? 1;
  const gpuHours = extra.gpuHours ?? 1;
  return { name, family, trainingFlops: mfu * goodput * 3.6e15 * gpuHours, peakFlopsPerSecond: 1e12, sixteenBitPeakFlopsPerSecond: 1e12, structure: 1, moe: false, gpuHours, goodput, ...extra };
};
// A and B publish their steady-state MFU: they kept 0.8 and 0.5 of it over the run (prior: the median, 0.65).
const A = run('a', 'hopper', 0.4, { steadyStateMfu: 0.5 });
const B = run('b', 'hopper', 0.2, { steadyStateMfu: 0.4 });
// C lost half its wall-clock to failures: 0.3 x 0.5 x 3.6e15 = 5.4e14 FLOPs in one GPU-hour.
const C = run('c', 'ampere', 0.3, { goodput: 0.5 });
const RUNS = [A, B, C];

describe('predicted GPU-hours = FLOPs / (peak x steady-state MFU x goodput x run utilization x 3,600 s)', () => {
  it('C at steady state 0.6, goodput 0.5, utilization 0.5: 5.4e14 / (1e12 x 0.15 x 3,600) = 1 hour', () => {
    expect(predictedHours(C, { steadyStateMfu: 0.6, goodput: 0.5, runUtilization: 0.5 })).toBeCloseTo(1, 12);
    expect(predictedHours(C, { steadyStateMfu: 0.6, goodput: 0.5, runUtilization: 0.25 })).toBeCloseTo(2, 12);
  });
});

describe('the methods on three runs', () => {
  it('published: C\'s own family (ampere: C alone, 0.3) over the prior 0.65; without any run, no prediction', () => {
    expect(publishedMethod(RUNS, C, new Set())).toEqual({ steadyStateMfu: 0.3 / 0.65, goodput: 0.5, runUtilization: 0.65 });
    expect(publishedMethod(RUNS, C, new Set(['a', 'b', 'c']))).toBeUndefined();
  });

  it('published without a prior (no run publishes its steady state): the run MFU is the steady state, utilization 1', () => {
    const plain = [run('x', 'hopper', 0.3), run('y', 'hopper', 0.5)];
    expect(publishedMethod(plain, plain[0]!, new Set())).toEqual({ steadyStateMfu: 0.4, goodput: 1, runUtilization: 1 });
    // A steady-state model's MFU without a prior: utilization 1 too.
    expect(steadyStateMethod(new Map([['x', 0.45]]))(plain, plain[0]!, new Set())).toEqual({ steadyStateMfu: 0.45, goodput: 1, runUtilization: 1 });
  });

  it('measured: A\'s own 0.5 x B\'s share 0.5 (A left out); none when no other run gives a prior', () => {
    expect(measuredMethod(RUNS, A, new Set(['a']))).toEqual({ steadyStateMfu: 0.5, goodput: 1, runUtilization: 0.5 });
    expect(measuredMethod(RUNS, A, new Set(['a', 'b']))).toBeUndefined();
  });

  it('best constant: none without runs to fit it on', () => {
    expect(bestConstantMethod(RUNS, A, new Set(['a', 'b', 'c']))).toBeUndefined();
  });

  it('leave-one-out residuals ln(reported / predicted) of a constant 0.5: A 0.8 h, B 0.4 h, C 0.3 h predicted for 1 h each', () => {
    const residuals = looResiduals(RUNS, constantMethod(0.5));
    expect(residuals).toHaveLength(3);
    [Math.log(1 / 0.8), Math.log(1 / 0.4), Math.log(1 / 0.3)].forEach((r, i) => expect(residuals[i]).toBeCloseTo(r, 12));
    // Only the runs a method predicts: measured needs the run's steady state and another run's prior.
    expect(looResiduals(RUNS, measuredMethod)).toEqual([Math.log(1 / predictedHours(A, { steadyStateMfu: 0.5, goodput: 1, runUtilization: 0.5 })), Math.log(1 / predictedHours(B, { steadyStateMfu: 0.4, goodput: 1, runUtilization: 0.8 }))]);
    expect(looResiduals(RUNS, constantMethod(0.5), new Set(['b']))).toHaveLength(2);
  });
});

describe('backtestMethod on runs a constant predicts exactly', () => {
  // Four runs at 0.25 of the peak, predicted at a constant 0.5: 0.5 h for each 1 h, every residual ln 2.
  const quarter = ['p', 'q', 'r', 's'].map((n) => run(n, 'hopper', 0.25));
  const b = backtestMethod(quarter, constantMethod(0.5))!;

  it('the range is exactly x2 to x2, so each reported hour lies on both ends of its band (inside)', () => {
    expect(b.range).toEqual({ low: 2, high: 2, runs: 4 });
    for (const row of b.rows) {
      expect(row.predictedGpuHours).toBe(0.5);
      expect(row.predictedGpuHoursRange).toEqual([1, 1]);
      expect(row.inside).toBe(true);
      expect(row.looInside).toBe(true);
      expect(row.logError).toBe(-Math.LN2);
      expect(row.looLogError).toBe(-Math.LN2);
    }
    expect(b.inSample).toEqual({ medianAbsLogError: Math.LN2, coverage: 1, medianRangeRatio: 1 });
    expect(b.leaveOneOut).toEqual({ medianAbsLogError: Math.LN2, coverage: 1, medianRangeRatio: 1 });
  });

  it('with two runs, a run\'s nested leave-one-out leaves nothing to fit: its range is the overall one', () => {
    const two = backtestMethod([A, B], publishedMethod)!;
    expect(two.rows).toHaveLength(2);
    for (const row of two.rows) {
      expect(row.looPredictedGpuHoursRange[0]).toBeCloseTo(row.looPredictedGpuHours * two.range.low, 12);
      expect(row.looPredictedGpuHoursRange[1]).toBeCloseTo(row.looPredictedGpuHours * two.range.high, 12);
    }
  });

  it('a run the method predicts in-sample only is left out of the rows', () => {
    const inSampleOnly: Method = (runs, r, exclude) => (exclude.has(r.name) && r.name === 'q' ? undefined : constantMethod(0.5)(runs, r, exclude));
    const rows = backtestMethod(quarter, inSampleOnly)!.rows;
    expect(rows.map((r) => r.name)).toEqual(['p', 'r', 's']);
  });
});

describe('calibration helpers at their edges', () => {
  it('quantile sorts its input (type 7): the 10th percentile of 5, 1, 4, 2, 3 is 1.4', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.1)).toBeCloseTo(1.4, 12);
  });

  it('the utilization prior lists its runs lowest share first, whatever their order', () => {
    expect(fitRunUtilization([A, B, C])?.shares).toEqual([{ name: 'b', share: 0.5 }, { name: 'a', share: 0.8 }]);
    expect(fitRunUtilization([B, A])?.shares.map((s) => s.name)).toEqual(['b', 'a']);
  });

  it('the 16-bit MFU of a 2-hour run is half that of the same FLOPs in 1 hour', () => {
    expect(sixteenBitMfu({ ...A, gpuHours: 2 })).toBeCloseTo(0.2, 12);
    // Identical runs: a constant at their MFU is exact.
    expect(lowestConstantError([A, A])).toBe(0);
  });

  it('the constants name their sources (printed with every estimate that uses them)', () => {
    expect(FP8_SPEEDUP.source).toMatch(/torchao/);
    expect(MOE_MFU_FACTOR.source).toMatch(/NeMo/);
  });
});
