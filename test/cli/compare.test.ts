import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/format/csv.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'llmcost-compare-'));
const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

/** Expects a usage error: exit 2, nothing on stdout, one line on stderr matching `pattern`. */
function expectUsageError(args: string[], pattern: RegExp): void {
  const run = runCli(args);
  expect(run.status, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.split('\n')).toHaveLength(2);
  expect(run.stderr).toMatch(/^llmcost: /);
  expect(run.stderr).toMatch(pattern);
}

describe('compare', () => {
  it('two clusters, one model: one column each, with the ratio of each to the first', () => {
    // Wide enough for each row on one line (at 80 columns the ratio goes on a line of its own).
    const run = runCli(['compare', '--model', 'llama-405b', '--cluster', 'h100x16k', '--cluster', 'colossus'], { COLUMNS: '250' });
    expect(run.status, run.stderr).toBe(0);
    // Llama's 2,048 sequences cannot keep 100,000 GPUs busy (at most 16 % at TP 8): colossus's column is warned about, h100x16k's is not.
    expect(run.stderr.split('\n').filter((l) => l.startsWith('llmcost: '))).toEqual([expect.stringMatching(/^llmcost: warning: colossus: a global batch of 2,048 sequences \(from model preset llama-405b\) cannot occupy 100,000 GPUs/)]);
    const header = run.stdout.split('\n').find((l) => l.includes('result')) ?? '';
    expect(header).toMatch(/result\s+│ h100x16k\s+│ colossus/);
    const gpus = run.stdout.split('\n').find((l) => l.startsWith('│ GPUs ')) ?? '';
    // 100,000 / 16,384 = 6.1
    expect(gpus).toMatch(/16,384 .*100,000 \(6\.1x\)/);
    expect(run.stdout).toContain('colossus: llama-405b on colossus');
  });

  it('--format json: every scenario as the estimate document, and ratios that match the numbers', () => {
    const run = runCli(['compare', '--model', 'llama-405b', '--cluster', 'h100x16k', '--cluster', 'colossus', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.command).toBe('compare');
    expect(doc.scenarios.map((s: { name: string }) => s.name)).toEqual(['h100x16k', 'colossus']);
    const [a, b] = doc.scenarios;
    expect(b.results.wallClockDays).toBeLessThan(a.results.wallClockDays);
    expect(doc.ratios[0].toFirst.wallClockDays).toBe(1);
    expect(doc.ratios[1].toFirst.wallClockDays).toBeCloseTo(b.results.wallClockDays / a.results.wallClockDays, 12);
    expect(doc.ratios[1].toFirst.gpus).toBeCloseTo(100_000 / 16_384, 12);
  });

  it('the same document as estimate --json for each scenario', () => {
    const compare = JSON.parse(runCli(['compare', '--model', 'llama-405b', '--cluster', 'h100x16k', '--cluster', 'colossus', '--mfu', '0.35', '--json']).stdout);
    const single = JSON.parse(runCli(['estimate', '--model', 'llama-405b', '--cluster', 'colossus', '--mfu', '0.35', '--json']).stdout);
    const { name, ...doc } = compare.scenarios[1];
    expect(name).toBe('colossus');
    const { schemaVersion, ...expected } = single;
    expect(schemaVersion).toBe(1);
    expect(doc).toEqual(expected);
  });

  it('repeated --model and --cluster give every combination; --format csv parses back, one row per scenario', () => {
    const run = runCli(['compare', '--model', 'llama-8b', '--model', 'llama-70b', '--cluster', 'h100x16k', '--cluster', 'colossus', '--format', 'csv']);
    expect(run.status, run.stderr).toBe(0);
    const rows = parseCsv(run.stdout);
    const header = rows[0] ?? [];
    expect(rows).toHaveLength(5);
    const col = (name: string): number => header.indexOf(name);
    expect(col('scenario')).toBe(0);
    expect(col('results.wallClockDays')).toBeGreaterThan(0);
    expect(rows.slice(1).map((r) => r[col('scenario')])).toEqual(['llama-8b / h100x16k', 'llama-8b / colossus', 'llama-70b / h100x16k', 'llama-70b / colossus']);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(header.length);
      expect(Number(row[col('results.wallClockDays')])).toBeGreaterThan(0);
    }
    // 70B trains longer than 8B on the same cluster.
    expect(Number(rows[3]?.[col('results.wallClockDays')])).toBeGreaterThan(Number(rows[1]?.[col('results.wallClockDays')]));
  });

  it('--format markdown is a GitHub table with a column per scenario', () => {
    const run = runCli(['compare', '--model', 'llama-405b', '--gpu', 'h100', '--gpu', 'b200', '--gpus', '8k', '--format', 'markdown']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\| result \| h100 \| b200 \|$/m);
    expect(run.stdout).toMatch(/^\| --- \| ---: \| ---: \|$/m);
  });

  it('--scenarios FILE: a list of estimate options in camelCase with names; flags apply to all', () => {
    const path = file('ok.json', [
      { name: 'base', cluster: 'h100x16k' },
      { name: 'faster', cluster: 'h100x16k', mfu: 0.5, peakTflops: '1979' },
    ]);
    const run = runCli(['compare', '--scenarios', path, '--model', 'llama-405b', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.scenarios.map((s: { name: string }) => s.name)).toEqual(['base', 'faster']);
    expect(doc.scenarios[1].inputs.mfu).toMatchObject({ value: 0.5, origin: 'flag' });
    expect(doc.scenarios[1].inputs.gpuPeakFlopsPerSecond.value).toBe(1979e12);
    expect(doc.scenarios[0].inputs.model.value).toBe('llama-405b');
  });

  it('a bad scenario file is named with the JSON path of the problem', () => {
    expectUsageError(['compare', '--scenarios', file('unknown.json', [{ cluster: 'h100x16k' }, { clustr: 'colossus' }])], /unknown\.json: 1: unknown key "clustr"/);
    expectUsageError(['compare', '--scenarios', file('type.json', [{ mfu: true }, {}])], /type\.json: 0\.mfu: expected a number/);
    expectUsageError(['compare', '--scenarios', file('value.json', [{ model: 'llama-405b', mfu: 2 }, {}])], /value\.json: 0\.mfu: expected a fraction in \(0, 1\]/);
    expectUsageError(['compare', '--scenarios', file('notlist.json', { a: 1 })], /notlist\.json: \(top level\): /);
    expectUsageError(['compare', '--scenarios', file('broken.json', '[{')], /broken\.json: not valid JSON/);
    expectUsageError(['compare', '--scenarios', join(dir, 'missing.json')], /--scenarios .*missing\.json: cannot read: no such file$/m);
  });

  it('fewer than two scenarios, or a bad preset, is a usage error', () => {
    expectUsageError(['compare', '--model', 'llama-405b'], /compare: expected two or more scenarios/);
    expectUsageError(['compare', '--model', 'llama-405b', '--cluster', 'h100x16k', '--cluster', 'nope'], /--cluster: no preset named "nope"/);
    expectUsageError(['compare', '--model', 'llama-405b', '--cluster', 'h100x16k', '--cluster', 'colossus', '--json', '--format', 'csv'], /--json/);
  });
});
