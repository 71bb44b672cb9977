import { describe, expect, it } from 'vitest';
import { ANSI, visibleWidth } from '../../src/format/wrap.js';
import { runCliAsync, mapPool } from '../helpers/pool.js';
import { EVERY_COMMAND } from '../helpers/commands.js';

/**
 * Issue 14, colour on (the default on a terminal): every command run with FORCE_COLOR=1 prints, once
 * its colour codes are stripped, exactly what it prints with NO_COLOR, within COLUMNS. This caught
 * `wrapText(...).map(chalk.bold)`, which printed each line followed by its index and every line again.
 */
const ESC = /\u001b\[/;
const strip = (text: string): string => text.replace(ANSI, '');

describe('colour on: the same text as colour off, within the width', async () => {
  const runs = await mapPool(EVERY_COMMAND, 2, async (args) => ({
    args,
    coloured: await runCliAsync(args, { COLUMNS: '80', FORCE_COLOR: '1' }),
    plain: await runCliAsync(args, { COLUMNS: '80' }),
  }));

  it.each(runs.map((r) => [r.args.join(' '), r] as const))('llmcost %s', (_, { args, coloured, plain }) => {
    expect(coloured.status, coloured.stderr).toBe(0);
    if (!args.includes('--help')) expect(coloured.stdout).toMatch(ESC);
    for (const line of coloured.stdout.split('\n')) expect(visibleWidth(line), line).toBeLessThanOrEqual(80);
    expect(strip(coloured.stdout)).toBe(plain.stdout);
    expect(strip(coloured.stderr)).toBe(plain.stderr);
    // The title (first line) is printed once, not once per wrapped line or repeated after an index.
    const title = strip(coloured.stdout).split('\n')[0] ?? '';
    if (title.length > 20) expect(strip(coloured.stdout).split(title)).toHaveLength(2);
  });

  it('--color colours a table under NO_COLOR=1 and strips to the same text', async () => {
    const args = ['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k'];
    const coloured = await runCliAsync([...args, '--color'], { COLUMNS: '80' });
    expect(coloured.stdout).toMatch(ESC);
    expect(strip(coloured.stdout)).toBe((await runCliAsync(args, { COLUMNS: '80' })).stdout);
  });
});
