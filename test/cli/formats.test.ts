import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/cli/output.js';
import { parseCsv } from '../../src/format/csv.js';
import { runCli, runJson } from '../helpers/cli.js';

const ESTIMATE = ['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k'];

describe('--format on estimate and solve', () => {
  it('csv: a header of dotted field names and one row, the same numbers as --json', () => {
    const run = runCli([...ESTIMATE, '--format', 'csv']);
    expect(run.status, run.stderr).toBe(0);
    const rows = parseCsv(run.stdout);
    expect(rows).toHaveLength(2);
    const [header = [], row = []] = rows;
    expect(row).toHaveLength(header.length);
    const doc = runJson(ESTIMATE);
    const value = (name: string): string | undefined => row[header.indexOf(name)];
    expect(value('command')).toBe('estimate');
    expect(value('inputs.model')).toBe('llama-405b');
    expect(Number(value('results.wallClockDays'))).toBe(doc.results['wallClockDays']);
    expect(Number(value('results.reliability.goodput'))).toBe((doc.results['reliability'] as { goodput: number }).goodput);
    expect(run.stdout).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('ndjson: one line, a compact object with inputs (values) and results', () => {
    const run = runCli(['solve', '--days', '100', '--format', 'ndjson']);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const row = JSON.parse(lines[0] ?? '');
    expect(row.command).toBe('solve');
    expect(row.inputs.budgetDays).toBe(100);
    expect(row.results.solvedFor).toBe('params');
  });

  it('markdown: a GitHub table of results and one of assumptions', () => {
    const run = runCli([...ESTIMATE, '--format', 'markdown']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^### llmcost estimate: llama-405b on h100x16k/);
    expect(run.stdout).toMatch(/^\| group \| result \| value \|$/m);
    expect(run.stdout).toMatch(/^\| Time \| Wall-clock \| [\d.]+ days \|$/m);
    expect(run.stdout).toMatch(/^\| input \| value \| origin \|$/m);
  });

  it('--json is --format json; together with another format it is a usage error', () => {
    expect(runCli([...ESTIMATE, '--format', 'json']).stdout).toBe(runCli([...ESTIMATE, '--json']).stdout);
    const run = runCli([...ESTIMATE, '--json', '--format', 'csv']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('llmcost: --json: is --format json; it cannot be combined with --format csv\n');
    const bad = runCli([...ESTIMATE, '--format', 'xml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--format.*table, json, ndjson, csv, markdown/);
  });

  it('presets take --format too: csv rows per preset, markdown tables', () => {
    const csv = runCli(['presets', '--format', 'csv']);
    expect(csv.status, csv.stderr).toBe(0);
    const [header = [], ...rows] = parseCsv(csv.stdout);
    expect(header.slice(0, 5)).toEqual(['kind', 'name', 'label', 'origin', 'file']);
    const h100 = rows.find((r) => r[1] === 'h100') ?? [];
    expect(h100[0]).toBe('gpu');
    expect(Number(h100[header.indexOf('peakTflops.bf16')])).toBeGreaterThan(900);
    const md = runCli(['presets', 'show', 'h100', '--format', 'markdown']);
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^\| peakTflops\.bf16 \| [\d.]+ \|$/m);
    const nd = runCli(['presets', '--format', 'ndjson']);
    expect(nd.stdout.trimEnd().split('\n').every((l) => typeof JSON.parse(l).name === 'string')).toBe(true);
    expect(runCli(['presets', 'show', 'nope', '--format', 'csv']).status).toBe(2);
  });
});

describe('--out FILE', () => {
  it('writes the output to the file instead of stdout, the same text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-out-'));
    const file = join(dir, 'estimate.json');
    const run = runCli([...ESTIMATE, '--json', '--out', file]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(runCli([...ESTIMATE, '--json']).stdout);
    expect(readdirSync(dir)).toEqual(['estimate.json']);
  });

  it('a failing command leaves an existing file as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-out-'));
    const file = join(dir, 'keep.csv');
    writeFileSync(file, 'old\n');
    const run = runCli(['estimate', '--model', 'nope', '--format', 'csv', '--out', file]);
    expect(run.status).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['keep.csv']);
  });

  it('an unwritable path, a directory or a device is a one-line usage error naming --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-out-'));
    for (const target of [join(dir, 'no', 'such', 'dir.json'), dir, '/dev/null']) {
      const run = runCli([...ESTIMATE, '--json', '--out', target]);
      expect(run.status, target).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(new RegExp(`^llmcost: --out ${target.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
      expect(run.stderr.split('\n')).toHaveLength(2);
    }
    expect(existsSync('/dev/null')).toBe(true);
  });

  it('writeFileAtomic replaces a file whole, via a temporary file in the same directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-atomic-'));
    mkdirSync(join(dir, 'sub'));
    const file = join(dir, 'sub', 'out.txt');
    await writeFileAtomic(file, ['a', 'b', 'c']);
    await writeFileAtomic(file, ['new ', 'text']);
    expect(readFileSync(file, 'utf8')).toBe('new text');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['out.txt']);
    await expect(writeFileAtomic('', ['x'])).rejects.toThrow(/--out: expected a file name/);
  });
});
