// End-to-end: `llmcost plan` (table and JSON), results.throughput of estimate and solve, --mfu-from,
// and the plan and architecture flags' bad inputs (exit 2, one line naming the flag).
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';

const LLAMA = ['--model', 'llama-405b', '--cluster', 'h100x16k'];
const PLAN_KEYS = ['tensorParallel', 'pipelineParallel', 'dataParallel', 'contextParallel', 'expertParallel', 'microBatch', 'globalBatch', 'recompute', 'virtualStages', 'zero'];
const THROUGHPUT_KEYS = ['plan', 'planOrigin', 'stepSeconds', 'tokensPerSecondPerGpu', 'mfu', 'hfu', 'bubbleFraction', 'breakdownSeconds', 'memoryBytesPerGpu', 'fits'];
const BREAKDOWN_KEYS = ['compute', 'recompute', 'tensorParallel', 'pipelineBubble', 'pipelineSend', 'dataParallelExposed', 'contextParallel', 'expertParallel', 'optimizer'];

describe('llmcost plan', () => {
  it('prints the top plans for Llama 3.1 405B on h100x16k within 80 columns, Meta\'s TP 8 / PP 16 among the first three, with the rejected counts', () => {
    const run = runCli(['plan', ...LLAMA]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const first = lines.find((l) => /^\s*1 /.test(l));
    // PP 8 x16 fits by under 1 GB and ranks ~3 % ahead of Meta's PP 16 x8 (README, Validation).
    expect(first).toMatch(/TP8 PP(8|16)x/);
    expect(lines.filter((l) => /^\s*[123] TP8 PP16x\d+ DP128 /.test(l))).not.toHaveLength(0);
    expect(lines.filter((l) => /^\s*\d+ TP/.test(l))).toHaveLength(10);
    expect(run.stdout).toMatch(/searched [\d,]+ plans: [\d,]+ fit/);
    expect(run.stdout).toMatch(/rejected:[\s\S]*does not fit in GPU\s+memory\s+\([\d,]+\)/);
  });

  it('--json: schemaVersion, command, searched, feasible, rejected by reason, plans as results.throughput objects', () => {
    const run = runCli(['plan', ...LLAMA, '--top', '3', '--json']);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as { searched: number; feasible: number; rejected: Record<string, number>; plans: Array<Record<string, Record<string, unknown>>> };
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'command', 'searched', 'feasible', 'rejected', 'plans']);
    expect(doc.searched).toBeGreaterThanOrEqual(10_000);
    expect(doc.feasible + Object.values(doc.rejected).reduce((a, b) => a + b, 0)).toBe(doc.searched);
    expect(doc.plans).toHaveLength(3);
    const best = doc.plans[0]!;
    expect(Object.keys(best)).toEqual(THROUGHPUT_KEYS);
    expect(Object.keys(best['plan']!)).toEqual(PLAN_KEYS);
    expect(Object.keys(best['breakdownSeconds']!)).toEqual(BREAKDOWN_KEYS);
    expect(Object.keys(best['memoryBytesPerGpu']!)).toEqual(['weights', 'gradients', 'optimizer', 'activations', 'total']);
    expect(best['plan']).toMatchObject({ tensorParallel: 8, globalBatch: 2048 });
    const meta = doc.plans.find((e) => e['plan']?.['pipelineParallel'] === 16 && e['plan']?.['dataParallel'] === 128);
    expect(meta?.['plan']).toMatchObject({ tensorParallel: 8, pipelineParallel: 16, globalBatch: 2048 });
    // Within 10 % of the Llama 3 paper's 38-43 % MFU (Table 4).
    expect(meta?.['mfu']).toBeGreaterThan(0.342);
    expect(meta?.['mfu']).toBeLessThan(0.473);
  });

  it('fixes the knobs given by flag and searches the rest', () => {
    const doc = JSON.parse(runCli(['plan', ...LLAMA, '--tensor-parallel', '4', '--zero', '2', '--json', '--top', '5']).stdout) as { plans: Array<{ plan: Record<string, unknown> }> };
    for (const e of doc.plans) expect(e.plan).toMatchObject({ tensorParallel: 4, zero: 2 });
  });

  it('nothing fits: exit 2, one line naming the smallest memory shortfall, nothing on stdout', () => {
    const run = runCli(['plan', '--model', 'llama-405b', '--gpu', 'h100', '--gpus', '8']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/no plan fits in GPU memory; the closest, TP \d+.*needs [\d.]+ [GT]B per GPU, [\d.]+ [GT]B more than the 72.0 GB usable/);
  });

  it.each([
    [['--top', '0'], /--top: expected a whole number of plans/],
    [['--format', 'csv'], /--format: plan prints a table or json/],
  ])('bad %j: exit 2, one line', (args, message) => {
    const run = runCli(['plan', ...LLAMA, ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});

describe('results.throughput of estimate and solve', () => {
  it('estimate: the searched plan, its breakdown and memory; the Throughput group in the table', () => {
    const doc = runJson(['estimate', ...LLAMA]);
    const t = doc.results['throughput'] as Record<string, unknown>;
    expect(Object.keys(t)).toEqual(THROUGHPUT_KEYS);
    expect(t['planOrigin']).toBe('searched');
    expect(t['fits']).toBe(true);
    const table = runCli(['estimate', ...LLAMA, '--full']).stdout;
    expect(table).toMatch(/Throughput/);
    expect(table).toMatch(/Predicted tokens\/s per GPU/);
  });

  it('with plan flags that plan is evaluated (planOrigin flags)', () => {
    const plan = ['--tensor-parallel', '8', '--pipeline-parallel', '16', '--context-parallel', '1', '--micro-batch', '1', '--virtual-stages', '4', '--recompute', 'full', '--zero', '1'];
    const t = runJson(['estimate', ...LLAMA, ...plan]).results['throughput'] as { plan: Record<string, unknown>; planOrigin: string };
    expect(t.planOrigin).toBe('flags');
    expect(t.plan).toEqual({ tensorParallel: 8, pipelineParallel: 16, dataParallel: 128, contextParallel: 1, expertParallel: 1, microBatch: 1, globalBatch: 2048, recompute: 'full', virtualStages: 4, zero: 1 });
  });

  it('--mfu-from predicted: the predicted MFU drives wall-clock and cost; --mfu still wins; published stays the default', () => {
    const published = runJson(['estimate', ...LLAMA]);
    const predicted = runJson(['estimate', ...LLAMA, '--mfu-from', 'predicted']);
    const t = predicted.results['throughput'] as { mfu: number };
    expect(predicted.results['mfu']).toBeCloseTo(t.mfu, 12);
    expect(predicted.inputs['mfu']?.origin).toBe('derived');
    expect(predicted.results['mfuRange']).toBeUndefined();
    expect(published.inputs['mfu']?.origin).toBe('preset:h100x16k');
    const ratio = (published.results['wallClockDays'] as number) / (predicted.results['wallClockDays'] as number);
    expect(ratio).toBeCloseTo(t.mfu / (published.results['mfu'] as number), 6);
    expect(runJson(['estimate', ...LLAMA, '--mfu-from', 'predicted', '--mfu', '0.5']).results['mfu']).toBe(0.5);
  });

  it('only --params known: throughput is left out with a note (no architecture is guessed)', () => {
    const doc = runJson(['estimate', '--params', '70B', '--tokens', '2T', '--cluster', 'h100x16k']);
    expect(doc.results['throughput']).toBeUndefined();
    expect((doc['notes'] as string[]).join('\n')).toMatch(/throughput not predicted: it needs the architecture/);
  });

  it('architecture flags feed the model: --kv-heads, --ffn-size, --experts and --experts-per-token', () => {
    const arch = ['--params', '47B', '--active-params', '13B', '--tokens', '1T', '--layers', '32', '--d-model', '4096', '--heads', '32', '--seq-len', '4096', '--vocab-size', '32000'];
    const doc = runJson(['estimate', ...arch, '--kv-heads', '8', '--ffn-size', '14336', '--experts', '8', '--experts-per-token', '2', '--gpus', '512', '--gpu', 'h100']);
    expect(doc.inputs['architecture']?.value).toMatchObject({ kvHeads: 8, ffnDim: 14336, moe: { experts: 8, activeExperts: 2 } });
    expect((doc.results['throughput'] as { fits: boolean }).fits).toBe(true);
  });

  it('solve reports the throughput of its plan too', () => {
    const doc = runJson(['solve', ...LLAMA, '--days', '90', '--for', 'tokens']);
    expect((doc.results['throughput'] as { plan: { tensorParallel: number } }).plan.tensorParallel).toBe(8);
  });
});

describe('plan and architecture flags: bad input is exit 2 with one line naming the flag', () => {
  it.each([
    [['--tensor-parallel', '3'], /--tensor-parallel 3 = 3: expected a divisor of the GPU count 16,384/],
    [['--tensor-parallel', '16', '--pipeline-parallel', '16', '--data-parallel', '100'], /--tensor-parallel 16 x --pipeline-parallel 16 x --data-parallel 100 = 25,600: expected the GPU count 16,384/],
    [['--tensor-parallel', '48', '--gpus', '48'], /--tensor-parallel 48: expected a divisor of the 128 attention heads/],
    [['--tensor-parallel', '8', '--pipeline-parallel', '16', '--global-batch', '1000', '--micro-batch', '1'], /--global-batch 1000: expected a multiple of data parallel 128 x --micro-batch 1/],
    [['--pipeline-parallel', '1', '--virtual-stages', '2', '--tensor-parallel', '8'], /--virtual-stages 2: interleaving needs --pipeline-parallel > 1/],
    [['--expert-parallel', '2'], /--expert-parallel 2: expected a divisor of the 0 experts/],
    [['--context-parallel', '3', '--gpus', '24'], /--context-parallel 3: expected 2 x CP to divide the 8192-token sequence/],
    [['--zero', '4'], /--zero/],
    [['--recompute', 'partial'], /--recompute/],
    [['--mfu-from', 'guess'], /--mfu-from/],
    [['--experts', '8'], /--experts-per-token: expected with --experts/],
    [['--virtual-stages', '0'], /--virtual-stages: expected a positive whole number/],
    [['--global-batch', '1.5'], /--global-batch: expected a positive whole number/],
  ])('estimate %j', (args, message) => {
    const run = runCli(['estimate', ...LLAMA, ...args]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  it('--mfu-from predicted without an architecture names what is missing', () => {
    const run = runCli(['estimate', '--params', '70B', '--tokens', '2T', '--cluster', 'h100x16k', '--mfu-from', 'predicted']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^llmcost: --mfu-from: throughput not predicted: it needs the architecture/);
  });

  it('--mfu-from predicted when solving for mfu is refused', () => {
    const run = runCli(['solve', ...LLAMA, '--days', '60', '--for', 'mfu', '--mfu-from', 'predicted']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--mfu-from: predicted cannot be used when solving for mfu/);
  });
});
