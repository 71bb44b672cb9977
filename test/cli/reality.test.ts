import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';

const LLAMA_8B = fileURLToPath(new URL('../fixtures/hf/llama-3.1-8b.config.json', import.meta.url));

describe('issue 3 via the built CLI', () => {
  it('DeepSeek-V3: trainingFlops = 6 x 37e9 x 14.8e12; in FP8, as it trained, the 80 % range contains the reported 2.664M', () => {
    const args = ['estimate', '--params', '671B', '--active-params', '37B', '--tokens', '14.8T', '--gpu', 'h800', '--gpus', '2048'];
    const doc = runJson([...args, '--precision', 'fp8']);
    expect(doc.results['trainingFlops']).toBe(6 * 37e9 * 14.8e12);
    const [low, high] = doc.results['gpuHoursRange'] as [number, number];
    expect(low).toBeLessThan(2.664e6); // DeepSeek-V3 technical report, Table 1: 2.664M H800-hours of pre-training
    expect(high).toBeGreaterThan(2.664e6);
    expect(doc.results['rangeCoverage']).toBe(0.8);
    expect(doc.inputs['mfu']).toMatchObject({ origin: 'derived' });
    expect((doc.inputs['mfu'] as { source: string }).source).toMatch(/published runs on hopper GPUs imply: .*llama-405b/);
    expect((doc.inputs['mfu'] as { source: string }).source).toMatch(/x 0\.685 for fp8 .*x 0\.87 for a mixture of experts/);
    expect((doc.results['memory'] as { stateBytes: number }).stateBytes).toBe(671e9 * 18);
    // BF16 at half the peak is 1.37x slower, not 2x (and not as fast: issue 11).
    const bf16 = runJson(args);
    expect((bf16.results['wallClockDays'] as number) / (doc.results['wallClockDays'] as number)).toBeCloseTo(1.37, 2);
  });

  it('both FLOP counts are reported; --flops-method palm switches what drives time', () => {
    const six = runJson(['estimate', '--model', 'llama-8b', '--cluster', 'h100x16k']).results;
    const palm = runJson(['estimate', '--model', 'llama-8b', '--cluster', 'h100x16k', '--flops-method', 'palm']).results;
    expect(six['flopsMethod']).toBe('6nd');
    expect(six['trainingFlops']).toBe(six['trainingFlops6nd']);
    expect(palm['trainingFlops']).toBe(palm['trainingFlopsPalm']);
    expect(palm['trainingFlopsPalm']).toBe(six['trainingFlopsPalm']);
    expect(palm['wallClockDays'] as number).toBeGreaterThan(six['wallClockDays'] as number);
  });

  it('--hf-config on a Llama-3.1-8B config gives 8.03e9 parameters within 1 % (more in test/cli/hf-config.test.ts)', () => {
    const doc = runJson(['estimate', '--hf-config', LLAMA_8B, '--tokens', '15T', '--cluster', 'h100x16k']);
    expect(Math.abs((doc.results['params'] as number) / 8.03e9 - 1)).toBeLessThan(0.01);
    expect(doc.results['trainingFlopsPalm']).toBeGreaterThan(doc.results['trainingFlops6nd'] as number);
  });

  it('a missing or broken --hf-config is a one-line usage error', () => {
    for (const path of ['/nonexistent/config.json', fileURLToPath(new URL('../fixtures/hf', import.meta.url))]) {
      const run = runCli(['estimate', '--hf-config', path, '--tokens', '1T']);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^llmcost: --hf-config .*: cannot read: /);
      expect(run.stdout).toBe('');
    }
  });

  it('cost views and thresholds are in results; Llama 3.1 405B crosses the EU AI Act threshold', () => {
    const doc = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k']);
    const r = doc.results as Record<string, unknown>;
    for (const key of ['cloudCostUsd', 'amortizedCapexUsd', 'capexUsd', 'energyCostUsd', 'co2Tonnes']) expect(typeof r[key], key).toBe('number');
    expect(r['cloudCostUsd']).toBeCloseTo((r['gpuHours'] as number) * (doc.inputs['usdPerGpuHour'] as { value: number }).value, 3);
    expect(r['thresholds']).toEqual([
      expect.objectContaining({ id: 'eu-ai-act', crossed: true }),
      expect.objectContaining({ id: 'us-eo-14110', crossed: false }),
    ]);
    expect((doc.notes as string[]).join(' ')).toMatch(/crosses 1e25 FLOPs: EU AI Act/);
  });

  it('Epoch AI\'s amortized cost: GPUs x 1.64 for the servers, / 0.81 for the network, depreciated from purchase, plus energy (issue 12: about $64M for Llama 3.1 405B, not the chip term\'s $31.8M)', () => {
    const doc = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k']);
    const r = doc.results as Record<string, number>;
    // Cottier et al. 2024 / training-cost-trends: $30k x 1.64 x 10^(-0.14 x 0.164 years) x 0.14 ln 10 / 8766 h / 0.81.
    const perGpuHour = (30_000 * 1.64 * 10 ** (-0.14 * 0.164) * 0.14 * Math.LN10) / 8766 / 0.81;
    expect(r['amortizedCapexUsd'] / r['gpuHours']).toBeCloseTo(perGpuHour, 6);
    expect(r['amortizedGpuCapexUsd'] / r['amortizedCapexUsd']).toBeCloseTo(0.81 / 1.64, 9);
    expect(r['amortizedEnergyUsd'] / r['gpuHours']).toBeCloseTo(0.7 * 1.5 * 0.083, 9);
    expect(r['amortizedCostUsd']).toBeCloseTo(r['amortizedCapexUsd'] + r['amortizedEnergyUsd'], 0);
    expect(r['amortizedCostUsd'] / 1e6).toBeGreaterThan(55);
    expect(r['amortizedCostUsd'] / 1e6).toBeLessThan(75);
    // --hardware-age: a cluster bought a year earlier is worth 10^-0.14 of a new one.
    const old = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--hardware-age', '1.164']).results as Record<string, number>;
    expect(old['amortizedCapexUsd'] / r['amortizedCapexUsd']).toBeCloseTo(10 ** -0.14, 9);
  });

  it('--pue multiplies the power factor: LLaMA-1 style 400 W x PUE 1.1 (LLaMA paper, Table 15)', () => {
    const doc = runJson(['estimate', '--model', 'llama1-65b', '--gpu', 'a100', '--gpus', '2048', '--tdp', '400', '--power-factor', '1', '--pue', '1.1', '--no-failures']);
    expect(doc.results['powerMw']).toBeCloseTo((2048 * 400 * 1.1) / 1e6, 9);
  });

  it('an accelerator without a peak for the precision is an error, never a fallback', () => {
    const run = runCli(['estimate', '--model', 'gpt-3', '--gpu', 'v100', '--gpus', '1000', '--precision', 'bf16']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--precision: v100 has no dense bf16 peak/);
  });

  it('without --precision, a GPU with no BF16 peak (V100) defaults to the FP16 it trains in, shown as a default', () => {
    const doc = runJson(['estimate', '--model', 'gpt-3', '--gpu', 'v100', '--gpus', '1000']);
    expect(doc.inputs['precision']).toMatchObject({ value: 'fp16', origin: 'default', source: expect.stringMatching(/v100 has no bf16 peak: it trains in fp16/) });
    expect(doc.inputs['gpuPeakFlopsPerSecond']).toMatchObject({ value: 125e12 }); // NVIDIA V100 datasheet: 125 TFLOP/s FP16 Tensor
    expect(runCli(['estimate', '--model', 'gpt-3', '--gpu', 'v100', '--gpus', '1000']).stdout).toContain('(1,000 x v100, fp16)');
  });
});

describe('llmcost backtest', () => {
  it('lists every preset run with predicted vs reported accelerator-hours, its factors and the summaries', () => {
    const doc = JSON.parse(runCli(['backtest', '--json']).stdout);
    expect(doc.rows.length).toBeGreaterThanOrEqual(30);
    for (const name of ['llama-405b', 'llama-70b', 'llama-8b', 'llama2-70b', 'palm-540b', 'deepseek-v3', 'deepseek-v2', 'bloom-176b', 'falcon-180b']) {
      expect(doc.rows.map((r: { name: string }) => r.name)).toContain(name);
    }
    // GPT-3's 14.8 days are FLOPs / throughput (Patterson et al. 2021, Appendix A), not a run's hours.
    expect(doc.leftOut).toContainEqual({ name: 'gpt-3', reason: expect.stringMatching(/^coverage steps-only/) });
    for (const row of doc.rows) expect(['pre-training', 'all-training', 'unknown']).toContain(row.coverage);
    for (const row of doc.rows) {
      // GPU-hours = FLOPs / (peak x steady-state MFU x goodput x utilization): the factors multiply back to the prediction.
      // Both sides are FLOPs / (peak x goodput x 3600), so run MFU x hours is the same for report and prediction.
      expect((row.steadyStateMfu * row.runUtilization * row.predictedGpuHours) / (row.reportedRunMfu * row.reportedGpuHours)).toBeCloseTo(1, 9);
      expect(row.predictedGpuHoursRange[1] / row.predictedGpuHoursRange[0]).toBeCloseTo(doc.range.high / doc.range.low, 9);
      expect(row.inside).toBe(row.reportedGpuHours >= row.predictedGpuHoursRange[0] && row.reportedGpuHours <= row.predictedGpuHoursRange[1]);
      expect(row.looInside).toBe(row.reportedGpuHours >= row.looPredictedGpuHoursRange[0] && row.reportedGpuHours <= row.looPredictedGpuHoursRange[1]);
    }
    const dsv3 = doc.rows.find((r: { name: string }) => r.name === 'deepseek-v3');
    expect(dsv3).toMatchObject({ precision: 'fp8', moe: true });
    expect(dsv3.structure).toBeCloseTo(0.685 * 0.87, 3);
    const keys = doc.methods.map((m: { key: string }) => m.key);
    expect(keys).toEqual(['default', 'published', 'predicted', 'published, same runs', 'steady-state known', 'constant 0.375', 'best constant']);
    for (const m of doc.methods) {
      for (const part of ['inSample', 'leaveOneOut']) {
        for (const key of ['medianAbsLogError', 'coverage', 'medianRangeRatio']) expect(Number.isFinite(m[part][key]), `${m.key} ${part} ${key}`).toBe(true);
      }
    }
    expect(doc.utilization.shares.length).toBeGreaterThanOrEqual(5);
    expect(doc.range.runs).toBe(doc.rows.length);
    // FLOPs: the default method within 3 % of what Meta, OpenAI and Google reported.
    for (const name of ['llama-405b', 'gpt-3', 'palm-540b']) {
      const row = doc.flops.find((r: { name: string }) => r.name === name);
      expect(Math.abs(row.relativeError6nd), name).toBeLessThan(0.03);
    }
    // Gopher's 6.31e23 counts rematerialization (+33 %, Gopher paper, compute appendix): compared as 4.73e23.
    const gopher = doc.flops.find((r: { name: string }) => r.name === 'gopher-280b');
    expect(gopher.conversion6nd.steps).toEqual(['recomputation full -> none']);
    expect(gopher.reportedFlopsAs6nd).toBeCloseTo(6.31e23 * 0.75, -20);
    expect(Math.abs(gopher.relativeError6nd)).toBeLessThan(0.08);
  });

  it('prints tables and the summary', () => {
    const run = runCli(['backtest'], { COLUMNS: '250' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/default +│ 3\d +│ 0\.\d{3} +│ 0\.\d{3} +│ \d+ % +│ \d+ % +│ \d\.\d\d +│ \d\.\d\d/);
    expect(run.stdout).toMatch(/Run utilization prior 0\.\d\d: the median share/);
    expect(run.stdout).toMatch(/80 % range of an estimate: x0\.\d\d to x\d\.\d\d/);
    expect(run.stdout).toContain('Training FLOPs: predicted vs reported');
    expect(run.stdout).toMatch(/gopher-280b .*4\.73e23 x0\.750 \(recomputation full -> none\)/);
    expect(run.stdout).toMatch(/Left out: .*bloomberggpt-50b \(coverage steps-only/);
    expect(run.stdout).toContain('Steady-state throughput published vs the run');
  });
});
