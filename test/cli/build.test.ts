// The start-up machinery of the built CLI (scripts/bundle.mjs): compiled presets, the one-file
// bundle with its V8 code cache, and output through fs.writeSync. Tests run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { compileCalibration, runCalibration } from '../../src/presets/calibrate.js';
import { compilePresets, presetsFromCompiled } from '../../src/presets/compiled.js';
import { loadPresets } from '../../src/presets/load.js';
import { readCompiledPresets } from '../../src/presets/sources.js';
import { BIN, cliEnv, runCli } from '../helpers/cli.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Runs main() in-process with `compiledPresets`; returns exit code, stdout and stderr. */
async function runMain(argv: string[], compiledPresets?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    env: { NO_COLOR: '1', XDG_CONFIG_HOME: '/nonexistent/llmcost-tests' },
    stdoutIsTTY: false,
    writeOut: (t) => (stdout += t),
    writeErr: (t) => (stderr += t),
    version: '0',
    ...(compiledPresets === undefined ? {} : { compiledPresets }),
  });
  return { code, stdout, stderr };
}

describe('compiled built-in presets (dist/presets.json)', () => {
  it('round-trips: compiled and read back, the presets equal those parsed from presets/', () => {
    const parsed = loadPresets();
    expect(presetsFromCompiled(JSON.parse(JSON.stringify(compilePresets(parsed))))).toEqual(parsed);
  });

  it('the built file is what the presets/ folder gives now (rebuild after editing a preset)', () => {
    expect(readCompiledPresets(join(dist, 'presets.json'))).toEqual(loadPresets());
  });

  it('a preset looked up before the others are listed: the same object, and every preset in the order of presets/', () => {
    const built = readCompiledPresets(join(dist, 'presets.json'));
    if (!built) throw new Error('dist/presets.json not read');
    const parsed = loadPresets();
    const model = built.models.get('llama-405b');
    expect(model).toEqual(parsed.models.get('llama-405b'));
    expect(built.models.has('no-such-model')).toBe(false);
    expect(built.models.get('no-such-model')).toBeUndefined();
    expect(built.models.size).toBe(parsed.models.size);
    expect([...built.models.keys()]).toEqual([...parsed.models.keys()]);
    expect(built.models.get('llama-405b')).toBe(model);
    expect([...built.gpus.values()].map((g) => g.name)).toEqual([...parsed.gpus.keys()]);
    expect(built.clusters).toEqual(parsed.clusters);
  });

  it('the built run calibration is what a fresh fit on presets/ gives (it cannot go stale)', () => {
    const built = readCompiledPresets(join(dist, 'presets.json'));
    if (!built) throw new Error('dist/presets.json not read');
    const fresh = runCalibration(loadPresets());
    const used = runCalibration(built);
    expect(used.observations).toEqual(fresh.observations);
    expect(used.utilization).toEqual(fresh.utilization);
    expect(used.publishedRange).toEqual(fresh.publishedRange);
    expect(used.steadyStateRange).toEqual(fresh.steadyStateRange);
    // The published runs themselves are resolved from the compiled presets when read (backtest).
    expect(used.runs.map((r) => r.observation)).toEqual(fresh.observations);
    expect(used.runs.map((r) => r.model)).toEqual(fresh.runs.map((r) => r.model));
  });

  it('the CLI takes the run calibration stored with the compiled presets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-compiled-'));
    const compiled = compilePresets(loadPresets());
    const prior = compiled.calibration.utilization;
    if (!prior) throw new Error('no run-utilization prior');
    prior.value /= 2;
    writeFileSync(join(dir, 'presets.json'), JSON.stringify(compiled));
    const args = ['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--json'];
    const utilization = (stdout: string): number => (JSON.parse(stdout) as { inputs: { runUtilization: { value: number } } }).inputs.runUtilization.value;
    const fresh = compileCalibration(loadPresets()).utilization?.value ?? Number.NaN;
    expect(utilization((await runMain(args, join(dir, 'presets.json'))).stdout)).toBe(fresh / 2);
    expect(utilization((await runMain(args)).stdout)).toBe(fresh);
  });

  it('a missing file, bad JSON or another format version is not used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-compiled-'));
    writeFileSync(join(dir, 'bad.json'), '{');
    writeFileSync(join(dir, 'v0.json'), JSON.stringify({ ...compilePresets(loadPresets()), compiledPresetsFormat: 0 }));
    const { calibration: _, ...uncalibrated } = compilePresets(loadPresets());
    writeFileSync(join(dir, 'uncalibrated.json'), JSON.stringify(uncalibrated));
    expect(readCompiledPresets(join(dir, 'missing.json'))).toBeUndefined();
    expect(readCompiledPresets(join(dir, 'uncalibrated.json'))).toBeUndefined();
    expect(readCompiledPresets(join(dir, 'bad.json'))).toBeUndefined();
    expect(readCompiledPresets(join(dir, 'v0.json'))).toBeUndefined();
  });

  it('the CLI takes the compiled presets when no user directory applies, else parses presets/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-compiled-'));
    // A compiled file whose h100 differs from presets/ shows which path the CLI took.
    const compiled = compilePresets(loadPresets());
    const h100 = compiled.gpus.find((g) => g.name === 'h100');
    if (!h100) throw new Error('no h100 preset');
    h100.peakTflops.bf16.value /= 2;
    writeFileSync(join(dir, 'presets.json'), JSON.stringify(compiled));
    const args = ['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--json'];
    const gpuPeak = (stdout: string): number => (JSON.parse(stdout) as { inputs: { gpuPeakFlopsPerSecond: { value: number } } }).inputs.gpuPeakFlopsPerSecond.value;

    const fromCompiled = await runMain(args, join(dir, 'presets.json'));
    const fromParse = await runMain(args);
    expect(fromCompiled.code).toBe(0);
    expect(gpuPeak(fromCompiled.stdout)).toBeCloseTo(gpuPeak(fromParse.stdout) / 2, 9);

    const userDir = mkdtempSync(join(tmpdir(), 'llmcost-user-'));
    const withUserDir = await runMain([...args, '--presets-dir', userDir], join(dir, 'presets.json'));
    expect(gpuPeak(withUserDir.stdout)).toBe(gpuPeak(fromParse.stdout));

    const missing = await runMain(args, join(dir, 'missing.json'));
    expect(missing.stdout).toBe(fromParse.stdout);
  });
});

describe('the bundled command (dist/llmcost.cjs)', () => {
  it('is one bundle with a V8 code cache that this Node accepts', () => {
    const bundles = readdirSync(dist).filter((n) => /^cli-[0-9a-f]+\.cjs$/.test(n));
    expect(bundles).toHaveLength(1);
    const file = join(dist, bundles[0] as string);
    // Compiled as the loader does; V8 rejects a cache made by another version, flags or source.
    const check = `const { Script } = require('node:vm'); const fs = require('node:fs');
      const s = new Script(require('node:module').wrap(fs.readFileSync(${JSON.stringify(file)}, 'utf8')), { filename: ${JSON.stringify(file)}, cachedData: fs.readFileSync(${JSON.stringify(file.replace(/cjs$/, 'cache'))}) });
      process.stdout.write(String(s.cachedDataRejected));`;
    const run = spawnSync(process.execPath, ['-e', check], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('false');
    expect(readFileSync(BIN, 'utf8')).toContain(bundles[0]);
  });

  it('prints the same JSON as the in-process CLI', async () => {
    const args = ['solve', '--days', '100', '--cluster', 'colossus', '--tokens', '15T', '--json'];
    expect(runCli(args).stdout).toBe((await runMain(args)).stdout);
  });

  // Issue 13: every write error is one line and a nonzero exit, a closed pipe too (as a process
  // killed by SIGPIPE exits nonzero); the rows already read are whole.
  it('a reader that stops early (| head -1) ends the run at once: one line on stderr, exit 1', () => {
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" sweep --model llama-405b --cluster h100x16k --vary gpus=1k:200M:1k --format ndjson | head -1; exit \${PIPESTATUS[0]}`], {
      encoding: 'utf8',
      env: cliEnv(),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('llmcost: stdout: cannot write: the reader closed the pipe before the output was complete (EPIPE)\n');
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ gpus: 1000 });
  });
});
