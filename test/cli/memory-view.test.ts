// One memory view (issue A6): results.memory follows the plan the throughput section evaluated (its
// TP, PP, interleaving, micro-batch, recompute and ZeRO), with one definition of each recompute mode,
// and the default table's "fits" is the plan's.
import { describe, expect, it } from 'vitest';
import { buildEstimateReport } from '../../src/cli/estimate.js';
import { buildSolveReport } from '../../src/cli/solve.js';
import { loadPresets } from '../../src/presets/load.js';
import { HEADLINE_RESULTS } from '../../src/format/headline.js';

const presets = loadPresets();
type Memory = { fits: boolean; bytesPerGpu?: number; activationBytesPerGpu?: number; activationBytesPerGpuSelectiveRecompute?: number; activationBytesPerGpuFullRecompute?: number; minGpusForState: number };
type Throughput = { fits: boolean; plan: { recompute: string }; memoryBytesPerGpu: { activations: number; total: number } };
const results = (flags: Record<string, unknown>) => buildEstimateReport(flags, presets).results as unknown as { memory: Memory; throughput: Throughput };

describe('results.memory follows the evaluated plan', () => {
  it.each([
    // Llama 3.1 405B on Meta's cluster: the quick search's plan fits (58.9 GB on its busiest GPU).
    ['llama-405b, searched plan', { model: 'llama-405b', cluster: 'h100x16k' }, true],
    // DeepSeek-V3 at its published PP 16 / EP 64 on 2,048 GPUs without DualPipe's tricks: its busiest stage
    // (stage 2: 14 micro-batches of 4 MoE layers) needs 127 GB, more than an 80 GB GPU; the sharded state alone would fit 135 GPUs.
    ['deepseek-v3, PP 16 x EP 64', { model: 'deepseek-v3', gpu: 'h800', gpus: 2048, 'tensor-parallel': 1, 'pipeline-parallel': 16, 'expert-parallel': 64, zero: '1', recompute: 'selective' }, false],
    ['llama-405b, full recomputation fixed', { model: 'llama-405b', cluster: 'h100x16k', recompute: 'full' }, true],
  ] as const)('%s: fits, bytes per GPU and the plan\'s own activations are the throughput section\'s', (_, flags, fits) => {
    const { memory, throughput } = results(flags);
    expect(memory.fits).toBe(throughput.fits);
    expect(memory.fits).toBe(fits);
    expect(memory.bytesPerGpu).toBe(throughput.memoryBytesPerGpu.total);
    const own = { none: memory.activationBytesPerGpu, selective: memory.activationBytesPerGpuSelectiveRecompute, full: memory.activationBytesPerGpuFullRecompute }[throughput.plan.recompute];
    expect(own).toBe(throughput.memoryBytesPerGpu.activations);
    // One definition: none keeps the most, selective less (norms and activation function rebuilt), full the least.
    expect(memory.activationBytesPerGpu).toBeGreaterThan(memory.activationBytesPerGpuSelectiveRecompute ?? Infinity);
    expect(memory.activationBytesPerGpuSelectiveRecompute).toBeGreaterThan(memory.activationBytesPerGpuFullRecompute ?? Infinity);
  });

  it('the one-screen table shows memory.fits, the plan\'s fit', () => {
    expect(HEADLINE_RESULTS.map((f) => f.key)).toContain('memory.fits');
    const report = buildEstimateReport({ model: 'deepseek-v3', gpu: 'h800', gpus: 2048, 'tensor-parallel': 1, 'pipeline-parallel': 16, 'expert-parallel': 64, zero: '1', recompute: 'selective' }, presets);
    // The state warning is not given when the state fits sharded (135 GPUs of 2,048); the plan's shortfall is.
    expect(report.warnings.some((w) => w.startsWith('does not fit: the training state'))).toBe(false);
    expect(report.warnings.some((w) => w.startsWith('does not fit in GPU memory'))).toBe(true);
  });

  it('solve follows the plan too', () => {
    const r = buildSolveReport({ model: 'llama-405b', cluster: 'h100x16k', for: 'days' }, presets).results as unknown as { memory?: Memory; throughput?: Throughput };
    if (r.throughput) expect(r.memory?.fits).toBe(r.throughput.fits);
    expect(r.throughput).toBeDefined();
  });
});
