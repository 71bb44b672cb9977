import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { optionsFor } from '../../src/cli/options.js';
import { contentProblems } from '../helpers/content.js';
import { mapPool, rng, runCliAsync, type TimedRun } from '../helpers/pool.js';

/**
 * Hostile files, end to end (issue 13): what comes from files and streams is held to the same
 * contract as flags. Generated from the shipped data: HF configs (test/fixtures/hf), GPU, model and
 * cluster presets and defaults.json (presets/), scenario files (the option registry's keys), with
 * fields removed, zeroed, negated, mistyped, made huge or tiny, hostile text, a 100,000-element
 * array, broken JSON; and file kinds: FIFO, directory, dangling symlink, device, oversized, not
 * UTF-8, through paths and through `-` (stdin). On exit 0 the content is checked, not only the
 * form: no negative or non-finite quantity, no empty object where results belong.
 * LLMCOST_FUZZ_SEED=<n> replays a run, LLMCOST_FUZZ_FILE_CASES=<n> changes how many cases run.
 */
const SEED = Number(process.env['LLMCOST_FUZZ_SEED'] ?? 20_250_613);
const CASES = Number(process.env['LLMCOST_FUZZ_FILE_CASES'] ?? 200);
const CONCURRENCY = 6;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const jsonFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => join(dir, n));
const HF_CONFIGS = jsonFiles(join(ROOT, 'test/fixtures/hf')).map(readJson);
const SHIPPED = {
  gpus: jsonFiles(join(ROOT, 'presets/gpus')).map(readJson),
  models: jsonFiles(join(ROOT, 'presets/models')).map(readJson),
  clusters: jsonFiles(join(ROOT, 'presets/clusters')).map(readJson),
};
const DEFAULTS = readJson(join(ROOT, 'presets/defaults.json'));

const HOSTILE_TEXT = ['', ' ', '\u001b]0;pwned\u0007', '\u001b[2J', '\u009b31m', '\u202eevil', 'a\nb', 'x'.repeat(5_000), '__proto__', 'NaN', '-1', '1e999', '16k', '💥'];
/** Marks a number to be written as the literal 1e999 (JSON that parses to Infinity). */
const INFINITE = '\u0000INF\u0000';

type Json = unknown;
type Random = () => number;

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

/** Returns `value` with one randomly chosen field removed, zeroed, negated, mistyped, huge, tiny or hostile. */
function mutate(value: Json, random: Random): Json {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const all = paths(value);
  // Numbers are what the issue is about: aim at them two times in three.
  const numeric = all.filter((p) => typeof at(value, p) === 'number');
  const path = numeric.length > 0 && random() < 0.67 ? pick(numeric) : all.length > 0 ? pick(all) : undefined;
  if (!path) return value;
  const old = at(value, path);
  const op = pick(['remove', 'zero', 'negate', 'mistype', 'huge', 'tiny', 'fraction', 'text', 'infinite', 'array', 'double'] as const);
  const next: Json =
    op === 'zero' ? 0
    : op === 'negate' ? (typeof old === 'number' ? -old : -1)
    : op === 'mistype' ? pick([String(old), null, true, [], {}, [old]])
    : op === 'huge' ? pick([1e308, 2 ** 60, 9_007_199_254_740_993, 1e21, 1.7976931348623157e308])
    : op === 'tiny' ? pick([5e-324, 1e-300, 1e-9])
    : op === 'fraction' ? (typeof old === 'number' ? old + 0.5 : 0.5)
    : op === 'text' ? pick(HOSTILE_TEXT)
    : op === 'infinite' ? INFINITE
    : op === 'array' ? Array.from({ length: 100_000 }, (_, i) => i)
    : op === 'double' ? (typeof old === 'number' ? old * 1000 : old)
    : undefined;
  return setAt(value, path, op === 'remove' ? REMOVE : next);
}

const REMOVE = Symbol('remove');
function at(value: Json, path: ReadonlyArray<string | number>): Json {
  let current = value;
  for (const key of path) current = (current as Record<string | number, Json>)[key];
  return current;
}
function setAt(value: Json, path: ReadonlyArray<string | number>, next: Json | typeof REMOVE): Json {
  const [key, ...rest] = path;
  if (key === undefined) return next;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && next === REMOVE) copy.splice(key as number, 1);
    else copy[key as number] = setAt(copy[key as number], rest, next);
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  if (rest.length === 0 && next === REMOVE) delete copy[key as string];
  else copy[key as string] = setAt(copy[key as string], rest, next);
  return copy;
}

/** Returns the bytes of a file from `value`: JSON, or (sometimes) broken or odd text. */
function fileBytes(value: Json, random: Random): Buffer {
  const text = JSON.stringify(value, null, random() < 0.5 ? 2 : undefined).replaceAll(JSON.stringify(INFINITE), '1e999');
  const roll = random();
  if (roll < 0.03) return Buffer.from(text.slice(0, Math.floor(text.length / 2))); // truncated
  if (roll < 0.05) return Buffer.from(`\uFEFF${text}`); // byte-order mark: fine
  if (roll < 0.06) return Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`); // deep nesting
  if (roll < 0.07) return Buffer.concat([Buffer.from(text.slice(0, 10)), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(text.slice(10))]); // not UTF-8
  if (roll < 0.08) return Buffer.from('');
  return Buffer.from(text);
}

interface Case {
  kind: 'hf' | 'presets' | 'scenarios' | 'file-kind';
  args: string[];
  stdin?: string;
  /** JSON document on stdout when it succeeds. */
  json: boolean;
  /** `presets validate`: one line per problem on failure. */
  multiLine: boolean;
  /** What a one-line error must name: the flag or the file the input came from. */
  names: RegExp;
}

interface Places {
  dir: string;
  fifo?: string;
  kinds: string[];
}

/** Makes the special paths once: FIFO, directory, dangling symlink, devices, an oversized file, a non-UTF-8 one. */
function places(): Places {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-fuzz-files-'));
  mkdirSync(join(dir, 'folder.json'));
  symlinkSync(join(dir, 'nowhere.json'), join(dir, 'dangling.json'));
  writeFileSync(join(dir, 'big.json'), `[${'1,'.repeat(600_000)}1]`);
  writeFileSync(join(dir, 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
  const fifo = spawnSync('mkfifo', [join(dir, 'fifo.json')]).status === 0 ? join(dir, 'fifo.json') : undefined;
  const kinds = [join(dir, 'folder.json'), join(dir, 'dangling.json'), join(dir, 'big.json'), join(dir, 'latin1.json'), '/dev/zero', '/dev/null', join(dir, 'missing.json')];
  if (fifo) kinds.push(fifo);
  return { dir, fifo, kinds };
}

function generate(random: Random, where: Places): Case[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const chance = (p: number): boolean => random() < p;
  /** `value` with 1 to 3 mutations, or unchanged with probability `valid` (the success paths, whose content is checked). */
  const mutations = (value: Json, valid = 0.25): Json => {
    let v = value;
    for (let k = chance(valid) ? 0 : 1 + Math.floor(random() * 3); k > 0; k--) v = mutate(v, random);
    return v;
  };
  let n = 0;
  const file = (name: string, bytes: Buffer): string => {
    const path = join(where.dir, `${n}-${name}`);
    writeFileSync(path, bytes);
    return path;
  };
  const format = (): { args: string[]; json: boolean } => {
    const f = pick(['json', 'json', 'json', 'table', 'csv', 'markdown', 'ndjson']);
    return { args: f === 'json' ? ['--json'] : ['--format', f], json: f === 'json' };
  };

  const cases: Case[] = [];
  for (; n < CASES; n++) {
    const roll = random();
    if (roll < 0.35) {
      const path = file('config.json', fileBytes(mutations(pick(HF_CONFIGS)), random));
      const viaStdin = chance(0.1);
      const f = format();
      const args = ['estimate', '--hf-config', viaStdin ? '-' : path, '--tokens', pick(['1T', '15T', '300B']), ...f.args];
      if (chance(0.7)) args.push('--cluster', pick(['h100x16k', 'colossus', 'selene']));
      cases.push({ kind: 'hf', args, stdin: viaStdin ? path : undefined, json: f.json, multiLine: false, names: /--hf-config|--[a-z]/ });
    } else if (roll < 0.65) {
      const dir = join(where.dir, `${n}-presets`);
      for (const kind of ['gpus', 'models', 'clusters'] as const) mkdirSync(join(dir, kind), { recursive: true });
      const names: Record<string, string> = {};
      for (const kind of ['gpus', 'models', 'clusters'] as const) {
        if (!chance(0.7)) continue;
        const base = pick(SHIPPED[kind]);
        // Half keep a built-in's name (an override), half are new presets.
        const name = chance(0.5) ? String(base['name']) : `fz${n}-${kind}`;
        names[kind] = name;
        let preset = { ...base, name } as Json;
        if (kind === 'clusters' && names['gpus'] && chance(0.7)) preset = { ...(preset as object), gpu: names['gpus'] };
        writeFileSync(join(dir, kind, `${name}.json`), fileBytes(mutations(preset, 0.6), random));
      }
      if (chance(0.4)) {
        const keys = Object.keys(DEFAULTS).filter(() => chance(0.3));
        const partial = Object.fromEntries(keys.map((k) => [k, DEFAULTS[k]]));
        writeFileSync(join(dir, 'defaults.json'), fileBytes(mutations(partial, 0.6), random));
      }
      if (chance(0.1)) symlinkSync(pick(where.kinds), join(dir, 'gpus', 'odd.json'));
      if (chance(0.4)) {
        cases.push({ kind: 'presets', args: ['presets', 'validate', dir], json: false, multiLine: true, names: /\S/ });
      } else {
        const command = chance(0.75) ? 'estimate' : 'solve';
        const f = format();
        const args = [command, '--presets-dir', dir, '--model', names['models'] ?? pick(['llama-405b', 'gpt-3', 'deepseek-v3']), ...f.args];
        if (names['clusters'] || chance(0.5)) args.push('--cluster', names['clusters'] ?? pick(['h100x16k', 'colossus']));
        else if (names['gpus']) args.push('--gpu', names['gpus'], '--gpus', pick(['8', '1024', '16k']));
        if (command === 'solve') args.push('--days', pick(['30', '100']));
        cases.push({ kind: 'presets', args, json: f.json, multiLine: false, names: /\S/ });
      }
    } else if (roll < 0.9) {
      const numbers = optionsFor('estimate').filter((o) => o.kind === 'number');
      const entry = (): Record<string, Json> => {
        const e: Record<string, Json> = { model: pick(['llama-405b', 'llama-70b', 'gpt-3', 'deepseek-v3']) };
        if (chance(0.5)) e['cluster'] = pick(['h100x16k', 'colossus', 'selene']);
        for (let k = Math.floor(random() * 3); k > 0; k--) {
          const o = pick(numbers);
          e[o.attr] = o.example !== undefined && chance(0.5) ? o.example : Number(o.example?.replace(/[^0-9.e]/g, '') || 1);
        }
        if (chance(0.3)) e['name'] = pick(HOSTILE_TEXT.slice(0, 7));
        return e;
      };
      const list: Json = Array.from({ length: chance(0.05) ? 300 : 2 + Math.floor(random() * 3) }, entry);
      const path = file('scenarios.json', fileBytes(mutations(list), random));
      const viaStdin = chance(0.15);
      const f = format();
      cases.push({ kind: 'scenarios', args: ['compare', '--scenarios', viaStdin ? '-' : path, ...f.args], stdin: viaStdin ? path : undefined, json: f.json, multiLine: false, names: /--scenarios|scenarios\.json|\(stdin\)|scenario "|--[a-z]/ });
    } else {
      const target = pick(where.kinds);
      const f = format();
      const r = random();
      if (r < 0.35) cases.push({ kind: 'file-kind', args: ['estimate', '--hf-config', target, '--tokens', '1T', ...f.args], json: f.json, multiLine: false, names: /^llmcost: --hf-config / });
      else if (r < 0.6) cases.push({ kind: 'file-kind', args: ['compare', '--scenarios', target, ...f.args], json: f.json, multiLine: false, names: /^llmcost: --scenarios / });
      else if (r < 0.8) {
        const flag = pick(['--hf-config', '--scenarios']);
        const args = flag === '--hf-config' ? ['estimate', '--hf-config', '-', '--tokens', '1T', ...f.args] : ['compare', '--scenarios', '-', ...f.args];
        cases.push({ kind: 'file-kind', args, stdin: target === join(where.dir, 'folder.json') || target.endsWith('missing.json') || target.endsWith('dangling.json') ? '/dev/null' : target, json: f.json, multiLine: false, names: new RegExp(`^llmcost: ${flag} \\(stdin\\)`) });
      } else cases.push({ kind: 'file-kind', args: ['presets', 'validate', target], json: false, multiLine: true, names: /presets validate/ });
    }
  }
  return cases;
}

function violations(c: Case, run: TimedRun): string[] {
  if (run.timedOut) return ['timed out (a hang)'];
  const bad: string[] = [];
  if (run.status !== 0 && run.status !== 2) bad.push(`exit code ${String(run.status)}`);
  if (/^\s+at .+[(:]\d+/m.test(run.stderr) || /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/.test(run.stderr)) bad.push('stack trace or JS error on stderr');
  // Nothing raw reaches the terminal, whatever the files held.
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(run.stdout + run.stderr)) bad.push('a raw control character in the output');
  const lines = run.stderr.split('\n');
  if (lines.some((l) => l.length > 1_000)) bad.push('a stderr line longer than 1,000 characters');
  if (run.status === 2) {
    if (run.stdout !== '') bad.push('stdout not empty on exit 2');
    if (!run.stderr.endsWith('\n')) bad.push('stderr does not end with a newline');
    if (!c.multiLine && lines.length !== 2) bad.push(`${lines.length - 1} lines on stderr, expected exactly 1`);
    if (!/^llmcost: \S/.test(lines.at(-2) ?? '')) bad.push('last stderr line does not start with "llmcost: "');
    if (!c.multiLine && !c.names.test(run.stderr)) bad.push(`the error does not name ${c.names.source}`);
  }
  if (run.status === 0) {
    if (run.stdout.trim() === '') bad.push('nothing on stdout on exit 0');
    const strays = lines.filter((l) => l !== '' && !/^llmcost: (warning|note): \S/.test(l) && !/^ {4}\S/.test(l));
    if (strays.length > 0) bad.push(`stderr on exit 0 holds more than warnings: ${strays[0]}`);
    if (c.json) {
      try {
        bad.push(...contentProblems(JSON.parse(run.stdout) as Record<string, unknown>));
      } catch {
        bad.push('stdout is not JSON');
      }
    } else if (/\bNaN\b|Infinity|undefined|\[object Object\]/.test(run.stdout)) bad.push('NaN/Infinity/undefined printed');
    else if (c.args.includes('csv') && /(^|,)-\d/m.test(run.stdout)) bad.push('a negative number in CSV');
  }
  return bad;
}

describe(`fuzz: ${CASES} generated input files (seed ${SEED})`, () => {
  it('HF configs, presets, defaults, scenario files and file kinds: exit 0 with sound content, or one line naming the file', async () => {
    const where = places();
    const cases = generate(rng(SEED), where);
    const started = Date.now();
    const runs = await mapPool(cases, CONCURRENCY, (c) => runCliAsync(c.args, {}, 20_000, c.stdin));
    const seconds = (Date.now() - started) / 1000;
    const failures = cases.flatMap((c, i) => {
      const run = runs[i] as TimedRun;
      const bad = violations(c, run);
      return bad.length === 0 ? [] : [`#${i} ${c.kind} ${JSON.stringify(c.args)}${c.stdin ? ` < ${c.stdin}` : ''}: ${bad.join('; ')}\n  exit ${String(run.status)}, stderr: ${run.stderr.slice(0, 300)}`];
    });
    const byKind = new Map<string, [number, number]>();
    cases.forEach((c, i) => {
      const [ok, err] = byKind.get(c.kind) ?? [0, 0];
      byKind.set(c.kind, runs[i]?.status === 0 ? [ok + 1, err] : [ok, err + 1]);
    });
    const exits = runs.filter((r) => r.status === 0).length;
    console.log(`fuzz-files: ${CASES} cases (seed ${SEED}) in ${seconds.toFixed(1)} s: ${exits} exit 0, ${CASES - exits} exit 2; ${[...byKind].map(([k, [ok, err]]) => `${k} ${ok}/${err}`).join(', ')}`);
    if (process.env['LLMCOST_FUZZ_VERBOSE']) {
      const counts = new Map<string, number>();
      for (const r of runs) if (r.status === 2) counts.set(r.stderr.replace(/\/tmp\/\S+/g, 'PATH').slice(0, 70), (counts.get(r.stderr.replace(/\/tmp\/\S+/g, 'PATH').slice(0, 70)) ?? 0) + 1);
      console.log([...counts].sort((x, y) => y[1] - x[1]).map(([k, n]) => `${n}\t${k}`).join('\n'));
    }
    expect(failures, failures.slice(0, 12).join('\n')).toEqual([]);
    // Both outcomes must be reached, or the contract is only half checked.
    expect(exits).toBeGreaterThan(CASES / 10);
    expect(CASES - exits).toBeGreaterThan(CASES / 10);
  }, 120_000);
});

describe('the content check itself', () => {
  it('flags empty results, a nested {}, a negative or a non-finite number, and passes a sound document', () => {
    expect(contentProblems({ command: 'estimate', results: {}, inputs: {} })).toEqual(['results missing or {}', '{} at $.results']);
    expect(contentProblems({ command: 'estimate', results: { params: -4.2e9, memory: {} }, inputs: { gpus: { value: 8 } } })).toEqual(['{} at $.results.memory', 'negative $.results.params = -4200000000']);
    expect(contentProblems({ command: 'compare', scenarios: [{ results: { a: 1 } }] })).toEqual(['compare with fewer than two scenarios']);
    expect(contentProblems({ command: 'estimate', results: { wallClockDays: 61.2, range: [50, 70] }, inputs: { mfu: { value: 0.4 } } })).toEqual([]);
  });
});
