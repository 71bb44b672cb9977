import { describe, expect, it } from 'vitest';
import { buildEstimateReport } from '../../src/cli/estimate.js';
import { buildSolveReport } from '../../src/cli/solve.js';
import { ALL_BUT_THROUGHPUT, makeEvaluator, readSweepRequest } from '../../src/cli/sweep/index.js';
import { isUserError } from '../../src/errors.js';
import { definedResults } from '../../src/format/rows.js';
import { loadPresets } from '../../src/presets/load.js';
import { runCli } from '../helpers/cli.js';

const presets = loadPresets();
const LLAMA = { model: 'llama-405b', cluster: 'h100x16k' };

/** Returns the message of the usage error `fn` throws, or undefined when it returns. */
function usageError(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!isUserError(error)) throw error;
    return error.message;
  }
}

describe('every sweep point passes the checks estimate applies to the same flags', () => {
  // Each row: fixed flags (raw, as commander gives them), the axis, the values; at each value the
  // sweep's point fails exactly when `estimate` with that flag fails, with estimate's message.
  it.each([
    [LLAMA, 'tensor-parallel', ['8', '3', '1000', '16', '48']],
    [LLAMA, 'pipeline-parallel', ['1', '16', '500', '128']],
    [{ ...LLAMA, tensorParallel: '8' }, 'gpus', ['1024', '1028', '16k']],
    [{ ...LLAMA, tensorParallel: '8', pipelineParallel: '16' }, 'global-batch', ['2048', '1000']],
    [{ ...LLAMA, tensorParallel: '8' }, 'context-parallel', ['1', '2', '3']],
    [{ ...LLAMA, tensorParallel: '8', pipelineParallel: '1' }, 'virtual-stages', ['1', '2']],
    [{ ...LLAMA, gpus: '8' }, 'tensor-parallel', ['8', '16']],
    [LLAMA, 'kv-heads', ['8', '7', '16']],
    [{ model: 'deepseek-v3', cluster: 'h100x16k' }, 'experts-per-token', ['8', '300']],
    [{ model: 'deepseek-v3', cluster: 'h100x16k' }, 'layers', ['61', '2']],
  ] as const)('%j --vary %s', (raw, flag, values) => {
    const request = readSweepRequest({ ...raw, vary: [`${flag}=${values.join(',')}`] });
    const evaluator = makeEvaluator('estimate', request.flags, presets, request.axes);
    const axis = request.axes[0];
    let failed = 0;
    for (const value of axis?.values ?? []) {
      const expected = usageError(() => buildEstimateReport({ ...request.flags, [flag]: value }, presets));
      if (expected !== undefined) failed++;
      for (const fields of [undefined, ['wallClockDays'], ['memory.activationBytesPerGpu'], ['all', 'throughput']]) {
        expect(usageError(() => evaluator.select(fields).check([value])), `${flag}=${value} ${String(fields)}`).toBe(expected);
      }
    }
    // The table is not vacuous: some value of each row fails.
    expect(failed, `${flag}: no value fails`).toBeGreaterThan(0);
  });

  it('the audit\'s sweeps are errors naming the point, with nothing written', () => {
    const base = ['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k'];
    for (const [vary, message] of [
      ['tensor-parallel=8,3,1000', '--tensor-parallel 3 = 3: expected a divisor of the GPU count 16,384 (from cluster preset h100x16k) (TP x PP x CP x DP = GPUs)'],
      ['pipeline-parallel=1,500', '--pipeline-parallel 500 = 500: expected a divisor of the GPU count 16,384 (from cluster preset h100x16k) (TP x PP x CP x DP = GPUs)'],
      ['tensor-parallel=8,256', '--tensor-parallel 256: expected a divisor of the 128 attention heads'],
    ] as const) {
      const run = runCli([...base, '--vary', vary, '--fields', 'memory.activationBytesPerGpuSelectiveRecompute', '--format', 'csv']);
      expect(run.status, vary).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`llmcost: ${message}\n`);
    }
  });
});

describe('throughput in sweeps: computed per point when named, as estimate computes it', () => {
  // Throughput inputs a direct flag sets (the GPU count, the state), one it does not read (mfu), the
  // plan, and a FLOP count from which the global batch is derived (no model: DeepSeek's rule).
  const ARCH = { params: '8B', tokens: '1T', layers: '32', dModel: '4096', heads: '32', kvHeads: '8', seqLen: '4096', gpu: 'h100' };
  it.each([
    [LLAMA, 'gpus=1024,4096,16k,1000'],
    [LLAMA, 'mfu=0.3,0.5'],
    [LLAMA, 'state-bytes-per-param=16,8'],
    [LLAMA, 'tensor-parallel=4,8'],
    [{ ...ARCH, gpus: '256' }, 'flops=1e23,1e24'],
    [{ ...LLAMA, mfuFrom: 'predicted' }, 'gpus=1024,4096'],
  ] as const)('%j --vary %s', (raw, vary) => {
    const request = readSweepRequest({ ...raw, vary: [vary] });
    const evaluator = makeEvaluator('estimate', request.flags, presets, request.axes);
    const flag = request.axes[0]?.flag as string;
    const selector = evaluator.select(['throughput', 'mfu', 'wallClockDays']);
    const batches = new Set<unknown>();
    for (const value of request.axes[0]?.values ?? []) {
      const report = buildEstimateReport({ ...request.flags, [flag]: value }, presets);
      const results = definedResults(report);
      const row = selector.row([value]);
      expect(row['throughput'], `${vary} at ${value}`).toEqual(results['throughput']);
      expect([row['mfu'], row['wallClockDays']]).toEqual([results['mfu'], results['wallClockDays']]);
      batches.add((results['throughput'] as { plan: { globalBatch: number } } | undefined)?.plan.globalBatch);
      // Every other result is unchanged by asking for the throughput but memory: a row without the
      // throughput has no plan for results.memory to follow (README, One memory view); with it, memory
      // follows the plan as estimate's does.
      const { throughput: _, memory: planMemory, ...rest } = results;
      const { memory: __, ...others } = evaluator.evaluate([value]);
      expect(others).toEqual(rest);
      expect(evaluator.select(['throughput', 'memory']).row([value])['memory']).toEqual(planMemory);
    }
    // The FLOP count changes the derived global batch: a sweep that kept the first point's would fail above.
    if (vary.startsWith('flops')) expect(batches.size).toBe(2);
  });

  it('solve points too', () => {
    const request = readSweepRequest({ ...LLAMA, solve: true, days: '90', for: 'tokens', vary: ['tensor-parallel=4,8,3'] });
    const evaluator = makeEvaluator('solve', request.flags, presets, request.axes);
    const selector = evaluator.select(['throughput.mfu', 'tokens']);
    for (const value of [4, 8]) {
      const results = definedResults(buildSolveReport({ ...request.flags, 'tensor-parallel': value }, presets));
      expect(selector.row([value])).toEqual({ throughput: { mfu: (results['throughput'] as { mfu: number }).mfu }, tokens: results['tokens'] });
    }
    expect(usageError(() => selector.check([3]))).toMatch(/^--tensor-parallel 3 = 3: expected a divisor of the GPU count/);
  });

  it('the CLI: named throughput fields are filled, --fields all says it leaves throughput out, all,throughput adds it', () => {
    const base = ['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--vary', 'tensor-parallel=4,8'];
    const named = runCli([...base, '--fields', 'throughput.mfu', '--format', 'csv']);
    expect(named.status, named.stderr).toBe(0);
    const lines = named.stdout.trim().split('\n');
    expect(lines[0]).toBe('tensor-parallel,results.throughput.mfu');
    expect(lines.slice(1).map((l) => Number(l.split(',')[1]))).toEqual([0.178, 0.400].map((m) => expect.closeTo(m, 3)));
    const all = runCli([...base, '--fields', 'all', '--format', 'ndjson']);
    expect(all.status, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout.split('\n')[0] as string).results.throughput).toBeUndefined();
    expect(all.stderr.replace(/\n {4}/g, ' ')).toContain(`llmcost: note: ${ALL_BUT_THROUGHPUT}`);
    const both = runCli([...base, '--fields', 'all,throughput', '--format', 'ndjson']);
    const row = JSON.parse(both.stdout.split('\n')[1] as string);
    expect(row.results.throughput.plan.tensorParallel).toBe(8);
    expect(row.results.wallClockDays).toBeGreaterThan(0);
    expect(both.stderr).not.toContain('--fields all: every result but throughput');
    // --y names a throughput figure: the table and the chart are of it, not empty.
    const table = runCli([...base, '--y', 'throughput.tokensPerSecondPerGpu', '--quiet']);
    expect(table.stdout).toMatch(/│ 8 +│ 163 +│/);
    // Without an architecture there is none: an error that says why.
    const none = runCli(['sweep', '--params', '70B', '--tokens', '2T', '--cluster', 'h100x16k', '--vary', 'gpus=8,16', '--fields', 'throughput.mfu']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^llmcost: --fields "throughput.mfu": the first point has no throughput \(throughput not predicted: it needs the architecture/);
  });
});

describe('a plan axis: the table shows what the plan changes, stderr says what it does not', () => {
  it('predicted MFU, tokens/s and memory per GPU are columns; wall-clock and cost follow the published MFU, said once', () => {
    const run = runCli(['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--vary', 'tensor-parallel=4,8', '--format', 'csv']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('tensor-parallel,results.throughput.mfu,results.throughput.tokensPerSecondPerGpu,results.throughput.memoryBytesPerGpu.total,results.wallClockDays,results.gpuHours,results.capexUsd,results.energyCostUsd,results.powerMw');
    const stderr = run.stderr.replace(/\n {4}/g, ' ');
    expect(stderr).toContain("llmcost: warning: --vary tensor-parallel: the plan changes the throughput model's prediction and the memory per GPU");
    expect(stderr).toContain('not wall-clock or cost: they follow the published-run MFU (--mfu-from predicted makes them follow the plan)');
    // With the plan driving the MFU, wall-clock follows it: no warning, and the chart's y is the wall-clock again.
    const predicted = runCli(['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--mfu-from', 'predicted', '--vary', 'tensor-parallel=4,8', '--format', 'csv']);
    expect(predicted.status, predicted.stderr).toBe(0);
    expect(predicted.stderr).not.toContain('--vary tensor-parallel');
    const days = predicted.stdout.trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    expect(days[0]).toBeGreaterThan(2 * (days[1] as number));
    // No architecture: nothing changes, and stderr says why.
    const flat = runCli(['sweep', '--params', '70B', '--tokens', '2T', '--cluster', 'h100x16k', '--vary', 'tensor-parallel=1,8', '--format', 'csv']);
    expect(flat.stderr.replace(/\n {4}/g, ' ')).toContain('llmcost: warning: --vary tensor-parallel: no result changes with the plan here (throughput not predicted: it needs the architecture');
  });
});
