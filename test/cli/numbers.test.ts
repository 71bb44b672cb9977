import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * Issue 14: numbers for humans in every table, note and warning, also at the extremes (one GPU,
 * ten-hour restarts, 200,000 GPUs): "6.87 TB", not "6.87e+3 GB"; "9.67 h restarts", not "5.8e+2 min".
 */
const EXTREMES: ReadonlyArray<readonly string[]> = [
  ['estimate', '--model', 'llama-405b', '--gpu', 'h100', '--gpus', '1', '--full'],
  ['estimate', '--model', 'llama-405b', '--gpu', 'h100', '--gpus', '8', '--full'],
  ['estimate', '--model', 'llama-405b', '--gpus', '200000', '--restart-minutes', '580', '--full'],
  ['solve', '--model', 'llama-405b', '--days', '30', '--full'],
  ['solve', '--model', 'llama-405b', '--days', '3000', '--gpus', '8', '--full'],
];

describe('no toPrecision exponents ("e+") in what people read', () => {
  it.each(EXTREMES.map((args) => [args.join(' '), args] as const))('llmcost %s', (_, args) => {
    const run = runCli(args, { COLUMNS: '80' });
    expect(run.status, run.stderr).toBe(0);
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/\de\+\d/);
  });

  it('the memory warning and the plan memory say TB; energy above 1,000 % of capex has separators', () => {
    const one = runCli(['estimate', '--model', 'llama-405b', '--gpu', 'h100', '--gpus', '1', '--full'], { COLUMNS: '200' });
    expect(one.stderr).toMatch(/the plan needs \d\.\d\d TB per GPU, \d\.\d\d TB more than fits \(80\.0 GB less/);
    expect(one.stdout).toMatch(/Memory \/ GPU for the plan +│ \d\.\d\d TB/);
    const eight = runCli(['estimate', '--model', 'llama-405b', '--gpu', 'h100', '--gpus', '8', '--full'], { COLUMNS: '200' });
    expect(eight.stdout).toMatch(/Energy \/ capex +│ \d,\d{3} %/);
  });

  it('the impractical warning and the restart note give durations in s, min or h', () => {
    const run = runCli(['estimate', '--model', 'llama-405b', '--gpus', '200000', '--restart-minutes', '580'], { COLUMNS: '200' });
    expect(run.stderr).toMatch(/an interruption every [\d.]+ min against 9\.67 h restarts and [\d.]+ s checkpoints/);
    expect(run.stdout).toMatch(/restarts: 9\.67 h each plus reading the checkpoint back/);
    expect(run.stdout).toMatch(/failures: an interruption every [\d.]+ min \([\d.]+\/day\) costs 100 % of wall-clock/);
  });
});
