import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTIONS, optionsFor, type CommandName, type OptionSpec } from '../../src/cli/options.js';
import { loadPresets } from '../../src/presets/load.js';
import { contentProblems } from '../helpers/content.js';
import { mapPool, rng, runCliAsync, type TimedRun } from '../helpers/pool.js';
import { clusterFixture, gpuFixture, modelFixture } from '../helpers/presets.js';

/**
 * Hostile input, end to end: spawns the built CLI with generated argument vectors and checks the
 * contract of every run. Seeded and reproducible: LLMCOST_FUZZ_SEED=<n> replays a run,
 * LLMCOST_FUZZ_CASES=<n> changes how many cases run (CI default below, 9 to 14 s on the shared 2 cores).
 */
const SEED = Number(process.env['LLMCOST_FUZZ_SEED'] ?? 20_250_601);
const CASES = Number(process.env['LLMCOST_FUZZ_CASES'] ?? 150);
const CONCURRENCY = 8;

const HOSTILE: readonly string[] = [
  'NaN', '-0', '0', '-1', '+5', '1e309', '-1e309', '1e-400', '0x10', '0b11', '0o7', '1_000', '1,000',
  '١٢', '１２', '𝟙𝟚', '²', 'Infinity', '-Infinity', 'infinity', '', ' ', '\t', '\n', 'a\nb', '\u0001', '\u202e',
  '1e', 'e5', '.', '1.', '..5', '5B5', '1e3k', '16 k', '16kk', 'k', '1e+', '1e-', '5m', '1.5.5',
  'x'.repeat(10_000), '9'.repeat(10_000), `0.${'0'.repeat(400)}1`, `1${'0'.repeat(400)}`,
  'true', 'null', 'undefined', '[]', '{}', '💥', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
  '$(echo pwned)', "'; rm -rf /", '../../etc/passwd', '/dev/null', '-', '--', '--json', '-h',
];
/** Numbers the parser accepts, from tiny to huge, to reach the core's overflow and underflow edges. */
const NUMBERS: readonly string[] = [
  '1', '2', '0.4', '0.999', '1e-3', '16k', '16384', '405B', '15T', '3.8e25', '100', '1e6', '7.', '.5',
  '5e-324', '1e-300', '1e-160', '1e150', '1e300', '1.7976931348623157e308', '2P', '1e3k', '0.083',
];
/** sweep --vary values: ranges, geometric steps and lists, and broken ones (empty, zero or negative step, huge). */
const GOOD_VARY: readonly string[] = ['mfu=0.3:0.5:0.05', 'gpus=8k:128k:*2', 'gpus=8k,16k,32k', 'days=10:100:10', 'tokens=1T:15T:*2', 'params=1B,8B,70B'];
const BAD_VARY: readonly string[] = [
  'gpus=1:1e15:1', 'mfu=0.1:0.9:0', 'mfu=0.9:0.1:0.1', 'gpus=1:10:-1', 'gpus=8k:128k:*1', 'gpus=8k:128k:*0.5', 'gpus=NaN:1:1',
  'bogus=1', '=', '', 'gpus', 'gpus=', 'model=1', 'gpus=1e309', `gpus=${'1,'.repeat(5_000)}1`, 'mfu=1e-300:1:1e-300',
];
const UNKNOWN_FLAGS: readonly string[] = ['--bogus', '--GPUS', '-x', '---gpus', '--gpus-', '--no-json', '--model=', '-', '--', '--verbose'];
const UNKNOWN_COMMANDS: readonly string[] = ['bogus', 'estimat', 'ESTIMATE', 'Estimate', 'help', '', ' ', '--', 'x'.repeat(10_000)];

interface Fixtures {
  good: string;
  broken: string;
  empty: string;
}

function makeFixtures(): Fixtures {
  const write = (dir: string, path: string, data: unknown): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof data === 'string' ? data : JSON.stringify(data));
  };
  const sourced = (value: number): object => ({ value, source: 'fuzz fixture' });
  // Extreme but valid presets, to push the core towards overflow and underflow.
  const good = mkdtempSync(join(tmpdir(), 'llmcost-fuzz-good-'));
  write(good, 'gpus/fuzzgpu.json', gpuFixture('fuzzgpu', { peakTflops: { bf16: sourced(1e-6), fp8: sourced(1e9) }, memoryGb: sourced(1), tdpW: sourced(1e6), priceUsd: sourced(1e12) }));
  write(good, 'clusters/fuzzcluster.json', clusterFixture('fuzzcluster', 'fuzzgpu', 1e15));
  write(good, 'models/fuzzmodel.json', modelFixture('fuzzmodel', 1e150, 1e150));
  const broken = mkdtempSync(join(tmpdir(), 'llmcost-fuzz-broken-'));
  write(broken, 'gpus/x.json', gpuFixture('x', {}, -5));
  write(broken, 'models/y.json', '{"__proto__": {"polluted": true}}');
  const empty = mkdtempSync(join(tmpdir(), 'llmcost-fuzz-empty-'));
  return { good, broken, empty };
}

interface Case {
  args: string[];
  env: Record<string, string>;
  /** True when --json was given as a flag (not as another flag's value) and no help/version flag. */
  json: boolean;
  /** True when --format ndjson was asked for: one JSON document per line. */
  ndjson: boolean;
  /** `presets validate` may print one line per problem. */
  multiLineOk: boolean;
}

/** Preset names by kind (the built-ins; the fixture's only with its --presets-dir). */
interface Names {
  gpu: readonly string[];
  model: readonly string[];
  cluster: readonly string[];
}

/** Valid values per number constraint, from tiny to huge (the core's overflow and underflow edges). */
const VALID_NUMBERS: Record<string, readonly string[]> = {
  integer: ['1', '2', '8', '16k', '16384', '100', '1e6', '2P', '1e3k', '1e15', '9007199254740993'],
  fraction: ['0.4', '0.999', '1', '1e-3', '.5', '5e-324', '1e-300', '0.05'],
  positive: NUMBERS,
  nonNegative: [...NUMBERS, '0'],
};

function generate(random: () => number, fx: Fixtures, builtin: Names): Case[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const chance = (p: number): boolean => random() < p;
  const dirs = [fx.good, fx.broken, fx.empty, '/dev/null', '/no/such/dir', '', fx.good, fx.good];
  const fixture: Names = { gpu: ['fuzzgpu'], model: ['fuzzmodel'], cluster: ['fuzzcluster'] };
  const allNames = [...builtin.gpu, ...builtin.model, ...builtin.cluster];

  const cases: Case[] = [];
  for (let n = 0; n < CASES; n++) {
    // How hostile this case is: a third are valid throughout (the success paths), the rest mix in junk.
    const hostility = pick([0, 0, 0.15, 0.5]);
    const junk = (): boolean => chance(hostility);
    const env: Record<string, string> = {};
    if (chance(0.1)) env['LLMCOST_PRESETS'] = junk() ? pick([fx.broken, `${fx.good}:${fx.empty}`, '/no/such/dir', '', ':::']) : fx.good;
    if (chance(0.05)) env['XDG_CONFIG_HOME'] = pick([fx.good, 'relative/path', '']);
    const withFixture = env['LLMCOST_PRESETS'] === fx.good || chance(0.3);
    const names = (kind: keyof Names): readonly string[] => (withFixture && chance(0.5) ? fixture[kind] : builtin[kind]);
    const valueFor = (spec: OptionSpec): string => {
      if (junk()) return pick(HOSTILE);
      if (spec.kind === 'number') return pick(VALID_NUMBERS[spec.constraint] ?? NUMBERS);
      if (spec.kind === 'string' && spec.repeatable) return fx.good;
      if (spec.kind === 'string' && spec.choices) return pick(spec.choices);
      if (spec.flag === 'model' || spec.flag === 'gpu' || spec.flag === 'cluster') return pick(names(spec.flag));
      return pick(allNames);
    };

    const roll = random();
    let command: string[];
    if (roll < 0.32) command = ['estimate'];
    else if (roll < 0.64) command = ['solve'];
    else if (roll < 0.72) command = ['compare'];
    else if (roll < 0.8) command = ['sweep'];
    else if (roll < 0.83) command = ['backtest'];
    else if (roll < 0.86) command = ['presets'];
    else if (roll < 0.91) command = ['presets', 'show', junk() ? pick(HOSTILE) : pick(allNames)];
    else if (roll < 0.95) command = ['presets', 'validate', junk() ? pick(HOSTILE) : pick(dirs)];
    else command = [pick(UNKNOWN_COMMANDS)];

    const args = [...command];
    let json = false;
    const runLike = ['estimate', 'solve', 'compare', 'sweep'].includes(command[0] ?? '');
    const sweepSolve = command[0] === 'sweep' && chance(0.3);
    const run: CommandName | undefined = runLike ? (command[0] === 'solve' || sweepSolve ? 'solve' : 'estimate') : undefined;
    if (command[0] === 'compare') {
      // compare takes --model/--cluster/--gpu more than once: one column per value.
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) args.push(pick(['--model', '--cluster', '--gpu']), junk() ? pick(HOSTILE) : pick(allNames));
      if (junk() && chance(0.3)) args.push('--scenarios', pick(['/dev/null', '/no/such.json', fx.good, ...HOSTILE.slice(0, 5)]));
    }
    if (command[0] === 'sweep') {
      if (sweepSolve) args.push('--solve');
      for (let k = 1 + Math.floor(random() * 2); k > 0; k--) args.push('--vary', junk() ? pick(BAD_VARY) : pick(GOOD_VARY));
      if (chance(0.3)) args.push('--chart', pick(junk() ? HOSTILE : ['terminal', 'svg', 'none']));
      if (chance(0.2)) args.push('--y', junk() ? pick(HOSTILE) : pick(['wallClockDays', 'gpuHours', 'capexUsd', 'params']));
    }
    let ndjson = false;
    if (runLike && chance(0.2)) {
      const format = junk() ? pick(HOSTILE) : pick(['table', 'json', 'csv', 'ndjson', 'markdown']);
      args.push('--format', format);
      json = format === 'json';
      ndjson = format === 'ndjson';
    }
    if (run) {
      if (withFixture && !env['LLMCOST_PRESETS']) args.push('--presets-dir', fx.good);
      if (chance(0.85)) args.push('--model', pick(names('model')));
      if (chance(0.3)) args.push('--cluster', pick(names('cluster')));
      if (run === 'solve' && chance(0.8)) args.push('--days', pick(NUMBERS));
      const own = optionsFor(run);
      for (let k = Math.floor(random() * 5); k > 0; k--) {
        const spec = chance(0.9) ? pick(own) : pick(OPTIONS);
        if (spec.kind === 'boolean') {
          args.push(`--${spec.flag}`);
          if (spec.flag === 'json') json = true;
          continue;
        }
        const value = valueFor(spec);
        if (chance(0.15)) args.push(`--${spec.flag}=${value}`);
        else args.push(`--${spec.flag}`, value);
        if (chance(0.08)) args.push(`--${spec.flag}`, valueFor(spec)); // repeated flag
      }
    } else if (command[0] === 'presets' && command[1] !== 'validate') {
      if (chance(0.3)) args.push('--presets-dir', junk() ? pick(dirs) : fx.good);
    }
    if (command[1] !== 'validate' && !args.includes('--format') && chance(0.6)) {
      args.push('--json');
      json = true;
    }
    if (chance(0.1)) args.push('--no-color');
    if (junk() && chance(0.2)) args.splice(1 + Math.floor(random() * args.length), 0, pick(UNKNOWN_FLAGS));
    if (chance(0.03)) args.push(pick(['--help', '-h', '--version', '-v']));
    if (junk() && chance(0.1)) args.push(pick(HOSTILE)); // a stray positional
    const helpish = args.some((a) => ['--help', '-h', '--version', '-v', 'help'].includes(a));
    cases.push({ args, env, json: json && !helpish, ndjson: ndjson && !helpish, multiLineOk: command[1] === 'validate' });
  }
  return cases;
}

/** Returns the JSON paths holding null (numbers that were NaN/Infinity become null in JSON). */
function nullPaths(value: unknown, path = '$'): string[] {
  if (value === null) return [path];
  if (typeof value !== 'object') return [];
  return Object.entries(value as object).flatMap(([k, v]) => nullPaths(v, `${path}.${k}`));
}

/** Returns what is wrong with one run (empty when it keeps the contract). */
function violations(c: Case, run: TimedRun): string[] {
  const bad: string[] = [];
  if (run.timedOut) return ['timed out'];
  if (run.status !== 0 && run.status !== 2) bad.push(`exit code ${String(run.status)}`);
  if (/^\s+at .+[(:]\d+/m.test(run.stderr) || /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/.test(run.stderr)) bad.push('stack trace or JS error on stderr');
  if (run.status === 2) {
    if (run.stdout !== '') bad.push('stdout not empty on exit 2');
    const lines = run.stderr.split('\n');
    if (!run.stderr.endsWith('\n')) bad.push('stderr does not end with a newline');
    if (!c.multiLineOk && lines.length !== 2) bad.push(`${lines.length - 1} lines on stderr, expected exactly 1`);
    if (!/^llmcost: \S/.test(lines.at(-2) ?? '')) bad.push('last stderr line does not start with "llmcost: "');
    // Hostile values are 10,000 characters long: an error quotes their start, not all of them.
    if (lines.some((l) => l.length > 1_000)) bad.push('an error line longer than 1,000 characters');
  }
  if (run.status === 0) {
    // On success stderr holds only warnings and notes (issue 14), each "llmcost: warning: ..." with indented continuation lines.
    const strays = run.stderr.split('\n').filter((l) => l !== '' && !/^llmcost: (warning|note): \S/.test(l) && !/^ {4}\S/.test(l));
    if (strays.length > 0) bad.push(`stderr on exit 0 holds more than warnings: ${strays[0]}`);
    if (run.stdout === '') bad.push('nothing on stdout on exit 0');
    if (c.json || c.ndjson) {
      try {
        const docs = c.json ? [JSON.parse(run.stdout) as unknown] : run.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
        const nulls = docs.flatMap((d) => nullPaths(d));
        // Content, not only form: results present, none negative or empty (test/helpers/content.ts).
        if (c.json) bad.push(...contentProblems(docs[0] as Record<string, unknown>));
        if (nulls.length > 0) bad.push(`null in JSON at ${nulls.slice(0, 5).join(', ')}`);
      } catch {
        bad.push(`stdout is not ${c.json ? 'JSON' : 'NDJSON'}`);
      }
    } else if (/\bNaN\b|Infinity|undefined|\[object Object\]/.test(run.stdout)) bad.push('NaN/Infinity/undefined printed');
  }
  return bad;
}

describe(`fuzz: ${CASES} generated argument vectors (seed ${SEED})`, () => {
  it('every run exits 0 or 2; on 2 one line on stderr, no stack, empty stdout; on 0 with --json, JSON without null', async () => {
    const fx = makeFixtures();
    const presets = loadPresets();
    const names: Names = { gpu: [...presets.gpus.keys()], model: [...presets.models.keys()], cluster: [...presets.clusters.keys()] };
    const cases = generate(rng(SEED), fx, names);
    const started = Date.now();
    const runs = await mapPool(cases, CONCURRENCY, (c) => runCliAsync(c.args, c.env));
    const seconds = (Date.now() - started) / 1000;
    const failures = cases.flatMap((c, i) => {
      const run = runs[i] as TimedRun;
      const bad = violations(c, run);
      return bad.length === 0 ? [] : [`#${i} ${JSON.stringify(c.args.map((a) => (a.length > 60 ? `${a.slice(0, 20)}…(${a.length})` : a)))} env=${JSON.stringify(c.env)}: ${bad.join('; ')}\n  exit ${String(run.status)}, stderr: ${run.stderr.slice(0, 300)}`];
    });
    const exits = runs.reduce((n, r) => n + (r.status === 0 ? 1 : 0), 0);
    console.log(`fuzz: ${CASES} cases (seed ${SEED}) in ${seconds.toFixed(1)} s: ${exits} exit 0, ${CASES - exits} exit 2`);
    if (process.env['LLMCOST_FUZZ_VERBOSE']) {
      // Which errors the generator hits, to tune it: LLMCOST_FUZZ_VERBOSE=1 npx vitest run test/cli/fuzz.test.ts
      const counts = new Map<string, number>();
      for (const r of runs) if (r.status === 2) counts.set(r.stderr.slice(0, 48), (counts.get(r.stderr.slice(0, 48)) ?? 0) + 1);
      console.log([...counts].sort((x, y) => y[1] - x[1]).map(([k, n]) => `${n}\t${k}`).join('\n'));
    }
    expect(failures, failures.slice(0, 15).join('\n')).toEqual([]);
    // The generator must reach both outcomes, or the contract is only half checked.
    expect(exits).toBeGreaterThan(CASES / 10);
    expect(CASES - exits).toBeGreaterThan(CASES / 10);
  }, 120_000);
});
