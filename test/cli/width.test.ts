import { describe, expect, it } from 'vitest';
import { visibleWidth } from '../../src/format/wrap.js';
import { runCli } from '../helpers/cli.js';
import { EVERY_COMMAND } from '../helpers/commands.js';

/**
 * Issue 14: nothing wider than the terminal. Every command (and its help) runs with COLUMNS=80 (and
 * narrower), stdout not a terminal, and every line of stdout and stderr is measured.
 */
const COMMANDS = EVERY_COMMAND;

function widest(text: string): { width: number; line: string } {
  let best = { width: 0, line: '' };
  for (const line of text.split('\n')) {
    // Terminal columns: wide (CJK) characters take two.
    const width = visibleWidth(line);
    if (width > best.width) best = { width, line };
  }
  return best;
}

describe('every line fits the terminal', () => {
  it.each(COMMANDS.map((args) => [args.join(' '), args] as const))('llmcost %s within 80 columns', (_, args) => {
    const run = runCli(args, { COLUMNS: '80' });
    expect(run.stderr.split('\n').filter((l) => l.startsWith('llmcost: ') && !l.startsWith('llmcost: warning') && !l.startsWith('llmcost: note'))).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(100);
    expect(widest(run.stdout).width, widest(run.stdout).line).toBeLessThanOrEqual(80);
    expect(widest(run.stderr).width, widest(run.stderr).line).toBeLessThanOrEqual(80);
  });

  it.each([40, 60, 100])('estimate --full, presets show and plan within COLUMNS=%i', (columns) => {
    const plans = [
      ['plan', '--model', 'llama-405b', '--cluster', 'h100x16k'],
      // Context and expert parallelism make the widest plan cells; a warning goes to stderr.
      ['plan', '--model', 'deepseek-v3', '--cluster', 'h100x16k', '--top', '3'],
      ['plan', '--model', 'llama-405b', '--cluster', 'h100x16k', '--global-batch', '8', '--top', '3'],
    ];
    for (const args of [['estimate', '--model', 'llama-405b', '--full'], ['estimate', '--model', 'llama-405b'], ['presets', 'show', 'h100'], ...plans]) {
      const run = runCli(args, { COLUMNS: String(columns) });
      expect(run.status, run.stderr).toBe(0);
      expect(widest(run.stdout).width, widest(run.stdout).line).toBeLessThanOrEqual(columns);
      expect(widest(run.stderr).width, widest(run.stderr).line).toBeLessThanOrEqual(columns);
    }
  });

  it('plan keeps its table down to 40 columns (the step shares, memory and MFU give way first), every plan a row', () => {
    for (const columns of [40, 60, 80]) {
      const run = runCli(['plan', '--model', 'llama-405b', '--cluster', 'h100x16k', '--top', '5'], { COLUMNS: String(columns) });
      const rows = run.stdout.split('\n').filter((l) => /^\s*\d+ TP\d+ PP/.test(l));
      expect(rows).toHaveLength(5);
      expect(run.stdout).toMatch(/tok\/s\/GPU/);
      if (columns < 80) expect(run.stdout.replace(/\n/g, ' ')).toMatch(new RegExp(`not shown, to fit ${columns} columns: `));
    }
  });

  it('a wider terminal gets wider tables (the width is not fixed at 80)', () => {
    const wide = runCli(['presets', 'show', 'h100'], { COLUMNS: '200' });
    expect(widest(wide.stdout).width).toBeGreaterThan(80);
    expect(widest(wide.stdout).width).toBeLessThanOrEqual(200);
  });
});
