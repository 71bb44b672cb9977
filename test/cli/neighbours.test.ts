import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * A quantity consistent with its neighbours (issue 13), on the command line and in scenario files;
 * the error names what the user wrote: the flag, or the file and JSON path of the entry.
 */
function expectError(args: string[], message: string): void {
  const run = runCli(args);
  expect(run.status, run.stdout).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(`llmcost: ${message}\n`);
}

describe('neighbours', () => {
  it('tensor x pipeline parallel at most the GPUs; active parameters at most the total', () => {
    expectError(['estimate', '--model', 'llama-405b', '--gpus', '8', '--tensor-parallel', '16'], '--tensor-parallel: expected tensor x pipeline parallel at most the GPU count (8), got 16 x 1 = 16');
    expectError(['estimate', '--model', 'llama-405b', '--gpus', '8', '--pipeline-parallel', '2'], '--pipeline-parallel: expected tensor x pipeline parallel at most the GPU count (8), got 8 x 2 = 16');
    expectError(['estimate', '--model', 'llama-405b', '--active-params', '500B'], '--active-params: expected at most the total parameters (405B, preset llama-405b), got 500B');
    // The defaults alone never make a run an error: only the degrees the user gives are checked.
    expect(runCli(['estimate', '--model', 'llama-8b', '--gpus', '4', '--json']).status).toBe(0);
  });

  it('in a scenario file the entry and its key are named, not a flag never typed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-neighbours-'));
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify([{ model: 'llama-405b', cluster: 'h100x16k' }, { model: 'llama-405b', gpus: 8, tensorParallel: 16 }]));
    expectError(['compare', '--scenarios', file], `--scenarios ${file}: 1.tensorParallel: expected tensor x pipeline parallel at most the GPU count (8), got 16 x 1 = 16`);
    writeFileSync(file, JSON.stringify([{ model: 'llama-405b' }, { model: 'llama-70b', activeParams: '100B' }]));
    expectError(['compare', '--scenarios', file], `--scenarios ${file}: 1.activeParams: expected at most the total parameters (70.5B, preset llama-70b), got 100B`);
    writeFileSync(file, JSON.stringify([{ model: 'llama-405b' }, { model: 'llama-70b', microBatch: 0.5 }]));
    expectError(['compare', '--scenarios', file], `--scenarios ${file}: 1.microBatch: expected a positive whole number (sequences, e.g. 1), got "0.5"`);
  });
});

describe('architecture flags keep the relations presets and HF configs keep (one rule set)', () => {
  const HF = 'test/fixtures/hf/llama-3.1-8b.config.json';
  it.each([
    // The flag given is blamed; the other side is the flag, or the number of the model it comes from.
    [['--model', 'llama-405b', '--kv-heads', '7'], '--kv-heads: expected a divisor of the attention heads of llama-405b (128), got 7'],
    [['--model', 'llama-405b', '--heads', '96', '--kv-heads', '7'], '--kv-heads: expected a divisor of --heads (96), got 7'],
    [['--model', 'llama-405b', '--heads', '100'], '--heads: expected a multiple of the key/value heads of llama-405b (8), got 100'],
    [['--model', 'llama-405b', '--d-model', '16385'], '--d-model: expected a multiple of the attention heads of llama-405b (128), got 16385'],
    [['--model', 'deepseek-v3', '--experts', '4'], '--experts: expected at least the experts per token of deepseek-v3 (8), got 4'],
    [['--model', 'deepseek-v3', '--experts-per-token', '300'], '--experts-per-token: expected at most the experts of deepseek-v3 (256), got 300'],
    [['--model', 'deepseek-v3', '--layers', '2'], '--layers: expected at least the dense layers of deepseek-v3 (3), got 2'],
    [['--params', '47B', '--tokens', '1T', '--layers', '32', '--d-model', '4096', '--heads', '32', '--seq-len', '4096', '--experts', '8', '--experts-per-token', '9'], '--experts-per-token: expected at most --experts (8), got 9'],
    [['--hf-config', HF, '--kv-heads', '3'], `--kv-heads: expected a divisor of the attention heads of ${HF} (32), got 3`],
  ])('estimate %j', (args, message) => {
    expectError(['estimate', '--cluster', 'h100x16k', ...args], message);
  });

  it('in scenario files and at every sweep point', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-arch-'));
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify([{ model: 'llama-405b' }, { model: 'llama-405b', kvHeads: 7 }]));
    expectError(['compare', '--scenarios', file, '--cluster', 'h100x16k'], `--scenarios ${file}: 1.kvHeads: expected a divisor of the attention heads of llama-405b (128), got 7`);
    // The plan's rules too: the entry's key, not a flag never typed; a flag of the command line stays a flag.
    writeFileSync(file, JSON.stringify([{ model: 'llama-405b' }, { model: 'llama-405b', tensorParallel: 48, gpus: 48 }]));
    expectError(['compare', '--scenarios', file], `--scenarios ${file}: 1.tensorParallel 48: expected a divisor of the 128 attention heads`);
    writeFileSync(file, JSON.stringify([{ model: 'llama-405b' }, { model: 'llama-405b', tensorParallel: 3 }]));
    expectError(['compare', '--scenarios', file, '--cluster', 'h100x16k', '--pipeline-parallel', '2'], `--scenarios ${file}: 1.tensorParallel 3 x --pipeline-parallel 2 = 6: expected a divisor of the GPU count 16,384 (from cluster preset h100x16k) (TP x PP x CP x DP = GPUs)`);
    expectError(['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--vary', 'kv-heads=8,7', '--format', 'csv'], '--kv-heads 7: --kv-heads: expected a divisor of the attention heads of llama-405b (128), got 7');
    expect(runCli(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--kv-heads', '16', '--heads', '64', '--json']).status).toBe(0);
  });
});

describe('a result that would not be finite names the inputs as the user wrote them', () => {
  it('the flag, or the preset file and the defaults, never the core\'s input names', () => {
    expectError(['estimate', '--model', 'llama-8b', '--cluster', 'h100x16k', '--mfu', '1e-300'],
      'gpuHours, gpuHoursRange, cloudCostUsd, amortizedGpuCapexUsd and 3 more results would not be a finite number (overflow or division by zero) for --mfu 1e-300');
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-extreme-'));
    writeFileSync(join(dir, 'defaults.json'), JSON.stringify({ pue: { value: 1e308, source: 'test' } }));
    const run = runCli(['estimate', '--presets-dir', dir, '--model', 'llama-8b', '--cluster', 'h100x16k']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/would not be a finite number \(overflow or division by zero\) for pue 1e\+308 \(defaults\.json\)\n$/);
  });
});
