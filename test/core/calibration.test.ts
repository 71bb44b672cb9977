import { describe, expect, it } from 'vitest';
import {
  backtestMethod,
  BASELINE_CONSTANT_MFU,
  bestConstantMethod,
  constantMethod,
  looResiduals,
  measuredMethod,
  predictedHours,
  publishedMethod,
  steadyStateMethod,
} from '../../src/core/backtest.js';
import {
  bestConstantMfu,
  fitRunMfu,
  fitRunUtilization,
  FP8_SPEEDUP,
  hoursAt,
  lowestConstantError,
  MATMUL_TIME_SHARE,
  median,
  MOE_MFU_FACTOR,
  precisionFactor,
  quantile,
  rangeFromResiduals,
  runMfu,
  type RunObservation,
} from '../../src/core/calibration.js';

/**
 * Run-level calibration (issue 11) on made-up runs with round numbers: each run uses one 1e12 FLOP/s
 * accelerator for one hour, so a run whose MFU over the whole run is m (failures out) at goodput g
 * did m x g x 3.6e15 FLOPs. (The real runs are checked end to end in test/cli/run-level.test.ts.)
 */
const run = (name: string, family: string, mfu: number, extra: Partial<RunObservation> = {}): RunObservation => {
  const goodput = extra.goodput ?? 1;
  return {
    name,
    family,
    trainingFlops: mfu * goodput * 3.6e15,
    peakFlopsPerSecond: 1e12,
    sixteenBitPeakFlopsPerSecond: 1e12,
    structure: 1,
    moe: false,
    gpuHours: 1,
    goodput,
    ...extra,
  };
};

describe('runMfu, hoursAt, median and quantile', () => {
  it('run MFU = FLOPs / (peak x GPU-seconds x goodput); hoursAt inverts it', () => {
    const a = run('a', 'x', 0.3, { goodput: 0.5 });
    expect(runMfu(a)).toBeCloseTo(0.3, 12);
    expect(runMfu({ ...a, gpuHours: 2 })).toBeCloseTo(0.15, 12);
    expect(hoursAt(a, 0.3)).toBeCloseTo(1, 12);
    expect(hoursAt(a, 0.6)).toBeCloseTo(0.5, 12);
  });

  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('median(%j) = %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  // Hyndman and Fan type 7 (R's and NumPy's default): h = (n - 1) p, linear between order statistics.
  it.each([
    [[1, 2, 3, 4, 5], 0.1, 1.4],
    [[1, 2, 3, 4, 5], 0.9, 4.6],
    [[5, 1, 3, 2, 4], 0.5, 3],
    [[10, 20], 0.25, 12.5],
    [[7], 0.9, 7],
  ])('quantile(%j, %d) = %d', (values, p, expected) => {
    expect(quantile(values, p)).toBeCloseTo(expected, 12);
  });
});

describe('precision: MFU is against the peak of the precision that ran the matrix multiplies', () => {
  it('FP8 at twice the peak runs FP8_SPEEDUP (1.37x, torchao) faster, so its MFU is 0.685 of the 16-bit one', () => {
    expect(precisionFactor(2, 1) * 2).toBeCloseTo(FP8_SPEEDUP.value, 12);
    expect(precisionFactor(1978.9e12, 989.4e12)).toBeCloseTo(0.685, 3);
    expect(MATMUL_TIME_SHARE).toBeCloseTo(0.54, 2);
  });

  it('16 bits is the reference; a slower format (TF32, half the peak) keeps a higher MFU but runs slower', () => {
    expect(precisionFactor(312e12, 312e12)).toBe(1);
    const tf32 = precisionFactor(0.5, 1);
    expect(tf32).toBeGreaterThan(1);
    expect(tf32 * 0.5).toBeLessThan(1);
  });
});

describe('fitRunMfu: the published runs on the family, as dense 16-bit runs', () => {
  const A = run('a', 'hopper', 0.4);
  const B = run('b', 'hopper', 0.2);
  const C = run('c', 'ampere', 0.5);
  // An FP8 MoE run: its structure takes both factors out before the median (built inside the test,
  // so that mutation testing sees which test runs precisionFactor).
  const fp8Moe = (): RunObservation => run('d', 'hopper', 0.3 * precisionFactor(2, 1) * MOE_MFU_FACTOR.value, { structure: precisionFactor(2, 1) * MOE_MFU_FACTOR.value, moe: true });

  it('the median of run MFU / structure over the family', () => {
    expect(fitRunMfu([A, B, C], 'hopper')).toMatchObject({ runs: ['a', 'b'], basis: 'family' });
    expect(fitRunMfu([A, B, C], 'hopper')?.mfu16).toBeCloseTo(0.3, 12);
    expect(fitRunMfu([A, B, fp8Moe()], 'hopper')?.mfu16).toBeCloseTo(0.3, 12);
  });

  it('all runs when the family has none; undefined without runs; exclude leaves runs out', () => {
    expect(fitRunMfu([A, B, C], 'volta')).toMatchObject({ runs: ['a', 'b', 'c'], basis: 'all' });
    expect(fitRunMfu([A, B, C], 'volta')?.mfu16).toBeCloseTo(0.4, 12);
    expect(fitRunMfu([], 'hopper')).toBeUndefined();
    expect(fitRunMfu([A, B, C], 'hopper', new Set(['a']))).toMatchObject({ runs: ['b'] });
    expect(fitRunMfu([A, B, C], 'ampere', new Set(['c']))).toMatchObject({ runs: ['a', 'b'], basis: 'all' });
  });
});

describe('fitRunUtilization: the share of its own steady-state throughput a run keeps', () => {
  // Shares 0.5, 0.8, 0.9, 1.0 (run MFU / steady-state MFU); E publishes no throughput.
  const runs = [
    run('p', 'x', 0.2, { steadyStateMfu: 0.4 }),
    run('q', 'x', 0.32, { steadyStateMfu: 0.4 }),
    run('r', 'x', 0.27, { steadyStateMfu: 0.3 }),
    run('s', 'x', 0.5, { steadyStateMfu: 0.5 }),
    run('e', 'x', 0.1),
  ];

  it('median share over the runs that publish a throughput, with its runs and 10th-90th percentiles', () => {
    const u = fitRunUtilization(runs);
    expect(u?.value).toBeCloseTo(0.85, 12);
    expect(u?.shares.map((s) => s.name)).toEqual(['p', 'q', 'r', 's']);
    expect(u?.low).toBeCloseTo(quantile([0.5, 0.8, 0.9, 1], 0.1), 12);
    expect(u?.high).toBeCloseTo(quantile([0.5, 0.8, 0.9, 1], 0.9), 12);
  });

  it('goodput is taken out first: a run that lost half its wall-clock to failures still keeps all its steady state', () => {
    expect(fitRunUtilization([run('g', 'x', 0.4, { goodput: 0.5, steadyStateMfu: 0.4 })])?.value).toBeCloseTo(1, 12);
  });

  it('refitted without excluded runs; undefined when no run publishes a throughput', () => {
    expect(fitRunUtilization(runs, new Set(['p']))?.value).toBeCloseTo(0.9, 12);
    expect(fitRunUtilization([run('e', 'x', 0.1)])).toBeUndefined();
  });
});

describe('the 80 % interval from residuals', () => {
  it('exp of the 10th and 90th percentiles of ln(reported / predicted)', () => {
    const residuals = [-0.4, -0.2, 0, 0.1, 0.3].map((x) => x);
    const r = rangeFromResiduals(residuals);
    expect(r.low).toBeCloseTo(Math.exp(quantile(residuals, 0.1)), 12);
    expect(r.high).toBeCloseTo(Math.exp(quantile(residuals, 0.9)), 12);
    expect(r.runs).toBe(5);
    expect(r.low).toBeLessThan(1);
    expect(r.high).toBeGreaterThan(1);
  });
});

/** Twelve runs on two families with spread-out MFUs, three of them publishing a steady-state throughput. */
const FLEET: RunObservation[] = [
  run('h1', 'hopper', 0.2, { steadyStateMfu: 0.3 }),
  run('h2', 'hopper', 0.25),
  run('h3', 'hopper', 0.3, { goodput: 0.9 }),
  run('h4', 'hopper', 0.35),
  run('h5', 'hopper', 0.22, { steadyStateMfu: 0.25 }),
  run('h6', 'hopper', 0.28),
  run('a1', 'ampere', 0.4, { steadyStateMfu: 0.42 }),
  run('a2', 'ampere', 0.45),
  run('a3', 'ampere', 0.3),
  run('a4', 'ampere', 0.5),
  run('a5', 'ampere', 0.38),
  run('a6', 'ampere', 0.33),
];

describe('the methods: GPU-hours = FLOPs / (peak x steady-state MFU x goodput x utilization)', () => {
  it('published: the family median as a 16-bit run, split into steady state and the prior; product = the median', () => {
    const target = run('new', 'hopper', 0.1);
    const p = publishedMethod(FLEET, target, new Set());
    const u = fitRunUtilization(FLEET)?.value ?? NaN;
    expect(p?.runUtilization).toBeCloseTo(u, 12);
    expect((p?.steadyStateMfu ?? 0) * (p?.runUtilization ?? 0)).toBeCloseTo(fitRunMfu(FLEET, 'hopper')?.mfu16 ?? NaN, 12);
  });

  it('published: an FP8 MoE run is predicted at 0.685 x 0.87 of the 16-bit dense MFU', () => {
    const structure = precisionFactor(2, 1) * MOE_MFU_FACTOR.value;
    const dense = run('n', 'hopper', 0.1);
    const fp8 = run('m', 'hopper', 0.1, { peakFlopsPerSecond: 2e12, structure, moe: true });
    const d = publishedMethod(FLEET, dense, new Set());
    const f = publishedMethod(FLEET, fp8, new Set());
    expect((f?.steadyStateMfu ?? 0) / (d?.steadyStateMfu ?? 1)).toBeCloseTo(structure, 12);
    // Twice the peak at 0.685 x 0.87 of the MFU: 1.37 x 0.87 times as fast.
    expect(predictedHours(dense, d!) / predictedHours(fp8, f!)).toBeCloseTo(FP8_SPEEDUP.value * MOE_MFU_FACTOR.value, 12);
  });

  it('steady-state known: the run\'s own throughput x the prior; none without a published throughput', () => {
    const p = measuredMethod(FLEET, FLEET[0] as RunObservation, new Set(['h1']));
    expect(p?.steadyStateMfu).toBe(0.3);
    expect(p?.runUtilization).toBeCloseTo(fitRunUtilization(FLEET, new Set(['h1']))?.value ?? NaN, 12);
    expect(measuredMethod(FLEET, FLEET[1] as RunObservation, new Set())).toBeUndefined();
  });

  it('a steady-state model\'s MFU x the prior; runs it cannot predict are left out', () => {
    const method = steadyStateMethod(new Map([['h2', 0.5]]));
    expect(method(FLEET, FLEET[1] as RunObservation, new Set())).toMatchObject({ steadyStateMfu: 0.5 });
    expect(method(FLEET, FLEET[0] as RunObservation, new Set())).toBeUndefined();
  });

  it('baselines: a constant MFU of the 16-bit peak, no failures, no utilization (an FP8 run counted at 16 bits)', () => {
    const fp8 = run('f', 'hopper', 0.2, { peakFlopsPerSecond: 2e12, goodput: 0.5 });
    const p = constantMethod(BASELINE_CONSTANT_MFU)(FLEET, fp8, new Set());
    expect(predictedHours(fp8, p!)).toBeCloseTo(fp8.trainingFlops / (1e12 * 0.375 * 3600), 6);
    expect(bestConstantMfu(FLEET)).toBeCloseTo(median(FLEET.map((r) => runMfu(r) * r.goodput)), 12);
    expect(bestConstantMethod(FLEET, fp8, new Set(['h1']))?.steadyStateMfu).toBeCloseTo(bestConstantMfu(FLEET.slice(1)) / 2, 12);
  });

  it('no constant beats lowestConstantError in-sample, the best constant included', () => {
    const best = bestConstantMfu(FLEET);
    const error = median(FLEET.map((r) => Math.abs(Math.log((runMfu(r) * r.goodput) / best))));
    expect(lowestConstantError(FLEET)).toBeLessThanOrEqual(error + 1e-12);
    for (const c of [0.2, 0.25, 0.3, 0.35, 0.4]) {
      expect(lowestConstantError(FLEET)).toBeLessThanOrEqual(median(FLEET.map((r) => Math.abs(Math.log((runMfu(r) * r.goodput) / c)))) + 1e-12);
    }
  });
});

describe('backtestMethod: leave-one-out is really leave-one-out', () => {
  const result = (runs: RunObservation[]) => backtestMethod(runs, publishedMethod);
  const row = (runs: RunObservation[], name: string) => result(runs)?.rows.find((r) => r.name === name);
  const withHours = (name: string, hours: number): RunObservation[] => FLEET.map((r) => (r.name === name ? { ...r, gpuHours: hours } : r));

  it('a run\'s leave-one-out prediction and range do not move when its own hours do (its in-sample ones do)', () => {
    for (const target of ['h1', 'a1', 'h2']) {
      const before = row(FLEET, target);
      // A tenth of the hours: ten times the MFU, across every median it enters.
      const after = row(withHours(target, 0.1), target);
      expect(after?.looPredictedGpuHours, target).toBeCloseTo(before?.looPredictedGpuHours ?? NaN, 9);
      expect(after?.looPredicted.runUtilization, target).toBeCloseTo(before?.looPredicted.runUtilization ?? NaN, 12);
      expect(after?.looPredictedGpuHoursRange[0], target).toBeCloseTo(before?.looPredictedGpuHoursRange[0] ?? NaN, 9);
      expect(after?.looPredictedGpuHoursRange[1], target).toBeCloseTo(before?.looPredictedGpuHoursRange[1] ?? NaN, 9);
      expect(after?.predictedGpuHours, target).not.toBeCloseTo(before?.predictedGpuHours ?? NaN, 6);
    }
  });

  it('another run\'s hours do move it: the fits use the other runs', () => {
    const before = row(FLEET, 'h2');
    const after = row(withHours('h4', 10), 'h2');
    expect(after?.looPredictedGpuHours).not.toBeCloseTo(before?.looPredictedGpuHours ?? NaN, 6);
  });

  it('the utilization prior of a run that fits it is refitted without it', () => {
    const r = row(FLEET, 'h1');
    expect(r?.looPredicted.runUtilization).toBeCloseTo(fitRunUtilization(FLEET, new Set(['h1']))?.value ?? NaN, 12);
    expect(r?.predicted.runUtilization).toBeCloseTo(fitRunUtilization(FLEET)?.value ?? NaN, 12);
  });

  it('the range an estimate states is the 80 % interval of every run\'s leave-one-out residuals', () => {
    const b = result(FLEET);
    const residuals = looResiduals(FLEET, publishedMethod);
    expect(residuals).toHaveLength(12);
    expect(b?.range).toEqual(rangeFromResiduals(residuals));
    for (const r of b?.rows ?? []) {
      expect(r.predictedGpuHoursRange[0]).toBeCloseTo(r.predictedGpuHours * (b?.range.low ?? NaN), 9);
      expect(r.inside).toBe(r.reportedGpuHours >= r.predictedGpuHoursRange[0] && r.reportedGpuHours <= r.predictedGpuHoursRange[1]);
      expect(r.logError).toBeCloseTo(Math.log(r.predictedGpuHours / r.reportedGpuHours), 12);
    }
  });

  it('summaries: median |ln error|, coverage and median high/low, in-sample and leave-one-out', () => {
    const b = result(FLEET);
    const rows = b?.rows ?? [];
    expect(b?.runs).toBe(12);
    expect(b?.inSample.medianAbsLogError).toBeCloseTo(median(rows.map((r) => Math.abs(r.logError))), 12);
    expect(b?.leaveOneOut.medianAbsLogError).toBeCloseTo(median(rows.map((r) => Math.abs(r.looLogError))), 12);
    expect(b?.leaveOneOut.coverage).toBeCloseTo(rows.filter((r) => r.looInside).length / 12, 12);
    expect(b?.inSample.medianRangeRatio).toBeCloseTo((b?.range.high ?? NaN) / (b?.range.low ?? NaN), 9);
  });

  it('no runs, no backtest', () => {
    expect(backtestMethod([], publishedMethod)).toBeUndefined();
  });
});
