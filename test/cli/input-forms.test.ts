import { describe, expect, it } from 'vitest';
import { INPUT_FIELDS } from '../../src/format/fields.js';
import { formatHuman } from '../../src/format/human.js';
import { OPTIONS, parseNumberOption, type NumberOption } from '../../src/cli/options.js';
import { runCli, runJson } from '../helpers/cli.js';

/** Issue 14: input as the output prints it; one parser that accepts what the formatter prints. */
describe('the parser accepts what the tables print', () => {
  const doc = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k']);
  const numeric = OPTIONS.filter((o): o is NumberOption => o.kind === 'number' && o.input !== 'resolve');
  const cases = numeric.flatMap((option) => {
    const input = doc.inputs[option.input];
    const field = INPUT_FIELDS[option.input];
    return input && field && typeof input.value === 'number' ? [{ flag: option.flag, option, value: input.value, printed: formatHuman(input.value, field.unit) }] : [];
  });

  it('covers the numeric flags of the scenario', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases)('--$flag "$printed" reads back as the value printed', ({ option, value, printed }) => {
    // The table rounds to 3-4 significant digits; the value read back is the printed one.
    expect(parseNumberOption(option, printed) / value).toBeCloseTo(1, 2);
  });
});

describe('input forms on the command line', () => {
  it.each([
    [['--gpus', '16,384'], 'gpus', 16384],
    [['--mfu', '40%'], 'mfu', 0.4],
    [['--mfu', '38.5 %'], 'mfu', 0.385],
    [['--gpu-price', '$30k'], 'gpuPriceUsd', 30000],
    [['--electricity-price', '$0.083/kWh'], 'electricityUsdPerKwh', 0.083],
    [['--tdp', '700 W'], 'tdpW', 700],
    [['--tdp', '1.2 kW'], 'tdpW', 1200],
    [['--household-kw', '800 W'], 'householdKw', 0.8],
    [['--restart-minutes', '10 min'], 'restartSeconds', 600],
  ])('%j sets %s to %d', (flags, input, value) => {
    const d = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', ...flags]);
    expect(d.inputs[input]?.value).toBeCloseTo(value, 9);
    expect(d.inputs[input]?.origin).toBe('flag');
  });

  it('preset names, precisions and choices are case-insensitive', () => {
    const upper = runJson(['estimate', '--model', 'Llama-405B', '--cluster', 'H100X16K', '--gpu', 'H100', '--precision', 'BF16', '--optimizer', 'ADAM-MIXED']);
    const lower = runJson(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--gpu', 'h100', '--precision', 'bf16', '--optimizer', 'adam-mixed']);
    expect(upper.results).toEqual(lower.results);
    expect(upper.inputs['model']?.value).toBe('llama-405b');
    expect(runCli(['estimate', '--model', 'llama-8b', '--format', 'JSON']).stdout).toMatch(/^\{/);
    expect(runCli(['presets', 'show', 'H100']).status).toBe(0);
  });

  it.each([
    [['--gpus', '40%'], /^llmcost: --gpus: expected a positive whole number \(GPUs, e\.g\. 16k\), got "40%" \(a percentage is for fractions only\)\n$/],
    [['--gpus', '$16k'], /^llmcost: --gpus: .*"\$" is for prices only/],
    [['--gpus', '1,00'], /^llmcost: --gpus: .*got "1,00"\n$/],
    [['--precision', 'fp5'], /^llmcost: --precision: expected one of .*bf16.*got "fp5"\n$/],
    // An energy is not a power (kW, MW and GW are: the tables print powers in them by their size).
    [['--tdp', '700 kWh'], /^llmcost: --tdp: .*got "700 kWh" \(the unit is W\)\n$/],
  ])('%j is a one-line error naming the flag', (flags, message) => {
    const run = runCli(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', ...flags]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('the help explains that 16k is 16,000 (SI), not 16,384', () => {
    const help = runCli(['estimate', '--help']).stdout;
    expect(help).toMatch(/16k = 16,000, not 16,384/);
    expect(help).toMatch(/40%/);
  });
});
