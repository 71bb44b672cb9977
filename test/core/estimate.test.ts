import { describe, expect, it } from 'vitest';
import { computeOptimalParams, paramsForFlops, tokensForFlops, trainingFlops6nd } from '../../src/core/compute.js';
import { estimateRun, type RunInputs } from '../../src/core/estimate.js';
import { ComputeError } from '../../src/errors.js';

/** The seed article's 16k-H100 assumptions (shared/seed/worked-examples.md, rows 2-7). */
const ARTICLE_16K: RunInputs = {
  trainingFlops: 3.8e25,
  gpus: 16_000,
  gpuPeakFlopsPerSecond: 1979e12,
  mfu: 1,
  gpuPriceUsd: 30_000,
  capexMultiplier: 2,
  tdpW: 700,
  powerFactor: 2,
  electricityUsdPerKwh: 0.083,
  householdKw: 2.5,
};

const close = (actual: number | undefined, expected: number, rel = 1e-3): void => {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) / expected - 1)).toBeLessThan(rel);
};

describe('compute (6ND, Kaplan et al. 2020)', () => {
  it.each([
    // [params, tokens, FLOPs, source]
    [405e9, 15e12, 3.645e25, 'seed article row 1'],
    [175e9, 300e9, 3.15e23, 'GPT-3 paper Table D.1 reports 3.14e23 (6ND = 3.15e23)'],
    [70e9, 1.4e12, 5.88e23, 'Chinchilla: 6ND for 70B x 1.4T (paper quotes 5.76e23 from its own count)'],
  ])('6 x %d x %d = %d (%s)', (n, d, flops) => {
    close(trainingFlops6nd(n, d), flops);
  });

  it('inverts for params, tokens and the compute-optimal pair', () => {
    close(paramsForFlops(1.71e27, 15e12), 1.9e13, 5e-3); // seed row 11
    close(tokensForFlops(3.645e25, 405e9), 15e12);
    const n = computeOptimalParams(5.88e23, 20);
    close(n, 70e9); // Chinchilla: 70B params, 1.4T tokens = 20 per param
  });
});

describe('estimateRun', () => {
  it('reproduces the seed article 16k-H100 rows', () => {
    const r = estimateRun(ARTICLE_16K);
    close(r.clusterPeakFlopsPerSecond, 3.1664e19); // row 2
    close(r.wallClockSeconds, 1.2001e6); // row 3 (erratum)
    close(r.gpuCapexUsd, 480e6); // row 5
    close(r.capexUsd, 960e6); // row 5
    close(r.powerMw, 22.4); // row 6
    close(r.households, 8_960); // 22.4 MW / 2.5 kW
  });

  it('scales linearly: half the MFU doubles the time, GPU-hours and energy, not the power', () => {
    const a = estimateRun(ARTICLE_16K);
    const b = estimateRun({ ...ARTICLE_16K, mfu: 0.5 });
    close(b.wallClockSeconds, 2 * a.wallClockSeconds);
    close(b.gpuHours, 2 * a.gpuHours);
    close(b.energyKwh, 2 * a.energyKwh);
    expect(b.powerMw).toBe(a.powerMw);
  });

  it('GPU-hours do not depend on the GPU count', () => {
    const a = estimateRun(ARTICLE_16K);
    const b = estimateRun({ ...ARTICLE_16K, gpus: 100_000 });
    close(b.gpuHours, a.gpuHours);
  });

  it('leaves capex out when there is no GPU price', () => {
    const r = estimateRun({ ...ARTICLE_16K, gpuPriceUsd: undefined });
    expect(r.capexUsd).toBeUndefined();
    expect(r.energyShareOfCapex).toBeUndefined();
  });

  it('a zero GPU price gives zero capex and no energy share (no division by zero)', () => {
    const r = estimateRun({ ...ARTICLE_16K, gpuPriceUsd: 0 });
    expect(r.capexUsd).toBe(0);
    expect(r.energyShareOfCapex).toBeUndefined();
  });

  it('throws a ComputeError naming the inputs when a result overflows', () => {
    expect(() => estimateRun({ ...ARTICLE_16K, trainingFlops: 1e308, mfu: 1e-20 })).toThrow(ComputeError);
    expect(() => estimateRun({ ...ARTICLE_16K, trainingFlops: 1e308, mfu: 1e-20 })).toThrow(/trainingFlops=1e\+308/);
  });
});
