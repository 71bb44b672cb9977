import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ByteChunks, defaultFields, forEachPoint, makeEvaluator, parseVary, readSweepRequest } from '../../src/cli/sweep/index.js';
import { optionsFor, type NumberOption } from '../../src/cli/options.js';
import { buildEstimateReport } from '../../src/cli/estimate.js';
import { parseCsv } from '../../src/format/csv.js';
import { definedResults as reportResults } from '../../src/format/rows.js';
import type { Report } from '../../src/format/report.js';

/** A report's results as a sweep point has them: sweeps do not run the throughput model's plan search per point. */
const definedResults = (report: Report): Record<string, unknown> => {
  const { throughput: _, ...results } = reportResults(report);
  return results;
};
import { loadPresets } from '../../src/presets/load.js';
import { expectUsageError, runCli } from '../helpers/cli.js';

const BASE = ['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k'];
const numeric = optionsFor('estimate').filter((o): o is NumberOption => o.kind === 'number');

describe('--vary specs', () => {
  it('ranges with a step, geometric ranges and lists, with SI suffixes and the flag\'s unit', () => {
    expect(parseVary('mfu=0.3:0.5:0.05', numeric).shown).toEqual([0.3, 0.35, 0.4, 0.45, 0.5]);
    expect(parseVary('gpus=8k:64k:*2', numeric).values).toEqual([8000, 16000, 32000, 64000]);
    expect(parseVary('gpus=8k,16k,32k,100k', numeric).values).toEqual([8000, 16000, 32000, 100000]);
    const peak = parseVary('peak-tflops=989,1979', numeric);
    expect(peak.shown).toEqual([989, 1979]);
    expect(peak.values).toEqual([989e12, 1979e12]);
    expect(parseVary('mfu=0.4', numeric).values).toEqual([0.4]);
  });

  it('bad specs are one-line usage errors naming --vary', () => {
    for (const [spec, pattern] of [
      ['mfu', /expected NAME=START:STOP:STEP/],
      ['=1,2', /expected NAME=/],
      ['bogus=1,2', /numeric flag of this sweep/],
      ['model=1,2', /numeric flag/],
      ['mfu=', /expected NAME=/],
      ['mfu=0.3:0.5', /expected NAME=START:STOP:STEP/],
      ['mfu=0.5:0.3:0.1', /below start/],
      ['mfu=0.3:0.5:0', /step above 0/],
      ['mfu=0.3:0.5:-1', /sign is not allowed/],
      ['mfu=0.3:1.2:0.1', /--mfu expected a fraction in \(0, 1\]/],
      ['gpus=1.5,2', /whole number/],
      ['gpus=8k:64k:*1', /factor above 1/],
      ['gpus=1:1e12:1', /more than 1,000,000/],
      ['mfu=0.3,x', /value 2: got "x"/],
      ['days=1,2', /only with sweep --solve/],
    ] as const) {
      expect(() => parseVary(spec, numeric), spec).toThrow(/^--vary /);
      expect(() => parseVary(spec, numeric), spec).toThrow(pattern);
    }
  });

  it('the CLI exits 2 with one line naming --vary for a bad spec, and checks the flags around it', () => {
    expectUsageError([...BASE, '--vary', 'mfu=0.5:0.3:0.1'], /^llmcost: --vary mfu=0\.5:0\.3:0\.1: stop 0\.3 is below start 0\.5$/m);
    expectUsageError(BASE, /--vary: expected NAME=SPEC once or twice/);
    expectUsageError([...BASE, '--vary', 'mfu=0.3,0.4', '--mfu', '0.3'], /--vary mfu: also given as --mfu/);
    expectUsageError([...BASE, '--vary', 'mfu=0.3,0.4', '--vary', 'mfu=0.5'], /varied twice/);
    expectUsageError([...BASE, '--vary', 'mfu=0.3', '--vary', 'gpus=1k', '--vary', 'tdp=1'], /at most two/);
    expectUsageError([...BASE, '--vary', 'mfu=0.3,0.4', '--days', '30'], /--days: only with sweep --solve/);
    expectUsageError([...BASE, '--vary', 'mfu=0.3,0.4', '--y', 'nope'], /--y: expected a numeric result \(.*wallClockDays/);
  });
});

describe('sweep internals', () => {
  it('forEachPoint visits the grid with the first axis outer', () => {
    const seen: string[] = [];
    forEachPoint([parseVary('mfu=0.3,0.4', numeric), parseVary('gpus=1k,2k,3k', numeric)], (values, shown) => seen.push(`${values.join('/')}|${shown.join('/')}`));
    expect(seen).toEqual(['0.3/1000|0.3/1000', '0.3/2000|0.3/2000', '0.3/3000|0.3/3000', '0.4/1000|0.4/1000', '0.4/2000|0.4/2000', '0.4/3000|0.4/3000']);
  });

  it('ByteChunks keeps text and bytes in order as UTF-8, across its 4 MB pieces', () => {
    const out = new ByteChunks();
    const line = `${'x'.repeat(1000)}§\n`;
    for (let i = 0; i < 5000; i++) {
      out.add(line);
      out.addBytes(Buffer.from(`${i}\n`));
    }
    const chunks = out.done();
    expect(chunks.length).toBeGreaterThan(1);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split('\n')).toHaveLength(10001);
    expect(text.endsWith(`${line}4999\n`)).toBe(true);
  });

  it('ByteChunks joins short texts before encoding them: the bytes are the same, in order, with a sink too', () => {
    const pieces: string[] = [];
    for (let i = 0; i < 40_000; i++) pieces.push(i % 7 === 0 ? `é${i}\n` : `${i},`);
    const written: Buffer[] = [];
    const sink = new ByteChunks((bytes) => written.push(Buffer.from(bytes)));
    const kept = new ByteChunks();
    pieces.forEach((p, i) => {
      for (const out of [sink, kept]) {
        if (i % 1000 === 999) out.addBytes(Buffer.from('|'));
        else out.add(p);
      }
    });
    sink.done();
    const expected = pieces.map((p, i) => (i % 1000 === 999 ? '|' : p)).join('');
    expect(Buffer.concat(written).toString('utf8')).toBe(expected);
    expect(Buffer.concat(kept.done()).toString('utf8')).toBe(expected);
  });
});

describe('sweep', () => {
  it('1-D table: one row per value, wall-clock falls as MFU rises', () => {
    const run = runCli([...BASE, '--vary', 'mfu=0.3:0.5:0.1']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const rows = run.stdout.split('\n').filter((l) => /^│ 0\.[345] /.test(l));
    expect(rows).toHaveLength(3);
    const days = rows.map((r) => Number(/│ ([\d.]+) days/.exec(r)?.[1]));
    expect(days[0]).toBeGreaterThan(days[1] as number);
    expect(days[1]).toBeGreaterThan(days[2] as number);
    expect(run.stdout).not.toContain('Wall-clock vs --mfu'); // no chart when stdout is not a TTY
  });

  it('--format csv: header of field names, one row per point, parses back and matches estimate --json', () => {
    const run = runCli([...BASE, '--vary', 'gpus=8k,16k,32k', '--format', 'csv']);
    expect(run.status, run.stderr).toBe(0);
    const [header = [], ...rows] = parseCsv(run.stdout);
    // By default a row has the table's columns: the charted result, then the headline results.
    expect(header).toEqual(['gpus', 'results.wallClockDays', 'results.gpuHours', 'results.capexUsd', 'results.energyCostUsd', 'results.powerMw']);
    expect(rows.map((r) => r[0])).toEqual(['8000', '16000', '32000']);
    const single = JSON.parse(runCli(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--gpus', '16k', '--json']).stdout);
    for (const key of header.slice(1)) expect(Number(rows[1]?.[header.indexOf(key)]), key).toBe(single.results[key.replace('results.', '')]);
    // --fields all: every result, nested ones flattened to dotted names.
    const all = runCli([...BASE, '--vary', 'gpus=8k,16k,32k', '--format', 'csv', '--fields', 'all']);
    const [allHeader = [], ...allRows] = parseCsv(all.stdout);
    expect(allHeader).toContain('results.reliability.goodput');
    expect(Number(allRows[1]?.[allHeader.indexOf('results.reliability.goodput')])).toBe(single.results.reliability.goodput);
  });

  it('2-D grid to NDJSON: one line per point, first --vary outer, each line the estimate results', () => {
    const run = runCli([...BASE, '--vary', 'mfu=0.3,0.4', '--vary', 'gpus=8k:32k:*2', '--format', 'ndjson', '--fields', 'all']);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines.map((l) => [l.mfu, l.gpus])).toEqual([[0.3, 8000], [0.3, 16000], [0.3, 32000], [0.4, 8000], [0.4, 16000], [0.4, 32000]]);
    const single = JSON.parse(runCli(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--mfu', '0.4', '--gpus', '16k', '--json']).stdout);
    // Sweeps do not run the throughput model's plan search per point (unless a throughput field is
    // named), so results.memory has no plan to follow there: the rest is the estimate's.
    const { throughput: _, memory: planMemory, ...expected } = single.results;
    const { memory, ...got } = lines[4].results;
    expect(got).toEqual(expected);
    expect(memory.stateBytes).toBe(planMemory.stateBytes);
    expect(memory.minGpusForState).toBe(planMemory.minGpusForState);
    // The default rows: the same numbers, only the table's columns.
    const short = runCli([...BASE, '--vary', 'mfu=0.3,0.4', '--vary', 'gpus=8k:32k:*2', '--format', 'ndjson']);
    const row = JSON.parse(short.stdout.trimEnd().split('\n')[4] as string);
    expect(Object.keys(row.results)).toEqual(['wallClockDays', 'gpuHours', 'capexUsd', 'energyCostUsd', 'powerMw']);
    for (const [key, value] of Object.entries(row.results)) expect(value, key).toBe(single.results[key]);
  });

  it('rows default to the table\'s columns; a solve row also says what was solved for', () => {
    const request = readSweepRequest({ model: 'llama-405b', cluster: 'h100x16k', vary: ['gpus=8k,16k'], y: 'reliability.goodput' });
    const first = buildEstimateReport({ ...request.flags, gpus: 8000 }, loadPresets());
    expect(defaultFields(request, first)).toEqual(['reliability.goodput', 'wallClockDays', 'gpuHours', 'capexUsd', 'energyCostUsd', 'powerMw']);
    const solve = runCli([...BASE, '--solve', '--vary', 'days=30,60', '--format', 'ndjson']);
    expect(Object.keys(JSON.parse(solve.stdout.split('\n')[0] as string).results)).toEqual(['solvedFor', 'mfu', 'params', 'tokens', 'gpus', 'wallClockDays', 'feasible']);
    expectUsageError([...BASE, '--vary', 'mfu=0.3', '--fields', 'al'], /--fields: no result "al"; expected names such as .*, or all/);
  });

  it('--fields keeps only the named results in the rows, nested names included', () => {
    const run = runCli([...BASE, '--vary', 'mfu=0.3,0.4', '--fields', 'wallClockDays,reliability.goodput', '--format', 'csv']);
    expect(run.status, run.stderr).toBe(0);
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header).toEqual(['mfu', 'results.wallClockDays', 'results.reliability.goodput']);
    expect(rows).toHaveLength(2);
    expectUsageError([...BASE, '--vary', 'mfu=0.3', '--fields', 'wallClockDays,nope'], /--fields: no result "nope"/);
  });

  it('2-D table is a grid of the --y field', () => {
    const run = runCli([...BASE, '--vary', 'gpus=8k,16k', '--vary', 'mfu=0.3,0.4,0.5', '--y', 'gpuHours'], { COLUMNS: '250' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/GPU-hours: --gpus \\ --mfu │ 0\.3\s+│ 0\.4\s+│ 0\.5/);
    expect(run.stdout.split('\n').filter((l) => /^│ (8k|16k) /.test(l))).toHaveLength(2);
  });

  it('--format json: the axes, the fixed inputs and every point', () => {
    const run = runCli([...BASE, '--vary', 'mfu=0.3,0.4', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'sweep', sweeps: 'estimate', vary: [{ flag: 'mfu', spec: '0.3,0.4', values: [0.3, 0.4] }] });
    expect(doc.points).toHaveLength(2);
    expect(doc.points[1].mfu).toBe(0.4);
    const single = JSON.parse(runCli(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--mfu', '0.4', '--json']).stdout);
    expect(doc.points[1].results.wallClockDays).toBe(single.results.wallClockDays);
    expect(doc.inputs.model.value).toBe('llama-405b');
  });

  it('sweep --solve --vary days: the MFU each deadline needs', () => {
    const run = runCli([...BASE, '--solve', '--vary', 'days=30:180:30', '--format', 'ndjson']);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.days)).toEqual([30, 60, 90, 120, 150, 180]);
    expect(lines.every((l) => l.results.solvedFor === 'mfu')).toBe(true);
    const mfus = lines.map((l) => l.results.mfu as number);
    expect(mfus[0]).toBeGreaterThan(mfus[5] as number);
    const table = runCli([...BASE, '--solve', '--vary', 'days=30,60']);
    expect(table.stdout).toMatch(/│ --days │ Steady-state/);
  });

  it('--chart svg --out FILE: an SVG with axes, labels with units and one path per value of the second --vary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-svg-'));
    const out = join(dir, 'chart.svg');
    const run = runCli([...BASE, '--vary', 'mfu=0.3:0.5:0.05', '--vary', 'gpus=8k,16k,32k', '--chart', 'svg', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const svg = readFileSync(out, 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('class="axis x-axis"');
    expect(svg).toContain('class="axis y-axis"');
    expect(svg).toContain('>--mfu (fraction of peak)</text>');
    expect(svg).toContain('>Wall-clock (days)</text>');
    expect(svg).toMatch(/<text class="title"[^>]*>Wall-clock vs --mfu: llama-405b on h100x16k/);
    expect(svg.match(/<path /g)).toHaveLength(3);
    for (const g of ['8k', '16k', '32k']) expect(svg).toContain(`data-series="--gpus = ${g}"`);
    expect(readdirSync(dir)).toEqual(['chart.svg']); // no temporary file left behind
  });

  it('draws the terminal chart on a TTY (in-process), and not with --chart none', async () => {
    const run = async (extra: string[]): Promise<string> => {
      let stdout = '';
      const code = await main({ argv: [...BASE, '--vary', 'mfu=0.3:0.5:0.1', ...extra], env: { NO_COLOR: '1' }, stdoutIsTTY: true, writeOut: (t) => (stdout += t), writeErr: (t) => (stdout += `ERR ${t}`), version: '0' });
      expect(code).toBe(0);
      return stdout;
    };
    const chart = await run([]);
    expect(chart).toContain('Wall-clock vs --mfu');
    expect(chart).toMatch(/^\s+└─+$/m);
    expect(chart).toContain('--mfu (fraction of peak)');
    expect(chart).not.toMatch(/\u001b\[/);
    expect(await run(['--chart', 'none'])).not.toContain('Wall-clock vs --mfu');
  });

  it('the fast path (core only, presets resolved once) gives exactly the full report\'s results', () => {
    const presets = loadPresets();
    const request = readSweepRequest({ model: 'llama-405b', cluster: 'h100x16k', vary: ['gpus=1k:100k:33k', 'mfu=0.2,0.45'] });
    const evaluator = makeEvaluator('estimate', request.flags, presets, request.axes);
    expect(evaluator.fast).toBe(true);
    for (const gpus of [1000, 67000]) {
      // Without a throughput field a row has no plan for results.memory to follow: the rest is the report's.
      const { memory: _, ...expected } = definedResults(buildEstimateReport({ ...request.flags, gpus, mfu: 0.45 }, presets));
      const { memory: __, ...got } = evaluator.evaluate([gpus, 0.45]);
      expect(got).toEqual(expected);
      const line = JSON.parse(evaluator.line([gpus, 0.45], [gpus, 0.45])) as { results: Record<string, unknown> };
      const { memory: ___, ...lineResults } = line.results;
      expect({ ...line, results: lineResults }).toEqual({ gpus, mfu: 0.45, results: expected });
    }
    // A flag that changes derived inputs (params drives the FLOPs and the memory) falls back to full reports.
    const params = readSweepRequest({ gpus: '16k', tokens: '15T', vary: ['params=70B,405B'] });
    expect(makeEvaluator('estimate', params.flags, presets, params.axes).fast).toBe(false);
  });

  it('a failure writes nothing: no stdout, and --out leaves no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-fail-'));
    const out = join(dir, 'rows.csv');
    const run = runCli([...BASE, '--vary', 'mfu=0.3,0.4', '--y', 'nope', '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });
});
