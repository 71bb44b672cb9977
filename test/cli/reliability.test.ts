import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';

type Rel = { jobMtbiHours: number; interruptionsPerDay: number; goodput: number; interruptions: number; lostGpuHours: number; checkpointIntervalMinutes: number; checkpointSeconds: number };
type Mem = { minGpusForState: number; fits: boolean; stateBytes: number; bytesPerParam: number; activationBytesPerGpu?: number };

describe('failures and goodput (issue 4), via the built CLI', () => {
  it('llama-405b on h100x16k: 6-10 interruptions a day (Llama 3 paper: 419 in 54 days), goodput 0.85-0.97 (paper: > 90 %)', () => {
    const doc = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k']);
    const r = doc.results['reliability'] as Rel;
    expect(r.interruptionsPerDay).toBeGreaterThan(6);
    expect(r.interruptionsPerDay).toBeLessThan(10);
    expect(r.goodput).toBeGreaterThan(0.85);
    expect(r.goodput).toBeLessThan(0.97);
    const { wallClockDays, idealWallClockDays, gpuHours } = doc.results as Record<string, number>;
    expect(wallClockDays).toBeCloseTo(idealWallClockDays / r.goodput, 6);
    // Every cost uses the wall-clock with the loss in it.
    expect(gpuHours).toBeCloseTo((16_384 * wallClockDays * 24), 0);
    expect(doc.inputs['gpuMtbfHours']).toMatchObject({ origin: 'default' });
  });

  it('colossus: an interruption more often than once an hour, and the table says what it does', () => {
    const doc = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'colossus']);
    expect((doc.results['reliability'] as Rel).jobMtbiHours).toBeLessThan(1);
    const table = runCli(['estimate', '--model', 'llama-405b', '--cluster', 'colossus', '--full'], { COLUMNS: '250' }).stdout;
    expect(table).toMatch(/Job MTBI\s+│ 30\.4 min/);
    expect(table).toMatch(/note: failures: an interruption every 30\.4 min .* costs 3\d\.\d % of wall-clock/);
  });

  it('the default restart is the ceiling production reports allow (presets/defaults.json restartMinutes)', () => {
    // Llama 3 Herd §3.3.4: "higher than 90% effective training time" on 16,384 H100: 15 min still allows it.
    const llama = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--restart-minutes', '15']);
    expect((llama.results['reliability'] as Rel).goodput).toBeGreaterThanOrEqual(0.9);
    // ByteRobust (arXiv:2509.16293): 97 % ETTR on 9,600 GPUs; at Llama 3's interruption rate and free
    // checkpoints, e^(-R/M) = 0.97 gives R = 9.65 min.
    const byte = runJson(['estimate', '--model', 'llama-405b', '--gpu', 'h100', '--gpus', '9600', '--checkpoint-seconds', '0', '--restart-minutes', '9.65']);
    expect((byte.results['reliability'] as Rel).goodput).toBeCloseTo(0.97, 3);
  });

  it('when failures dominate, a note names the restart assumption and what a fast recovery would give (issue 12)', () => {
    const doc = runJson(['solve', '--days', '100', '--cluster', 'colossus', '--tokens', '15T']);
    const notes = (doc.notes as string[]).join('\n');
    expect(notes).toMatch(/restarts: 10 min each plus reading the checkpoint back \(default: .*ByteRobust.*\); with FlashRecovery's 2\.5 min \(4,800 devices\) goodput would be \d+ %: --restart-minutes/);
    const fast = runJson(['solve', '--days', '100', '--cluster', 'colossus', '--tokens', '15T', '--restart-minutes', '2.5']);
    const said = Number(/goodput would be (\d+) %/.exec(notes)?.[1]);
    // The checkpoint read comes on top of --restart-minutes, so the flag's run is a little lower.
    expect(((fast.results['reliability'] as Rel).goodput * 100)).toBeCloseTo(said, -1);
    expect((fast.notes as string[]).join(' ')).toMatch(/restarts: 2\.5 min each plus reading the checkpoint back \(--restart-minutes\)/);
    // A run that failures do not dominate (7.5 % on h100x16k) gets no such note.
    const calm = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k']);
    expect((calm.notes as string[]).join(' ')).not.toMatch(/restarts:/);
  });

  it('says plainly when goodput is below 50 %, with what would fix it', () => {
    // Warnings go to stderr in every format (issue 14): a script reading CSV is told too.
    for (const format of ['table', 'csv', 'ndjson', 'json']) {
      const run = runCli(['estimate', '--model', 'llama-405b', '--cluster', 'colossus', '--restart-minutes', '60', '--format', format], { COLUMNS: '250' });
      expect(run.status).toBe(0);
      expect(run.stderr.replace(/\n {4}/g, ' ')).toMatch(/^llmcost: warning: impractical: only \d+ % of wall-clock is training.*--restart-minutes.*fewer GPUs/);
      expect(run.stdout).not.toMatch(format === 'json' ? /^llmcost: warning/m : /warning/);
    }
  });

  it('--no-failures gives the ideal run; --interruptions-per-day and --checkpoint-seconds override the model', () => {
    const ideal = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--no-failures']);
    expect(ideal.results['reliability']).toBeUndefined();
    expect(ideal.results['wallClockDays']).toBe(ideal.results['idealWallClockDays']);
    const fixed = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--interruptions-per-day', '24', '--checkpoint-seconds', '60', '--checkpoint-interval-minutes', '30']);
    const r = fixed.results['reliability'] as Rel;
    expect(r.jobMtbiHours).toBeCloseTo(1, 9);
    expect(r.checkpointSeconds).toBe(60);
    expect(r.checkpointIntervalMinutes).toBeCloseTo(30, 9);
  });

  it('solve accounts for goodput: 100 days on 100,000 GPUs buy less, and it says how much', () => {
    const doc = runJson(['solve', '--days', '100', '--cluster', 'colossus', '--tokens', '15T']);
    const { params, failureFreeValue } = doc.results as Record<string, number>;
    expect(params).toBeLessThan(failureFreeValue);
    const r = doc.results['reliability'] as Rel;
    // The solved run uses the whole budget, failures included.
    expect(doc.results['wallClockDays'] as number).toBeCloseTo(100, 6);
    expect(params / failureFreeValue).toBeCloseTo(r.goodput, 6);
  });

  it('bad combinations are usage errors', () => {
    for (const args of [
      ['--no-failures', '--restart-minutes', '5'],
      ['--gpu-mtbf-hours', '1000', '--interruptions-per-day', '3'],
      ['--restart-minutes', '-1'],
      ['--storage-gbps', '0'],
    ]) {
      const run = runCli(['estimate', '--model', 'llama-405b', ...args]);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  });

  it('with --flops only (no params) the checkpoint size is unknown: a warning, not a guess', () => {
    const doc = runJson(['estimate', '--flops', '3.8e25', '--cluster', 'h100x16k']);
    expect(doc.results['reliability']).toBeUndefined();
    expect((doc.warnings as string[]).join(' ')).toMatch(/failures not modelled/);
  });
});

describe('memory feasibility (issue 4)', () => {
  it('405B with mixed-precision Adam (2 + 4 + 12 = 18 B, Megatron-Core) on 80 GB GPUs needs 92 GPUs (7.29 TB / 80 GB = 91.1)', () => {
    const m = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k']).results['memory'] as Mem;
    expect(m.bytesPerParam).toBe(18);
    expect(m.stateBytes).toBe(7.29e12);
    expect(m.minGpusForState).toBe(92);
    expect(m.fits).toBe(true);
    expect(m.activationBytesPerGpu).toBeGreaterThan(0);
  });

  it('pipelining does not divide the first stage\'s activations: 1F1B keeps p micro-batches of its layers (Korthikanti et al. 2022 §4.2.3)', () => {
    const at = (p: string): Mem => runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--pipeline-parallel', p]).results['memory'] as Mem;
    const one = at('1').activationBytesPerGpu ?? 0;
    const four = at('4').activationBytesPerGpu ?? 0;
    // One stage: 126 layers and the output layer's logits (0.9 %). Four (126 = 31 + 32 + 32 + 31 layers),
    // interleaved x8 by the quick search with m = 4 micro-batches: every forward of the step is in flight,
    // so the second stage holds 4 x 32 = 128 layers' worth: 128 / 126 / 1.009 = 1.007. Never a 4x drop.
    expect(four / one).toBeGreaterThan(1.0);
    expect(four / one).toBeLessThan(1.015);
  });

  it('a model that does not fit is a warning and fits: false, not an error', () => {
    const run = runCli(['estimate', '--model', 'llama-405b', '--gpu', 'h100', '--gpus', '64', '--json']);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.results.memory.fits).toBe(false);
    expect(doc.warnings.join(' ')).toMatch(/does not fit: the training state \(7\.29 TB\) needs at least 92 GPUs/);
  });

  it('--optimizer and --state-bytes-per-param change the state size', () => {
    const eight = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--optimizer', 'adam-8bit']).results['memory'] as Mem;
    expect(eight.stateBytes).toBe(405e9 * 12);
    const custom = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--state-bytes-per-param', '6']).results['memory'] as Mem;
    expect(custom.stateBytes).toBe(405e9 * 6);
  });

  it('solve for params reports the largest model that also fits', () => {
    const doc = runJson(['solve', '--days', '3650', '--gpu', 'h100', '--gpus', '8', '--tokens', '1T', '--no-failures']);
    expect((doc.results['memory'] as Mem).fits).toBe(false);
    expect(doc.results['largestFittingParams']).toBe((8 * 80e9) / 18);
    expect((doc.warnings as string[]).join(' ')).toMatch(/largest model whose training state fits 8 GPUs is 35\.6B/);
  });
});
