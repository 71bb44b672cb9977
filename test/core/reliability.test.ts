import { describe, expect, it } from 'vitest';
import {
  dalyGoodput,
  goodputFor,
  gpuMtbfFromObservation,
  jobMtbiHours,
  reliabilityFor,
  dalyIntervalSeconds,
  goodputWithRestart,
  youngIntervalSeconds,
  type FailureModel,
} from '../../src/core/reliability.js';

/** Llama 3 paper §3.3.4: 419 unexpected interruptions in a 54-day snapshot on 16,384 H100. */
const LLAMA3: FailureModel = {
  gpuMtbfHours: gpuMtbfFromObservation(419, 54, 16_384),
  restartSeconds: 600,
  checkpointBytesPerParam: 16,
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

describe('checkpoint interval: Daly\'s higher-order optimum (Daly 2006), not Young\'s √(2δM)', () => {
  // Daly 2006, "A higher order estimate of the optimum checkpoint interval for restart dumps"
  // (Future Generation Computer Systems 22), Figs. 3-5: Ts = 500 h, R = 10 min, δ = 5 min; the
  // model predicts τopt = 117 min for M = 24 h, 57 min for M = 6 h and 9.1 min for M = 15 min.
  it.each([
    [24 * 60, 117, 120],
    [6 * 60, 57, 60],
    [15, 9.1, 12.25],
  ])('M = %d min, δ = 5 min → τopt = %d min (Young: %d min)', (mMinutes, daly, young) => {
    const tau = dalyIntervalSeconds(300, mMinutes * 60) / 60;
    expect(tau).toBeCloseTo(daly, daly < 10 ? 1 : 0);
    expect(youngIntervalSeconds(300, mMinutes * 60) / 60).toBeCloseTo(young, 1);
  });

  it('δ ≥ 2M: checkpoint once per MTBI (Daly\'s τ = M)', () => {
    expect(dalyIntervalSeconds(1000, 400)).toBe(400);
    expect(dalyIntervalSeconds(0, 3600)).toBe(0);
  });

  it('the run uses Daly\'s interval by default', () => {
    const g = goodputFor({ ...LLAMA3, checkpointSeconds: 300 }, 16_384, 405e9);
    expect(g.intervalSeconds).toBe(dalyIntervalSeconds(300, g.jobMtbiSeconds));
  });
});

describe('restart time', () => {
  it('adds reading the checkpoint back (its write time) to the fixed restart: 405B at 2 TB/s is 3.24 s', () => {
    const g = goodputFor(LLAMA3, 16_384, 405e9);
    expect(g.checkpointSeconds).toBeCloseTo(3.24, 9); // 405e9 x 16 B / 2e12 B/s
    expect(g.restartSeconds).toBeCloseTo(600 + 3.24, 9);
  });

  it('does not grow with the GPU count (FlashRecovery, arXiv:2509.03047: nearly constant across scales)', () => {
    expect(goodputFor(LLAMA3, 100_000, 405e9).restartSeconds).toBe(goodputFor(LLAMA3, 1024, 405e9).restartSeconds);
  });

  it('goodputWithRestart swaps the restart in Daly\'s model exactly', () => {
    const r = reliabilityFor(LLAMA3, 100_000, 405e9, 86_400);
    const fast = reliabilityFor({ ...LLAMA3, restartSeconds: 150 - 3.24 }, 100_000, 405e9, 86_400);
    expect(goodputWithRestart(r, 150)).toBeCloseTo(fast.goodput, 12);
    expect(goodputWithRestart(r, r.restartMinutes * 60)).toBeCloseTo(r.goodput, 12);
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
