import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHART_KINDS } from '../../src/cli/command-options.js';
import { optionsFor } from '../../src/cli/options.js';
import { PRECISIONS } from '../../src/presets/precisions.js';
import { runCli } from '../helpers/cli.js';

/** Issue 14: `llmcost completion bash|zsh|fish`, generated from the option registry. */
const script = (shell: string): string => {
  const run = runCli(['completion', shell]);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
};

describe('llmcost completion bash', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'llmcost-completion-')), 'llmcost.bash');
  writeFileSync(file, script('bash'));
  /** Runs the completion function on a command line (the last word being completed) and returns the candidates. */
  const complete = (...line: string[]): string[] => {
    const words = line.map((w) => `'${w}'`).join(' ');
    const run = spawnSync('bash', ['-c', `source '${file}'; COMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; _llmcost; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    return run.stdout.split('\n').filter((l) => l !== '');
  };

  it('is valid bash', () => {
    expect(spawnSync('bash', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
  });
  it.each([
    [['llmcost', 'es'], ['estimate']],
    [['llmcost', 'estimate', '--gpu-p'], ['--gpu-price']],
    [['llmcost', 'estimate', '--model', 'llama-40'], ['llama-405b']],
    [['llmcost', 'solve', '--for', 'g'], ['gpus']],
    [['llmcost', 'estimate', '--precision', 'bf'], ['bf16']],
    [['llmcost', 'sweep', '--chart', 's'], ['svg']],
    [['llmcost', 'presets', 'sh'], ['show']],
    [['llmcost', 'presets', 'show', 'h100x'], ['h100x16k']],
    [['llmcost', 'completion', 'f'], ['fish']],
  ])('%j completes to %j', (line, expected) => {
    expect(complete(...line)).toEqual(expected);
  });
  it('offers every estimate flag of the registry', () => {
    const offered = complete('llmcost', 'estimate', '--');
    for (const option of optionsFor('estimate')) expect(offered).toContain(`--${option.flag}`);
    expect(offered).toEqual(expect.arrayContaining(['--full', '--quiet', '--format', '--out', '--color', '--no-color']));
  });
});

describe.each(['zsh', 'fish'])('llmcost completion %s', (shell) => {
  const text = script(shell);
  it('names every command, every estimate flag, the choices and the preset names', () => {
    for (const command of ['estimate', 'solve', 'compare', 'sweep', 'presets', 'backtest', 'show', 'validate']) expect(text).toContain(command);
    for (const option of optionsFor('estimate')) expect(text).toMatch(new RegExp(shell === 'fish' ? ` -l ${option.flag} ` : `'--${option.flag}\\[`));
    for (const choice of [...PRECISIONS, ...CHART_KINDS, 'llama-405b', 'h100x16k', 'h100']) expect(text).toContain(choice);
  });
  it('quotes every help text (balanced single quotes on every line)', () => {
    for (const line of text.split('\n')) expect((line.replace(/'\\''/g, '').match(/'/g) ?? []).length % 2, line).toBe(0);
  });
});

describe('completion errors', () => {
  it('an unknown shell is a one-line error naming the shells', () => {
    const run = runCli(['completion', 'ksh']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('llmcost: completion: expected a shell, one of bash, zsh, fish, got "ksh"\n');
  });
});
