import { describe, expect, it } from 'vitest';
import { expectedValue, OPTIONS, parseNumberOption, type NumberOption } from '../../src/cli/options.js';
import { loadPresets } from '../../src/presets/load.js';
import { resolveScenario } from '../../src/presets/resolve.js';
import { runCli } from '../helpers/cli.js';

const numeric = OPTIONS.filter((o): o is NumberOption => o.kind === 'number');

describe('the option registry: every numeric flag declares its unit, an example and the input it sets', () => {
  it('each example parses with the flag\'s own parser, and each error shows the flag\'s unit and example', () => {
    for (const option of numeric) {
      expect(option.unit, option.flag).not.toBe('');
      expect(() => parseNumberOption(option, option.example), option.flag).not.toThrow();
      expect(() => parseNumberOption(option, 'x'), option.flag).toThrow(`--${option.flag}: expected ${expectedValue(option)}, got "x"`);
    }
    // Issue 14: --days said "e.g. 405B, 15T"; its example now fits it.
    const run = runCli(['solve', '--model', 'llama-405b', '--days', 'soon']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('llmcost: --days: expected a positive number (days, e.g. 100), got "soon"\n');
  });

  it('a flag declared to set one input sets exactly that input, in base units, from the flag', () => {
    const presets = loadPresets();
    const base = { model: 'llama-405b', cluster: 'h100x16k' };
    const direct = numeric.filter((o) => o.input !== 'resolve');
    expect(direct.length).toBeGreaterThan(20);
    for (const option of direct) {
      const command = option.commands.includes('estimate') ? 'estimate' : 'solve';
      const value = parseNumberOption(option, option.example);
      const flags = { ...base, ...(command === 'solve' && option.flag !== 'days' ? { days: 100 } : {}), [option.flag]: value };
      const scenario = resolveScenario(command, flags, presets) as unknown as Record<string, { value: unknown; origin: string } | undefined>;
      expect(scenario[option.input], option.flag).toMatchObject({ value, origin: 'flag' });
    }
  });
});
