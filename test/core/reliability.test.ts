import { describe, expect, it } from 'vitest';
import {
  dalyGoodput,
  goodputFor,
  gpuMtbfFromObservation,
  jobMtbiHours,
  reliabilityFor,
  youngDalyIntervalSeconds,
  type FailureModel,
} from '../../src/core/reliability.js';

/** Llama 3 paper §3.3.4: 419 unexpected interruptions in a 54-day snapshot on 16,384 H100. */
const LLAMA3: FailureModel = {
  gpuMtbfHours: gpuMtbfFromObservation(419, 54, 16_384),
  restartSeconds: 600,
  stateBytesPerParam: 16,
  storageBytesPerSecond: 2e12,
};

describe('failure rates', () => {
  it('calibrates on Llama 3: 50,677 GPU-hours per interruption, 3.09 h job MTBI, 7.76 per day', () => {
    expect(LLAMA3.gpuMtbfHours).toBeCloseTo(50_677, 0);
    expect(jobMtbiHours(LLAMA3.gpuMtbfHours, 16_384)).toBeCloseTo((54 * 24) / 419, 9);
    const r = reliabilityFor(LLAMA3, 16_384, 405e9, 54 * 86_400);
    expect(r.interruptionsPerDay).toBeCloseTo(419 / 54, 9);
  });

  it('scales with GPU count: 100,000 GPUs fail every 30 min', () => {
    expect(jobMtbiHours(LLAMA3.gpuMtbfHours, 100_000) * 60).toBeCloseTo(30.4, 1);
  });
});

describe('Young/Daly interval', () => {
  it.each([
    // δ (s), M (s), τ (s): hand-computed √(2δM)
    [60, 3600, 657.27],
    [3.24, 11_135, 268.6],
    [600, 86_400, 10_182.3],
  ])('δ=%d s, M=%d s → τ=%d s', (delta, m, tau) => {
    expect(youngDalyIntervalSeconds(delta, m)).toBeCloseTo(tau, 0);
  });
});

describe('goodput (Daly 2006 exponential model)', () => {
  it('hand-computed case: τ=600 s, δ=60 s, R=300 s, M=3600 s', () => {
    // T_wall/T_work = M·e^(R/M)·(e^((τ+δ)/M) − 1)/τ = 3600·e^(1/12)·(e^(660/3600) − 1)/600
    const expected = 600 / (3600 * Math.exp(300 / 3600) * (Math.exp(660 / 3600) - 1));
    expect(dalyGoodput(600, 60, 300, 3600)).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.7621, 4); // 600 / (3600 · 1.08690 · 0.20122)
  });

  it('limit: one GPU is almost never interrupted, goodput → τ/(τ+δ) ≈ 1', () => {
    const g = goodputFor(LLAMA3, 1, 8e9).goodput;
    expect(g).toBeGreaterThan(0.999);
    expect(g).toBeLessThanOrEqual(1);
  });

  it('limit: instant checkpoints leave only the restarts, e^(−R/M)', () => {
    const g = goodputFor({ ...LLAMA3, checkpointSeconds: 0 }, 16_384, 405e9);
    const m = jobMtbiHours(LLAMA3.gpuMtbfHours, 16_384) * 3600;
    expect(g.intervalSeconds).toBe(0);
    expect(g.goodput).toBeCloseTo(Math.exp(-600 / m), 12);
  });

  it('limit: no failures at all (MTBF → ∞) gives goodput → 1', () => {
    expect(goodputFor({ ...LLAMA3, gpuMtbfHours: 1e300 }, 16_384, 405e9).goodput).toBeCloseTo(1, 6);
  });

  it('Llama 3 405B on 16,384 H100: above the 90 % effective training time the paper reports', () => {
    const g = goodputFor(LLAMA3, 16_384, 405e9).goodput;
    expect(g).toBeGreaterThan(0.9);
    expect(g).toBeLessThan(0.97);
  });

  it('degrades smoothly, never negative, when failures outpace checkpoints', () => {
    const g = goodputFor({ ...LLAMA3, restartSeconds: 3600 }, 1_000_000, 2e12).goodput;
    expect(g).toBeGreaterThan(0);
    expect(g).toBeLessThan(0.1);
  });

  it('lost GPU-hours are the extra wall-clock times the GPUs', () => {
    const ideal = 60 * 86_400;
    const r = reliabilityFor(LLAMA3, 16_384, 405e9, ideal);
    expect(r.lostGpuHours).toBeCloseTo((16_384 * (ideal / r.goodput - ideal)) / 3600, 3);
  });
});
