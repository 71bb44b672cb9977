import { describe, expect, it } from 'vitest';
import { trainingCompute, trainingFlops6nd } from '../../src/core/compute.js';
import { assertFinite, estimateRun, type RunInputs } from '../../src/core/estimate.js';
import { activationBytesPerLayer } from '../../src/core/memory.js';
import { energyKwh } from '../../src/core/power.js';
import { reliabilityFor } from '../../src/core/reliability.js';
import { solveRun, type SolveInputs } from '../../src/core/solve.js';
import { THRESHOLDS } from '../../src/core/thresholds.js';
import { gpuHours } from '../../src/core/time.js';
import { formatQuantity, parseQuantity } from '../../src/core/units.js';
import { ComputeError, UsageError } from '../../src/errors.js';

/**
 * Edges and optional outputs of the core that the worked examples do not reach; written against the
 * surviving mutants of `npm run mutation`. Expected numbers are the definitions worked by hand on
 * round inputs (1 GPU at 1e12 FLOP/s and MFU 1 does 1e12 FLOPs a second).
 */
const RUN: RunInputs = {
  trainingFlops: 3.6e15, // one hour on one such GPU
  gpus: 1,
  gpuPeakFlopsPerSecond: 1e12,
  mfu: 1,
  capexMultiplier: 2,
  powerFactor: 1,
  electricityUsdPerKwh: 0.1,
  householdKw: 1,
};

describe('units: each rejection says why; edges of the grammar', () => {
  it.each([
    ['', 'got an empty value'],
    ['   ', 'got an empty value'],
    ['-5', 'got "-5" (a sign is not allowed)'],
    ['+5', 'got "+5" (a sign is not allowed)'],
    ['abc', 'got "abc"'],
    ['1e400', 'got "1e400", which is too large'],
    ['x'.repeat(40), `got "${'x'.repeat(40)}"`],
    ['x'.repeat(41), `got "${'x'.repeat(37)}..."`],
  ])('%j → %s', (text, reason) => {
    expect(parseQuantity(text)).toEqual({ ok: false, reason });
  });

  it('reads a fraction written with several digits after a leading dot', () => {
    expect(parseQuantity('.55')).toEqual({ ok: true, value: 0.55 });
    expect(parseQuantity('.125k')).toEqual({ ok: true, value: 125 });
  });

  it('switches to scientific notation strictly below 0.001', () => {
    expect(formatQuantity(1e-3)).toBe('0.001');
    expect(formatQuantity(9.99e-4)).toBe('9.99e-4');
  });
});

describe('compute: the PaLM count and MoE', () => {
  const arch = { layers: 2, heads: 4, headDim: 8, seqLen: 16, dModel: 32 };
  // 12·L·H·Q·T = 12·2·4·8·16 = 12,288 attention FLOPs per token.

  it('6ND without an architecture, on the active parameters; palm needs the architecture', () => {
    expect(trainingCompute({ params: 1e9, tokens: 1e6, method: '6nd' })).toEqual({ trainingFlops: 6e15, flopsMethod: '6nd', trainingFlops6nd: 6e15 });
    expect(trainingCompute({ params: 1e9, activeParams: 1e8, tokens: 1e6, method: '6nd' }).trainingFlops).toBe(6e14);
    expect(() => trainingCompute({ params: 1e9, tokens: 1e6, method: 'palm' })).toThrow('trainingCompute: the palm method needs the architecture');
  });

  it('the palm method: (6·N + 12·L·H·Q·T)·D on the same N as 6ND, whatever the vocabulary', () => {
    const tied = trainingCompute({ params: 1e6, tokens: 10, architecture: { ...arch, vocabSize: 1000 }, method: 'palm' });
    expect(tied).toEqual({
      trainingFlops: (6e6 + 12_288) * 10,
      flopsMethod: 'palm',
      trainingFlops6nd: 6e7,
      trainingFlopsPalm: (6e6 + 12_288) * 10,
      attentionShare: 12_288 / (6e6 + 12_288),
    });
    const untied = trainingCompute({ params: 1e6, tokens: 10, architecture: { ...arch, vocabSize: 1000, tiedEmbeddings: false }, method: 'palm' });
    expect(untied.trainingFlops).toBe((6e6 + 12_288) * 10);
    const noVocab = trainingCompute({ params: 1e6, tokens: 10, architecture: arch, method: '6nd' });
    expect(noVocab.trainingFlops).toBe(6e7); // the method picks 6ND; the PaLM count is still reported
    expect(noVocab.trainingFlopsPalm).toBe((6e6 + 12_288) * 10);
    // MoE: both counts on the active parameters.
    const moe = trainingCompute({ params: 1e7, activeParams: 1e6, tokens: 10, architecture: arch, method: 'palm' });
    expect(moe.trainingFlops).toBe((6e6 + 12_288) * 10);
  });
});

describe('estimateRun: optional outputs appear exactly when their inputs are given', () => {
  it('a bare run has none of them (renderers iterate the keys)', () => {
    const r = estimateRun(RUN);
    expect(Object.keys(r).sort()).toEqual(
      [
        'clusterPeakFlopsPerSecond',
        'effectiveFlopsPerSecond',
        'gpuHours',
        'idealWallClockDays',
        'idealWallClockSeconds',
        'trainingFlops',
        'wallClockDays',
        'wallClockSeconds',
        // The decomposition's terms are always there (issue 11): goodput 1 and utilization 1 when not modelled.
        'goodput',
        'runUtilization',
        'runMfu',
      ].sort(),
    );
    expect(r.gpuHours).toBe(1);
    expect(r).toMatchObject({ goodput: 1, runUtilization: 1, runMfu: 1 });
  });

  it('range factors: days and GPU-hours are the estimate times the factors', () => {
    const r = estimateRun({ ...RUN, mfu: 0.5, gpus: 2, rangeFactors: [0.5, 2] });
    // 3.6e15 FLOPs at 2 × 1e12 × 0.5 = 3600 s = 1/24 day and 2 GPU-hours; x0.5 and x2.
    expect(r.wallClockDaysRange?.[0]).toBeCloseTo(1 / 48, 15);
    expect(r.wallClockDaysRange?.[1]).toBeCloseTo(1 / 12, 15);
    expect(r.gpuHoursRange?.[0]).toBeCloseTo(1, 12);
    expect(r.gpuHoursRange?.[1]).toBeCloseTo(4, 12);
  });

  it('run utilization divides the achieved rate: GPU-hours = FLOPs / (GPUs x peak x MFU x goodput x utilization)', () => {
    const r = estimateRun({ ...RUN, mfu: 0.5, gpus: 2, runUtilization: 0.8 });
    // 3.6e15 FLOPs at 2 × 1e12 × 0.5 × 0.8 = 4500 s on 2 GPUs = 2.5 GPU-hours.
    expect(r.gpuHours).toBeCloseTo(2.5, 12);
    expect(r.effectiveFlopsPerSecond).toBeCloseTo(0.8e12, 0);
    expect(r).toMatchObject({ goodput: 1, runUtilization: 0.8 });
    expect(r.runMfu).toBeCloseTo(0.4, 12);
  });

  it('cloud cost, amortized cost (price and assumptions both needed), CO2, PUE', () => {
    const amortization = { depreciationOomPerYear: 1, serverCostOverhead: 2, interconnectCostFraction: 0.5, hardwareAgeYears: 0, powerPerTdp: 1 };
    const r = estimateRun({ ...RUN, usdPerGpuHour: 2, gpuPriceUsd: 8766, amortization, tdpW: 1e6, pue: 1.5, gridKgCo2PerKwh: 0.5 });
    expect(r.cloudCostUsd).toBe(2);
    // 8766 USD x 2 (server) x 1 GPU-hour / 8766 x 1·ln 10, doubled by a network half the cluster's cost.
    expect(r.amortizedGpuCapexUsd).toBeCloseTo(Math.LN10, 12);
    expect(r.amortizedCapexUsd).toBeCloseTo(4 * Math.LN10, 12);
    expect(r.amortizedEnergyUsd).toBeCloseTo(1000 * RUN.electricityUsdPerKwh, 12); // 1 MW x 1 h x 1
    expect(r.amortizedCostUsd).toBeCloseTo(4 * Math.LN10 + 1000 * RUN.electricityUsdPerKwh, 12);
    expect(r.powerMw).toBe(1.5); // 1 MW of TDP × power factor 1 × PUE 1.5
    expect(r.energyKwh).toBe(1500);
    expect(r.co2Tonnes).toBe(0.75);
    expect(estimateRun({ ...RUN, gpuPriceUsd: 8766 }).amortizedCapexUsd).toBeUndefined();
    expect(estimateRun({ ...RUN, amortization }).amortizedCapexUsd).toBeUndefined();
    // Without a TDP: the hardware only, no energy term and no total.
    const noTdp = estimateRun({ ...RUN, gpuPriceUsd: 8766, amortization });
    expect(noTdp.amortizedCapexUsd).toBeCloseTo(4 * Math.LN10, 12);
    expect(Object.keys(noTdp)).not.toContain('amortizedCostUsd');
    expect(estimateRun({ ...RUN, tdpW: 1e6 }).co2Tonnes).toBeUndefined();
  });

  it('energy as a share of capex: energy cost / capex, not shown for free GPUs', () => {
    const r = estimateRun({ ...RUN, gpuPriceUsd: 50, tdpW: 1e6 });
    // 1 MW for 1 h = 1000 kWh × 0.1 = 100 USD; capex 50 × 2 = 100 USD.
    expect(r.energyShareOfCapex).toBe(1);
    expect(estimateRun({ ...RUN, gpuPriceUsd: 0, tdpW: 1e6 }).energyShareOfCapex).toBeUndefined();
  });

  it('memory needs the parameter count; a reliability view only comes with a failure model', () => {
    const memory = { bytesPerParam: 16, gpuMemoryBytes: 80e9 };
    expect(estimateRun({ ...RUN, memory }).memory).toBeUndefined();
    expect(estimateRun({ ...RUN, memory, params: 5e9 }).memory?.minGpusForState).toBe(1);
    expect(Object.keys(estimateRun({ ...RUN, params: 5e9 }))).not.toContain('reliability');
  });

  it('a memory view that overflows is a ComputeError, like the rest of the result', () => {
    const memory = { bytesPerParam: 16, gpuMemoryBytes: 80e9 };
    expect(() => estimateRun({ ...RUN, memory, params: 1e308 })).toThrow(/^stateBytes.*would not be a finite number/);
  });

  it('assertFinite catches a non-finite number inside an array on its own', () => {
    expect(() => assertFinite({ a: 1, range: [1, Number.POSITIVE_INFINITY] }, { x: 1 })).toThrow(new ComputeError('range would not be a finite number (overflow or division by zero) for inputs x=1'));
    expect(() => assertFinite({ range: [1, 'x'] }, {})).not.toThrow();
    // Only the non-finite fields are named: not a finite array, a string, or an array of strings.
    expect(() => assertFinite({ a: Number.NaN, ok: [1, 2], label: 'x', list: ['y'] }, {})).toThrow(
      new ComputeError('a would not be a finite number (overflow or division by zero) for inputs '),
    );
  });
});

describe('memory, power, time, reliability: the formulas on round numbers', () => {
  it('activations scale with the micro-batch (s·b·h per layer)', () => {
    const arch = { layers: 4, dModel: 8, heads: 2, dropout: true };
    const plan = { seqLen: 16, microBatch: 2, tensorParallel: 1, sequenceParallel: true, pipelineParallel: 1, virtualStages: 1, microBatches: 1, contextParallel: 1 };
    // s·b·h = 16·2·8 = 256: full recompute keeps 2 bytes of each layer's input, 512 bytes a layer.
    expect(activationBytesPerLayer(arch, { ...plan, recompute: 'full' })).toBe(512);
    // FlashAttention without recomputation keeps Korthikanti's 34·s·b·h; selective also rebuilds the
    // norm outputs (4) and the GeLU output (8): 22·s·b·h.
    expect(activationBytesPerLayer(arch, { ...plan, recompute: 'none', attention: 'flash' })).toBe(256 * 34);
    expect(activationBytesPerLayer(arch, { ...plan, recompute: 'selective' })).toBe(256 * 22);
    expect(activationBytesPerLayer(arch, { ...plan, microBatch: 4, recompute: 'selective' })).toBe(2 * 256 * 22);
  });

  it('1 MW for an hour is 1,000 kWh; 2 GPUs for 2 hours are 4 GPU-hours', () => {
    expect(energyKwh(1, 3600)).toBe(1000);
    expect(energyKwh(2, 1800)).toBe(1000);
    expect(gpuHours(2, 7200)).toBe(4);
  });

  it('reliability in the units its names promise', () => {
    const model = { gpuMtbfHours: 1000, restartSeconds: 120, checkpointSeconds: 60, checkpointIntervalSeconds: 600, stateBytesPerParam: 16, storageBytesPerSecond: 1e9 };
    const r = reliabilityFor(model, 10, undefined, 3600);
    expect(r.jobMtbiHours).toBe(100);
    expect(r.interruptionsPerDay).toBeCloseTo(0.24, 12);
    expect(r.checkpointIntervalMinutes).toBe(10);
    expect(r.restartMinutes).toBe(3); // 120 s to restart + 60 s to read the checkpoint back
    expect(r.interruptions).toBeCloseTo(3600 / r.goodput / 360_000, 12);
  });
});

describe('thresholds carry their legal source', () => {
  it('every threshold has an id, a label and a source, ids unique', () => {
    for (const t of THRESHOLDS) {
      expect(t.id).toMatch(/^[a-z0-9-]{3,}$/);
      expect(t.label.length).toBeGreaterThan(10);
      expect(t.source.length).toBeGreaterThan(20);
      if (t.note !== undefined) expect(t.note.length).toBeGreaterThan(10);
    }
    expect(new Set(THRESHOLDS.map((t) => t.id)).size).toBe(THRESHOLDS.length);
  });
});

describe('solveRun: flags, messages and boundaries', () => {
  const BASE: Omit<SolveInputs, 'solveFor'> = {
    gpuPeakFlopsPerSecond: 1e12,
    capexMultiplier: 1,
    powerFactor: 1,
    electricityUsdPerKwh: 0,
    householdKw: 1,
    tokensPerParam: 20,
    budgetSeconds: 1000,
  };
  const solve = (over: Partial<SolveInputs> & Pick<SolveInputs, 'solveFor'>) => solveRun({ ...BASE, ...over });

  it.each([
    [{ solveFor: 'params', mfu: 1 }, 'solve --for params: needs --gpus or a cluster'],
    [{ solveFor: 'params', gpus: 1 }, 'solve --for params: needs --mfu'],
    [{ solveFor: 'tokens', gpus: 1, mfu: 1 }, 'solve --for tokens: needs --params or a --model'],
    [{ solveFor: 'tokens', gpus: 1, mfu: 1, params: 1, trainingFlops: 1 }, 'solve --for tokens: --flops fixes the compute; leave it out to solve for tokens'],
    [{ solveFor: 'gpus', params: 1, tokens: 1 }, 'solve --for gpus: needs --mfu'],
    [{ solveFor: 'mfu', params: 1 }, 'solve --for mfu: needs --flops, or params and tokens (flags or --model)'],
    [{ solveFor: 'mfu', tokens: 1, gpus: 1 }, 'solve --for mfu: needs --flops, or params and tokens (flags or --model)'],
    [{ solveFor: 'mfu', trainingFlops: 1 }, 'solve --for mfu: needs --gpus or a cluster'],
    [{ solveFor: 'days', trainingFlops: 1, mfu: 1 }, 'solve --for days: needs --gpus or a cluster'],
    [{ solveFor: 'days', trainingFlops: 1, gpus: 1 }, 'solve --for days: needs --mfu'],
  ] as const)('%j → %s', (over, message) => {
    expect(() => solve(over)).toThrow(new UsageError(message));
  });

  it('--flops wins over params × tokens as the fixed compute', () => {
    const r = solve({ solveFor: 'mfu', gpus: 1, trainingFlops: 5e14, params: 1, tokens: 1 });
    expect(r.budgetFlops).toBe(5e14);
    expect(r.value).toBe(0.5);
  });

  it('computeOptimal only when params and tokens were both unknown; feasible flags', () => {
    expect(solve({ solveFor: 'params', gpus: 1, mfu: 1 }).computeOptimal).toBe(true);
    expect(solve({ solveFor: 'params', gpus: 1, mfu: 1, tokens: 1e6 })).toMatchObject({ computeOptimal: false, feasible: true });
    expect(solve({ solveFor: 'tokens', gpus: 1, mfu: 1, params: 1e6 })).toMatchObject({ computeOptimal: false, feasible: true });
    expect(solve({ solveFor: 'gpus', mfu: 1, trainingFlops: 1e15 })).toMatchObject({ computeOptimal: false, feasible: true });
    expect(solve({ solveFor: 'days', gpus: 1, mfu: 1, trainingFlops: 1e15 })).toMatchObject({ computeOptimal: false, feasible: true });
    // 1e15 FLOPs in 1000 s on one 1e12 FLOP/s GPU needs exactly MFU 1: feasible, just.
    expect(solve({ solveFor: 'mfu', gpus: 1, trainingFlops: 1e15 })).toMatchObject({ value: 1, feasible: true });
    expect(solve({ solveFor: 'mfu', gpus: 1, trainingFlops: 1.5e15 })).toMatchObject({ value: 1.5, feasible: false });
  });

  it('an exact GPU need is not rounded up; float noise above it is tolerated', () => {
    // 1e16 FLOPs in 1000 s at 1e12 FLOP/s per GPU: exactly 10 GPUs.
    expect(solve({ solveFor: 'gpus', mfu: 1, trainingFlops: 1e16 }).value).toBe(10);
    expect(solve({ solveFor: 'gpus', mfu: 1, trainingFlops: 1e16 * (1 + 1e-11) }).value).toBe(10);
    expect(solve({ solveFor: 'gpus', mfu: 1, trainingFlops: 1e16 * (1 + 1e-6) }).value).toBe(11);
  });

  it('the GPU cap: 1e9 GPUs is already beyond it', () => {
    // Powers of two keep the division exact: 2^10 FLOP/s per GPU for 2^10 s is 2^20 FLOPs per GPU.
    const exact = { solveFor: 'gpus', mfu: 1, gpuPeakFlopsPerSecond: 1024, budgetSeconds: 1024 } as const;
    expect(solve({ ...exact, trainingFlops: (1e9 - 1) * 2 ** 20 }).value).toBe(1e9 - 1);
    expect(() => solve({ ...exact, trainingFlops: 1e9 * 2 ** 20 })).toThrow(/more than 1B GPUs/);
  });

  it('solving params and tokens both land on the budget: params × tokens × 6 = budget FLOPs', () => {
    const r = solve({ solveFor: 'params', gpus: 1, mfu: 1, tokens: 1e6 });
    expect(r.value).toBeCloseTo(1e15 / 6e6, 6);
    expect(trainingFlops6nd(r.value, 1e6)).toBeCloseTo(1e15, 0);
  });
});
