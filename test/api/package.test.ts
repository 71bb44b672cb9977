import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * The library as a user gets it: a separate project whose node_modules/llmcost is this package,
 * imported by name through package.json "exports" (ESM + .d.ts), never by a relative path.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'llmcost-user-'));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(ROOT, join(project, 'node_modules', 'llmcost'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module', private: true }));
});

function node(code: string): { stdout: string; stderr: string; status: number | null } {
  const file = join(project, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, code);
  const run = spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', XDG_CONFIG_HOME: '/nonexistent/llmcost-tests' } });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

describe("import { estimate, solve, loadPresets } from 'llmcost'", () => {
  it('builds dist/index.js and dist/index.d.ts, which package.json "exports" points at', () => {
    expect(existsSync(join(ROOT, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(ROOT, 'dist', 'index.d.ts'))).toBe(true);
  });

  it('estimate(...) equals the CLI\'s --json output for the same flags', () => {
    const run = node(`import { estimate } from 'llmcost';
console.log(JSON.stringify(estimate({ model: 'llama-405b', cluster: 'h100x16k', mfu: '0.38', gpus: 16384 })));`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const cli = runCli(['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--mfu', '0.38', '--gpus', '16384', '--json']);
    expect(cli.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(cli.stdout));
  });

  it('solve(...) and loadPresets() work the same way; bad options throw a UsageError naming the flag', () => {
    const run = node(`import { solve, loadPresets, UsageError, estimate } from 'llmcost';
const presets = loadPresets();
const doc = solve({ days: 100, tokens: '15T' }, presets);
let error;
try { estimate({ model: 'llama-405b', mfu: 2 }); } catch (e) { error = e; }
console.log(JSON.stringify({ solvedFor: doc.results.solvedFor, gpus: presets.gpus.has('h100'), usage: error instanceof UsageError, message: error.message }));`);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ solvedFor: 'params', gpus: true, usage: true });
    expect(out.message).toMatch(/^--mfu: expected a fraction in \(0, 1\]/);
    const cli = JSON.parse(runCli(['solve', '--days', '100', '--tokens', '15T', '--json']).stdout);
    expect(cli.results.solvedFor).toBe('params');
  });
  // The TypeScript consumers (one that must compile, one that must not) are in pack.test.ts, against the packed package.
});
