import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/format/csv.js';
import { runCli } from '../helpers/cli.js';

/** Issue 14, end to end: where warnings go, the views, colour, the version, the scale assumed. */
const IMPRACTICAL = ['estimate', '--model', 'llama-405b', '--cluster', 'colossus', '--restart-minutes', '60'];
const NO_PRICE = ['estimate', '--model', 'llama-405b', '--gpu', 'tpu-v4', '--gpus', '6144', '--precision', 'bf16'];

describe('warnings go to stderr in every format, and into the JSON document', () => {
  it.each(['table', 'json', 'ndjson', 'csv', 'markdown'])('--format %s', (format) => {
    const run = runCli([...IMPRACTICAL, '--format', format]);
    expect(run.status).toBe(0);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('llmcost: warning: '));
    expect(warnings.length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/^llmcost: warning: impractical: only \d+ %/m);
    // stderr holds warnings only (continuation lines indented), never the result.
    for (const line of run.stderr.split('\n').filter((l) => l !== '')) expect(line).toMatch(/^(llmcost: warning: | {4}\S)/);
    if (format === 'table' || format === 'csv' || format === 'ndjson') expect(run.stdout).not.toMatch(/impractical/);
    if (format === 'json') {
      const doc = JSON.parse(run.stdout);
      expect(doc.warnings.some((w: string) => w.startsWith('impractical:'))).toBe(true);
      expect(doc.notes.length).toBeGreaterThan(0);
    }
    if (format === 'csv') expect(parseCsv(run.stdout).length).toBe(2);
  });

  it('a sweep whose rows leave results out says so on stderr (not with --quiet or --fields)', () => {
    const base = ['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--vary', 'gpus=8k,16k', '--format', 'csv'];
    expect(runCli(base).stderr).toMatch(/^llmcost: note: rows hold the table's columns \(wallClockDays, gpuHours/);
    expect(runCli([...base, '--quiet']).stderr).toBe('');
    // --fields all leaves the throughput out (a plan search per point): said so; all,throughput leaves nothing out.
    expect(runCli([...base, '--fields', 'all']).stderr).toMatch(/^llmcost: note: --fields all: every result but throughput [^\n]*\n(?: {4}[^\n]*\n)*$/);
    expect(runCli([...base, '--fields', 'all', '--quiet']).stderr).toBe('');
    expect(runCli([...base, '--fields', 'all,throughput']).stderr).toBe('');
  });

  it('a missing price is a warning on stderr, and the CSV row simply lacks the column', () => {
    const run = runCli([...NO_PRICE, '--format', 'csv']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^llmcost: warning: no unit price for tpu-v4: capex not computed/m);
    expect(parseCsv(run.stdout)[0]).not.toContain('results.capexUsd');
  });

  it('compare and sweep name the scenario or point a warning is about', () => {
    const compare = runCli(['compare', '--model', 'llama-405b', '--cluster', 'colossus', '--cluster', 'h100x16k', '--restart-minutes', '60', '--format', 'csv']);
    expect(compare.status).toBe(0);
    expect(compare.stderr).toMatch(/^llmcost: warning: colossus: impractical/m);
    const sweep = runCli(['sweep', '--model', 'llama-405b', '--cluster', 'colossus', '--restart-minutes', '60', '--vary', 'mfu=0.3,0.4', '--format', 'ndjson']);
    expect(sweep.status).toBe(0);
    expect(sweep.stderr).toMatch(/^llmcost: warning: first point: impractical/m);
  });
});

describe('the default view, --full and --quiet', () => {
  const BASE = ['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k'];
  it('the default view is the headline and the assumptions behind it; --full has every group', () => {
    const short = runCli(BASE).stdout;
    const full = runCli([...BASE, '--full']).stdout;
    const lines = (text: string): number => text.split('\n').length - 1;
    expect(short).toMatch(/│ Wall-clock \(80 % range\)\s+│ \d+\.\d days \(\d+\.\d to \d+(\.\d)?\)/);
    expect(short).toMatch(/│ GPU-hours \(80 % range\)\s+│ [\d.]+M GPU-hours \([\d.]+M to [\d.]+M\)/);
    expect(short).toMatch(/│ Run MFU \(MFU x goodput x util\.\)\s+│ \d+\.\d % = 40\.0 % x \d+\.\d % x \d+\.\d %/);
    expect(short).toMatch(/│ Fits in memory\s+│ yes/);
    expect(short).toMatch(/^ {2}h100x16k: GPUs 16,384, steady-state MFU 40\.0 %$/m);
    expect(short).not.toContain('Checkpoint interval');
    expect(full).toContain('Checkpoint interval');
    expect(full).toContain('checkpoint bandwidth');
    // Headline and assumptions (everything above the notes) fit one 80x24 screen.
    expect(short.split('\nnote: ')[0]?.split('\n').length).toBeLessThanOrEqual(24);
    expect(lines(full)).toBeGreaterThan(2 * lines(short));
  });

  it('--quiet prints only the results table; warnings still reach stderr', () => {
    const run = runCli([...IMPRACTICAL, '--quiet']);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('┌')).toBe(true);
    expect(run.stdout).not.toMatch(/llmcost estimate|Assumed|note:|Sources/);
    expect(run.stderr).toMatch(/^llmcost: warning: impractical/m);
  });

  it('JSON is complete whatever the view', () => {
    const plain = JSON.parse(runCli([...BASE, '--json']).stdout);
    const quiet = JSON.parse(runCli([...BASE, '--json', '--quiet']).stdout);
    expect(quiet).toEqual(plain);
    expect(Object.keys(plain.inputs).length).toBeGreaterThan(30);
    expect(plain.results.reliability.checkpointIntervalMinutes).toBeGreaterThan(0);
  });
});

describe('colour by the conventions', () => {
  const BASE = ['presets', 'show', 'h100'];
  const ESC = /\u001b\[/;
  it.each([
    [{ FORCE_COLOR: '1', NO_COLOR: '' }, [], true],
    [{ NO_COLOR: '1' }, ['--color'], true],
    [{ FORCE_COLOR: '1', NO_COLOR: '' }, ['--no-color'], false],
    [{ FORCE_COLOR: '0', NO_COLOR: '' }, [], false],
    [{ NO_COLOR: '' }, [], false],
    [{ NO_COLOR: '', TERM: 'dumb' }, ['--color'], true],
  ])('env %j, flags %j: colour %s (stdout is a pipe)', (env, flags, coloured) => {
    const run = runCli([...BASE, ...flags], env);
    expect(run.status).toBe(0);
    expect(ESC.test(run.stdout)).toBe(coloured);
  });
  it('--color never colours JSON', () => {
    expect(runCli(['estimate', '--model', 'llama-8b', '--json', '--color']).stdout).not.toMatch(ESC);
  });
});

describe('-v, the scale assumed, solve', () => {
  it('-v and --version print the version', () => {
    for (const flag of ['-v', '--version']) {
      const run = runCli([flag]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    }
  });

  it('--model alone names the default cluster in the title and a note', () => {
    const run = runCli(['estimate', '--model', 'mpt-7b']);
    expect(run.stdout).toMatch(/^llmcost estimate: mpt-7b on colossus, the default cluster \(100,000 x h100/);
    expect(run.stdout).toMatch(/note: no --cluster or --gpus: assumed the default cluster colossus \(100,000 x\s+h100\)/);
    const asked = runCli(['estimate', '--model', 'mpt-7b', '--cluster', 'colossus']).stdout;
    expect(asked).not.toMatch(/default cluster/);
  });

  it('solve with a model and a budget, no cluster or GPU count, solves for GPUs', () => {
    const doc = JSON.parse(runCli(['solve', '--model', 'llama-405b', '--days', '30', '--json']).stdout);
    expect(doc.results.solvedFor).toBe('gpus');
    expect(doc.results.gpus).toBeGreaterThan(16_384);
    // With a cluster the GPU count is known: MFU is the unknown, as before.
    expect(JSON.parse(runCli(['solve', '--model', 'llama-405b', '--days', '30', '--cluster', 'h100x16k', '--json']).stdout).results.solvedFor).toBe('mfu');
  });

  it.each([
    ['params', ['--tokens', '15T', '--days', '30', '--cluster', 'h100x16k']],
    ['tokens', ['--params', '70B', '--days', '30', '--cluster', 'h100x16k']],
    ['gpus', ['--model', 'llama-405b', '--days', '30']],
    ['mfu', ['--model', 'llama-405b', '--days', '30', '--cluster', 'h100x16k']],
    ['days', ['--model', 'llama-405b', '--cluster', 'h100x16k']],
  ])('solve --for %s: results[solvedFor] holds the solved value', (target, flags) => {
    const run = runCli(['solve', '--for', target, ...flags, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.results.solvedFor).toBe(target);
    expect(doc.results[target]).toBeGreaterThan(0);
  });

  it('solve prints the threshold notes; the 1e26 note says EO 14110 was rescinded', () => {
    const doc = JSON.parse(runCli(['solve', '--days', '100', '--json']).stdout);
    expect(doc.results.trainingFlops).toBeGreaterThan(1e26);
    expect(doc.notes).toContainEqual(expect.stringMatching(/^crosses 1e25 FLOPs: EU AI Act/));
    expect(doc.notes).toContainEqual(expect.stringMatching(/^crosses 1e26 FLOPs: .*EO 14110 was rescinded on 20 Jan 2025/));
  });
});

describe('user presets: the sourced-number shape is required, and the error says so', () => {
  it('a bare number where { value, source } belongs names the shape', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-shape-'));
    mkdirSync(join(dir, 'gpus'));
    writeFileSync(join(dir, 'gpus', 'mygpu.json'), JSON.stringify({ name: 'mygpu', label: 'My GPU', vendor: 'other', family: 'mine', peakTflops: { bf16: 400 }, memoryGb: { value: 96, source: 'my datasheet' } }));
    const run = runCli(['estimate', '--presets-dir', dir, '--gpu', 'mygpu', '--gpus', '8', '--model', 'llama-8b']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/mygpu\.json: peakTflops\.bf16: expected \{ "value": 400, "source": "where the number comes from" \} \(every preset number carries its source; "note" is optional\), got 400\n$/);
  });
});
