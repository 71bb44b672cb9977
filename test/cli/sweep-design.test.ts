import { describe, expect, it } from 'vitest';
import { buildEstimateReport } from '../../src/cli/estimate.js';
import { OPTIONS, parseNumberOption, type NumberOption } from '../../src/cli/options.js';
import { buildSolveReport } from '../../src/cli/solve.js';
import { makeEvaluator, pickFields, readSweepRequest } from '../../src/cli/sweep/index.js';
import { changingY } from '../../src/cli/sweep/fields.js';
import { SeriesReducer } from '../../src/format/chart-spec.js';
import { definedResults as reportResults } from '../../src/format/rows.js';
import type { Report } from '../../src/format/report.js';

/** A report's results as a sweep's whole rows (--fields all) have them: the throughput only when named (test/cli/sweep-checks.test.ts). */
const definedResults = (report: Report): Record<string, unknown> => {
  const { throughput: _, ...results } = reportResults(report);
  return planFree(results);
};
/**
 * Results without what of results.memory follows the evaluated plan (fits, bytes and activations per
 * GPU): a sweep row computes no throughput unless one is named, so it has no plan to follow
 * (README, One memory view); the rest of memory (the state) is compared.
 */
function planFree(results: Record<string, unknown>): Record<string, unknown> {
  const memory = results['memory'] as Record<string, unknown> | undefined;
  if (!memory) return results;
  const { fits: _f, bytesPerGpu: _b, activationBytesPerGpu: _n, activationBytesPerGpuSelectiveRecompute: _s, activationBytesPerGpuFullRecompute: _a, ...state } = memory;
  return { ...results, memory: state };
}
import { loadPresets } from '../../src/presets/load.js';
import { expectUsageError, runCli } from '../helpers/cli.js';

const presets = loadPresets();
const BASE = ['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k'];
const numeric = OPTIONS.filter((o): o is NumberOption => o.kind === 'number');

describe('a sweep sets the inputs the option registry declares (no probing)', () => {
  // Each flag declared to set one input gives, set directly at a point, exactly the report that
  // resolving the flags again gives: a wrong declaration (a flag that changes more than its input)
  // fails here. A scenario where every input matters: a model with an architecture, failures on.
  it.each(numeric.filter((o) => o.input !== 'resolve').map((o) => [o.flag, o] as const))('--%s', (_, option) => {
    const solve = !option.commands.includes('estimate');
    const raw = { model: 'llama-405b', cluster: 'h100x16k', vary: [`${option.flag}=${option.example},${Number(option.example.replace(/k$/, '000')) * (option.constraint === 'fraction' ? 0.5 : 3)}`], ...(solve ? { solve: true, days: option.flag === 'days' ? undefined : '100' } : {}) };
    const request = readSweepRequest(raw);
    const evaluator = makeEvaluator(request.command, request.flags, presets, request.axes);
    expect(evaluator.fast).toBe(true);
    const build = solve ? buildSolveReport : buildEstimateReport;
    for (const value of request.axes[0]?.values ?? []) {
      expect(planFree(evaluator.evaluate([value])), `${option.flag}=${value}`).toEqual(definedResults(build({ ...request.flags, [option.flag]: value }, presets)));
    }
  });

  it('a flag declared "resolve" re-resolves each point, with the same results as its own report', () => {
    for (const [flag, values] of [['peak-tflops', '500,989'], ['params', '70B,405B'], ['seq-len', '4096,8192']] as const) {
      const option = numeric.find((o) => o.flag === flag) as NumberOption;
      expect(option.input).toBe('resolve');
      // No cluster: the default MFU comes from published runs, scaled to the peak.
      const request = readSweepRequest({ model: 'llama-405b', gpu: 'h100', gpus: '16k', vary: [`${flag}=${values}`] });
      const evaluator = makeEvaluator('estimate', request.flags, presets, request.axes);
      expect(evaluator.fast).toBe(false);
      for (const value of values.split(',')) {
        const v = parseNumberOption(option, value);
        expect(planFree(evaluator.evaluate([v]))).toEqual(definedResults(buildEstimateReport({ ...request.flags, [flag]: v }, presets)));
      }
    }
  });

  it('the rows of named fields are the whole results cut to those fields, and their JSON is JSON.stringify\'s', () => {
    const request = readSweepRequest({ model: 'llama-405b', cluster: 'h100x16k', vary: ['gpus=8k,16k', 'mfu=0.3,0.5'] });
    const evaluator = makeEvaluator('estimate', request.flags, presets, request.axes);
    for (const fields of [['wallClockDays'], ['reliability.goodput', 'gpuHours'], ['memory.fits', 'thresholds', 'mfuRange', 'wallClockDaysRange.1'], ['params', 'flopsMethod', 'reliability']]) {
      const selector = evaluator.select(fields);
      for (const point of [[8000, 0.3], [16000, 0.5]]) {
        const expected = pickFields(evaluator.evaluate(point), fields);
        expect(selector.row(point), fields.join()).toEqual(expected);
        expect(selector.json(point)).toBe(JSON.stringify(expected));
      }
    }
  });

  it('a flag another flag overrides is an error, not a flat sweep', () => {
    expectUsageError([...BASE, '--vary', 'storage-gbps=100,200', '--checkpoint-seconds', '30'], /^llmcost: --vary storage-gbps: this scenario does not use --storage-gbps/);
  });
});

describe('--fields and --y name results', () => {
  it('only own properties of the result: prototype names are errors, with a short did-you-mean list', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'wallClockDays.toFixed', 'thresholds.length', 'hasOwnProperty']) {
      const run = runCli([...BASE, '--vary', 'mfu=0.3,0.4', '--fields', name, '--format', 'ndjson']);
      expect(run.status, name).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^llmcost: --fields: no result ".*"; expected names such as [\w.]+, [\w.]+, [\w.]+, or all\n$/);
    }
    expectUsageError([...BASE, '--vary', 'mfu=0.3,0.4', '--y', 'gpuhours'], /--y: .*got "gpuhours"; did you mean gpuHours, /);
    expectUsageError([...BASE, '--vary', 'mfu=0.3,0.4', '--y', '__proto__'], /--y: expected a numeric result/);
    expectUsageError([...BASE, '--vary', 'gpu=1,2'], /--vary gpu=1,2: .*did you mean gpus, /);
    // Items of a range are results too.
    const run = runCli([...BASE, '--vary', 'gpus=8k,16k', '--fields', 'wallClockDaysRange.0', '--format', 'csv']);
    expect(run.stdout.split('\n')[0]).toBe('gpus,results.wallClockDaysRange.0');
  });
});

describe('the default columns change across the sweep', () => {
  it('--vary grid-intensity moves only the CO2: it becomes the first column, with a warning on stderr; a given --y is kept', () => {
    const run = runCli([...BASE, '--vary', 'grid-intensity=0.1,0.2', '--format', 'csv']);
    expect(run.status).toBe(0);
    const [head, a, b] = run.stdout.trim().split('\n');
    expect(head).toBe('grid-intensity,results.co2Tonnes,results.wallClockDays,results.gpuHours,results.capexUsd,results.energyCostUsd,results.powerMw');
    // CO2 = facility energy x grid intensity: twice the intensity, twice the tonnes; the rest equal.
    const [rowA, rowB] = [a, b].map((line) => (line as string).split(',').map(Number)) as [number[], number[]];
    expect((rowB[1] as number) / (rowA[1] as number)).toBeCloseTo(2, 12);
    expect(rowB.slice(2)).toEqual(rowA.slice(2));
    expect(run.stderr).toMatch(/warning: --vary grid-intensity changes none of the default columns\s+\(wallClockDays, gpuHours, capexUsd, energyCostUsd, powerMw\); showing\s+co2Tonnes/);
    const asked = runCli([...BASE, '--vary', 'grid-intensity=0.1,0.2', '--y', 'wallClockDays', '--format', 'csv']);
    expect(asked.stdout.split('\n')[0]).toBe('grid-intensity,results.wallClockDays,results.gpuHours,results.capexUsd,results.energyCostUsd,results.powerMw');
    expect(asked.stderr).not.toMatch(/default columns/);
    // An axis that moves the headline keeps the default columns and says nothing of them.
    const gpus = runCli([...BASE, '--vary', 'gpus=8k,16k', '--format', 'csv']);
    expect(gpus.stdout.split('\n')[0]).toBe('gpus,results.wallClockDays,results.gpuHours,results.capexUsd,results.energyCostUsd,results.powerMw');
    expect(gpus.stderr).not.toMatch(/default columns/);
  });

  it('changingY: the first numeric result that differs, none when nothing does, nothing when the last point is unknown', () => {
    const request = readSweepRequest({ model: 'llama-405b', vary: ['grid-intensity=0.1,0.2'] });
    const first = { wallClockDays: 80, gpuHours: 3e7, capexUsd: 1e9, energyCostUsd: 3e6, powerMw: 22, co2Tonnes: 100 };
    expect(changingY(request, first, { ...first, co2Tonnes: 200 }).request.y).toBe('co2Tonnes');
    expect(changingY(request, first, { ...first }).note).toBe('--vary grid-intensity: no result changes across the sweep');
    expect(changingY(request, first, { ...first, gpuHours: 4e7, co2Tonnes: 200 }).request.y).toBeUndefined();
    expect(changingY(request, first, undefined)).toEqual({ request });
    // A result only one of the points has (the throughput of the first report) is not a change.
    expect(changingY(request, { ...first, extra: 1 }, { ...first }).note).toMatch(/no result changes/);
  });
});

describe('tables fit the terminal, charts are drawn at their resolution', () => {
  it('a table is no wider than the terminal: a 1-D table wraps its cells, then leaves columns out and names them; a wide grid is cut into blocks', () => {
    const table = (stdout: string): string[] => stdout.split('\n').filter((l) => /^[│┌├└]/.test(l));
    const one = runCli([...BASE, '--vary', 'mfu=0.3:0.5:0.1']);
    expect(Math.max(...table(one.stdout).map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(one.stdout).toMatch(/│ Facility\s+│\n│[^\n]*│ power\s+│/);
    const narrow = runCli([...BASE, '--vary', 'mfu=0.3:0.5:0.1'], { COLUMNS: '50' });
    expect(Math.max(...narrow.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(50);
    expect(narrow.stdout).toMatch(/\(not shown, to fit 50 columns: [^)]*Facility power; --format csv has\s+them\)/);
    const grid = runCli([...BASE, '--vary', 'mfu=0.3,0.4', '--vary', 'gpus=1k:40k:1k']);
    expect(grid.status, grid.stderr).toBe(0);
    const lines = grid.stdout.split('\n').filter((l) => /^[│┌├└]/.test(l));
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    for (const g of ['1k', '20k', '40k']) expect(lines.some((l) => l.includes(` ${g} `)), g).toBe(true);
    // Every cell of the grid is in days: the unit is said once, in the caption.
    expect(grid.stdout).toContain('│ Wall-clock (days): --mfu \\ --gpus │');
  });

  it('--quiet prints the table alone', () => {
    const run = runCli([...BASE, '--vary', 'mfu=0.3,0.4', '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.startsWith('┌')).toBe(true);
    expect(run.stdout.trimEnd().endsWith('┘')).toBe(true);
  });

  it('min-max decimation keeps each pixel column\'s extremes, and every point of a small series', () => {
    const few = new SeriesReducer(0, 10, 4);
    [[3, 1], [1, 2], [2, 5]].forEach(([x, y]) => few.add(x as number, y as number));
    expect(few.points()).toEqual([[1, 2], [2, 5], [3, 1]]);
    const many = new SeriesReducer(0, 100, 4);
    for (let x = 0; x <= 100; x++) many.add(x, x === 30 ? 1000 : x === 60 ? -5 : x);
    const kept = many.points();
    expect(kept.length).toBeLessThanOrEqual(8);
    expect(kept).toContainEqual([30, 1000]);
    expect(kept).toContainEqual([60, -5]);
    expect(kept).toContainEqual([0, 0]);
    expect(kept.map((p) => p[0])).toEqual([...kept.map((p) => p[0])].sort((a, b) => a - b));
  });

  it('an SVG of 200,000 points is drawn from at most two points per pixel column', () => {
    const run = runCli([...BASE, '--vary', 'gpus=1:200k:1', '--chart', 'svg']);
    expect(run.status, run.stderr).toBe(0);
    const path = /<path class="series"[^>]* d="([^"]+)"/.exec(run.stdout)?.[1] ?? '';
    const points = path.split(' ').length;
    expect(points).toBeGreaterThan(100);
    expect(points).toBeLessThanOrEqual(2 * 640);
  });
});

describe('a point that fails is an error naming it, and nothing is written', () => {
  it.each(['ndjson', 'csv', 'json', 'table', 'markdown'])('--format %s', (format) => {
    const run = runCli([...BASE, '--vary', 'gpus=1:2000:1,1e15'.replace(':2000:1,', ',2,'), '--format', format]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^llmcost: --gpus 1000000000000000: .* would not be a finite number/);
  });
});
