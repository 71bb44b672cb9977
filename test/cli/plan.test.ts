// End-to-end: `llmcost plan` (table and JSON), results.throughput of estimate and solve, --mfu-from,
// and the plan and architecture flags' bad inputs (exit 2, one line naming the flag).
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/format/csv.js';
import { runCli, runJson } from '../helpers/cli.js';

const LLAMA = ['--model', 'llama-405b', '--cluster', 'h100x16k'];
const PLAN_KEYS = ['tensorParallel', 'pipelineParallel', 'dataParallel', 'contextParallel', 'expertParallel', 'microBatch', 'globalBatch', 'recompute', 'virtualStages', 'zero'];
const THROUGHPUT_KEYS = ['plan', 'planOrigin', 'stepSeconds', 'tokensPerSecondPerGpu', 'mfu', 'hfu', 'bubbleFraction', 'breakdownSeconds', 'memoryBytesPerGpu', 'fits'];
const BREAKDOWN_KEYS = ['compute', 'recompute', 'tensorParallel', 'pipelineBubble', 'pipelineSend', 'dataParallelExposed', 'contextParallel', 'expertParallel', 'optimizer'];

describe('llmcost plan', () => {
  it('prints the top plans for Llama 3.1 405B on h100x16k within 80 columns, Meta\'s TP 8 / PP 16 first (Llama 3 paper, Table 4), with the rejected counts', () => {
    const run = runCli(['plan', ...LLAMA]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const first = lines.find((l) => /^\s*1 /.test(l));
    // With fp32 gradients (Llama 3 §3.3.2; Megatron-Core's 18 B/param) PP 8 x16 does not fit.
    expect(first).toMatch(/^\s*1 TP8 PP16x\d+ DP128 /);
    expect(lines.filter((l) => /^\s*\d+ TP/.test(l))).toHaveLength(10);
    expect(run.stdout).toMatch(/searched [\d,]+ plans: [\d,]+ fit/);
    expect(run.stdout).toMatch(/rejected:[\s\S]*does not fit in GPU\s+memory\s+\([\d,]+\)/);
  });

  it('--json: schemaVersion, command, searched, feasible, rejected by reason, plans as results.throughput objects', () => {
    const run = runCli(['plan', ...LLAMA, '--top', '3', '--json']);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as { searched: number; feasible: number; rejected: Record<string, number>; plans: Array<Record<string, Record<string, unknown>>> };
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'command', 'searched', 'feasible', 'rejected', 'plans', 'warnings', 'notes']);
    expect(doc['warnings' as keyof typeof doc]).toEqual([]);
    expect(doc['notes' as keyof typeof doc]).toEqual([]);
    expect(doc.searched).toBeGreaterThanOrEqual(10_000);
    expect(doc.feasible + Object.values(doc.rejected).reduce((a, b) => a + b, 0)).toBe(doc.searched);
    expect(doc.plans).toHaveLength(3);
    const best = doc.plans[0]!;
    expect(Object.keys(best)).toEqual(THROUGHPUT_KEYS);
    expect(Object.keys(best['plan']!)).toEqual(PLAN_KEYS);
    expect(Object.keys(best['breakdownSeconds']!)).toEqual(BREAKDOWN_KEYS);
    expect(Object.keys(best['memoryBytesPerGpu']!)).toEqual(['weights', 'gradients', 'optimizer', 'activations', 'total']);
    expect(best['plan']).toMatchObject({ tensorParallel: 8, pipelineParallel: 16, dataParallel: 128, globalBatch: 2048 });
    const meta = best;
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
    [['--format', 'svg'], /--format: expected one of table, json, ndjson, csv, markdown/],
  ])('bad %j: exit 2, one line', (args, message) => {
    const run = runCli(['plan', ...LLAMA, ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});

describe('llmcost plan: every format, warnings and notes', () => {
  const top = ['plan', ...LLAMA, '--top', '3'];
  const json = JSON.parse(runCli([...top, '--json']).stdout) as { plans: Array<Record<string, unknown> & { plan: Record<string, unknown> }> };

  it('--format csv: a header of dotted names, one row per plan in rank order, the figures of --json; the counts as a note on stderr', () => {
    const run = runCli([...top, '--format', 'csv']);
    expect(run.status).toBe(0);
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header?.slice(0, 12)).toEqual(['rank', ...PLAN_KEYS.map((k) => `plan.${k}`), 'stepSeconds']);
    for (const name of ['tokensPerSecondPerGpu', 'mfu', 'hfu', 'memoryBytesPerGpu.total', 'fits']) expect(header).toContain(name);
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      const cell = (name: string): string => row[header!.indexOf(name)] ?? '';
      const plan = json.plans[i]!;
      expect(cell('rank')).toBe(String(i + 1));
      expect(cell('plan.tensorParallel')).toBe(String(plan.plan['tensorParallel']));
      expect(cell('plan.recompute')).toBe(String(plan.plan['recompute']));
      expect(Number(cell('tokensPerSecondPerGpu'))).toBe(plan['tokensPerSecondPerGpu']);
      expect(Number(cell('memoryBytesPerGpu.total'))).toBe((plan['memoryBytesPerGpu'] as Record<string, number>)['total']);
      expect(cell('fits')).toBe('true');
    });
    expect(run.stderr).toMatch(/^llmcost: note: searched [\d,]+ plans: [\d,]+ fit, the 3 fastest shown/);
    expect(runCli([...top, '--format', 'csv', '--quiet']).stderr).toBe('');
  });

  it('--format ndjson: one JSON object a line, a plan each, as --json has it (without planOrigin)', () => {
    const run = runCli([...top, '--format', 'ndjson']);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      const { planOrigin: _, ...rest } = json.plans[i]!;
      expect(line).toEqual({ rank: i + 1, ...rest });
    });
  });

  it('--format markdown: a heading, a table row per plan, the counts', () => {
    const run = runCli([...top, '--format', 'markdown']);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^### llmcost plan: llama-405b on h100x16k/);
    expect(lines.filter((l) => /^\| \d \| TP/.test(l))).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('| 1 |'))).toMatch(/^\| 1 \| TP\d+ PP\d+(x\d+)? DP\d+ \| \d+ \| (selective|full|none) \| [0-3] \| [\d.]+k? \| [\d.]+ % \|/);
    expect(run.stdout).toMatch(/searched [\d,]+ plans/);
  });

  it('the default cluster is named in a note (JSON notes, the table), a params/architecture mismatch warned about (stderr and JSON)', () => {
    const small = ['plan', '--model', 'llama-8b', '--gpus', '64', '--top', '2'];
    const doc = JSON.parse(runCli([...small, '--json']).stdout) as { notes: string[]; warnings: string[] };
    expect(doc.notes.join('\n')).toMatch(/no --cluster or --gpu: the h100 GPUs and the cluster's defaults are those of the default cluster colossus/);
    expect(runCli(small).stdout).toMatch(/note: no --cluster or --gpu/);
    const mismatch = [...small, '--params', '70B'];
    const run = runCli(mismatch);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^llmcost: warning: --params 70B and the architecture of model preset llama-8b/);
    expect((JSON.parse(runCli([...mismatch, '--json']).stdout) as { warnings: string[] }).warnings[0]).toMatch(/the architecture counts 8.\d+B parameters \(8.\d+x fewer, more than 10 % apart\); FLOPs, wall-clock and cost use 70B/);
  });

  it('ZeRO at DP x CP 1: one row per plan, never four rows differing only in ZeRO; the note says so', () => {
    // TP 8 on 8 GPUs: DP 1 (PP 1 and CP 1 too), so ZeRO shards nothing in every plan.
    const doc = JSON.parse(runCli(['plan', '--model', 'llama-8b', '--gpu', 'h100', '--gpus', '8', '--global-batch', '8', '--tensor-parallel', '8', '--top', '100', '--json']).stdout) as { searched: number; plans: Array<{ plan: Record<string, unknown> }>; notes: string[] };
    const keys = doc.plans.map((e) => JSON.stringify({ ...e.plan, zero: undefined }));
    expect(doc.plans.length).toBeGreaterThan(1);
    expect(new Set(keys).size).toBe(keys.length);
    expect(doc.plans.every((e) => e.plan['dataParallel'] === 1 && e.plan['zero'] === 0)).toBe(true);
    // Micro-batches 1, 2, 4, 8 x selective and full: 8 plans, not 32.
    expect(doc.searched).toBe(8);
    expect(doc.notes.join('\n')).toMatch(/ZeRO stages shard nothing: one plan, searched and listed once, as ZeRO-0/);
  });
});

describe('--params against the architecture (A3)', () => {
  it('--params 7e9 with a 405B shape from flags: a warning naming both counts and which drives the FLOPs; a consistent pair none', () => {
    const shape = ['--tokens', '1T', '--layers', '126', '--d-model', '16384', '--heads', '128', '--seq-len', '8192', '--cluster', 'h100x16k'];
    const run = runCli(['estimate', '--params', '7e9', ...shape]);
    expect(run.status).toBe(0);
    const line = run.stderr.replace(/\n +/g, ' ');
    expect(line).toMatch(/llmcost: warning: --params 7B and the architecture of the flags \(126 layers, d-model 16384, no vocabulary \(embeddings not counted\)\) disagree: the architecture counts 40\dB parameters \(5\d\.\dx, more than 10 % apart\); FLOPs, wall-clock and cost use 7B/);
    const doc = runJson(['estimate', '--params', '7e9', ...shape]);
    expect((doc['warnings'] as string[]).some((w) => w.startsWith('--params 7B and the architecture'))).toBe(true);
    // 6 x 7e9 x 1e12: the flag wins for FLOPs.
    expect(doc.results['trainingFlops']).toBeCloseTo(4.2e22, -19);
    expect(runCli(['estimate', '--params', '400e9', ...shape]).stderr).not.toMatch(/disagree/);
    expect(runCli(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k']).stderr).not.toMatch(/disagree/);
  });

  it("a preset's params against flags over its architecture: the preset's count is named with its origin", () => {
    const run = runCli(['estimate', '--model', 'llama-8b', '--layers', '320', '--gpus', '1024']);
    expect(run.stderr.replace(/\n +/g, ' ')).toMatch(/warning: the parameter count 8\.\d+B \(from model preset llama-8b\) and the architecture of the flags over the model's \(320 layers/);
  });
});

describe('a batch too small for the GPUs, and errors naming the values in play', () => {
  it('estimate --model mpt-7b on the default 100,000 GPUs: a warning (stderr and JSON) that its batch cannot occupy them, with the bound and what would', () => {
    const run = runCli(['estimate', '--model', 'mpt-7b']);
    expect(run.status).toBe(0);
    const warning = /a global batch of 4,096 sequences \(derived by DeepSeek LLM's batch-size rule\) cannot occupy 100,000 GPUs \(from cluster preset colossus, the default cluster\): with at most 8 GPUs on a sequence \(TP inside the 8-GPU scale-up domain x CP\), data parallel x pipeline parallel is at least 12,500, more than the sequences, so at micro-batch 1 a pipeline gets fewer micro-batches than stages and at most 32 % of the GPU-time computes .* a --global-batch of 12,500 or more, or --gpus 32768 or fewer, would keep them busy; wall-clock and cost assume every GPU busy at the MFU/;
    expect(run.stderr.replace(/\n +/g, ' ')).toMatch(warning);
    const doc = runJson(['estimate', '--model', 'mpt-7b']);
    expect((doc['warnings'] as string[]).join('\n')).toMatch(warning);
    // A batch that fills its GPUs: no such warning (Meta's 2,048 sequences on 16,384 GPUs: TP 8 x 2,048).
    expect(runCli(['estimate', ...LLAMA]).stderr).not.toMatch(/cannot occupy/);
  });

  it('plan with a batch no plan of the GPUs splits (mpt-7b on the default 100,000 GPUs): exit 2, one line naming the batch, the GPUs and where each came from', () => {
    const run = runCli(['plan', '--model', 'mpt-7b']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^llmcost: plan: no plan of 100,000 GPUs \(from cluster preset colossus, the default cluster\) splits a global batch of 4,096 sequences \(derived by DeepSeek LLM's batch-size rule\): no plan of them has a data-parallel degree that divides it/);
  });

  it('plan with a global batch below GPUs / (TP in the domain): the plans, and a warning (stderr and JSON)', () => {
    const args = ['plan', ...LLAMA, '--global-batch', '8', '--top', '2'];
    const run = runCli(args);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/TP(16|32|64|128) /);
    const warning = /^a global batch of 8 sequences \(--global-batch\) cannot occupy 16,384 GPUs \(from cluster preset h100x16k\): with at most 8 GPUs on a sequence .* at least 2,048, .* less than 1 % of the GPU-time computes .* --gpus 64 or fewer, would keep them busy$/;
    expect(run.stderr.trimEnd().replace(/\n +/g, ' ').replace(/^llmcost: warning: /, '')).toMatch(warning);
    expect((JSON.parse(runCli([...args, '--json']).stdout) as { warnings: string[] }).warnings[0]).toMatch(warning);
  });

  it.each([
    [['--gpus', '24576', '--tensor-parallel', '8', '--pipeline-parallel', '16'], /^llmcost: global batch 2048 \(from model preset llama-405b\): expected a multiple of data parallel 192 x micro-batch 1 \(--global-batch to change it\)$/],
    [['--tensor-parallel', '3'], /^llmcost: --tensor-parallel 3 = 3: expected a divisor of the GPU count 16,384 \(from cluster preset h100x16k\)/],
    [['--tensor-parallel', '128', '--pipeline-parallel', '256'], /^llmcost: --tensor-parallel: expected tensor x pipeline parallel at most the GPU count \(16.4k, from cluster preset h100x16k\)/],
  ])('estimate %j: the value not typed is named with its origin, not as a flag', (args, message) => {
    for (const command of ['estimate', 'plan']) {
      const run = runCli([command, ...LLAMA, ...args]);
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr.trimEnd()).toMatch(message);
    }
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
