import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseQuantity } from '../../src/core/units.js';

/**
 * Issue 14: the package as npm installs it. `npm pack` (its scripts skipped: the suite has built
 * dist/ already, and a rebuild would race the other test files) is unpacked into a project's
 * node_modules with nothing beside it, no dependency installed; then the CLI runs, the library is
 * imported and required, and TypeScript consumers compile, or must not.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
let files: string[] = [];
let project = '';

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'llmcost-pack-'));
  const packed = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  if (!info) throw new Error('npm pack printed no package');
  files = info.files.map((f) => f.path);
  project = join(out, 'user');
  mkdirSync(join(project, 'node_modules', 'llmcost'), { recursive: true });
  const untar = spawnSync('tar', ['-xzf', join(out, info.filename), '-C', join(project, 'node_modules', 'llmcost'), '--strip-components', '1']);
  if (untar.status !== 0) throw new Error(`tar failed: ${String(untar.stderr)}`);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
}, 120_000);

/** Runs node on a file of the user project (no NODE_PATH, nothing but the unpacked package). */
function node(name: string, code: string): { stdout: string; stderr: string; status: number | null } {
  writeFileSync(join(project, name), code);
  const run = spawnSync(process.execPath, [name], { cwd: project, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', XDG_CONFIG_HOME: '/nonexistent/llmcost-tests' } });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

/** Type-checks one file of the user project with strict settings and skipLibCheck off; returns tsc's output. */
function tsc(name: string, code: string, module: 'NodeNext' = 'NodeNext'): { output: string; status: number | null } {
  writeFileSync(join(project, name), code);
  const config = `tsconfig-${name}.json`;
  writeFileSync(
    join(project, config),
    JSON.stringify({ compilerOptions: { module, moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: [name] }),
  );
  const run = spawnSync(process.execPath, [TSC, '-p', config], { cwd: project, encoding: 'utf8' });
  return { output: run.stdout + run.stderr, status: run.status };
}

describe('npm pack', () => {
  it('holds the built CLI, the library, its declarations, the presets, README and LICENSE', () => {
    for (const file of ['dist/llmcost.cjs', 'dist/presets.json', 'dist/index.js', 'dist/index.d.ts', 'dist/api.d.ts', 'presets/defaults.json', 'presets/gpus/h100.json', 'README.md', 'LICENSE', 'package.json']) {
      expect(files).toContain(file);
    }
    expect(files.some((f) => /^dist\/cli-[0-9a-f]+\.cjs$/.test(f))).toBe(true);
    expect(files.some((f) => /^dist\/cli-[0-9a-f]+\.cache$/.test(f))).toBe(true);
  });

  it('holds no sources, tests or per-module build output (the bundles replace them)', () => {
    expect(files.filter((f) => /^(src|test|bench|scripts|node_modules)\//.test(f) || (/^dist\/.+\//.test(f) && !f.endsWith('.d.ts')))).toEqual([]);
  });

  it('declares no dependency: zod, commander, chalk, cli-table3 and asciichart are bundled', () => {
    expect(pkg['dependencies'] ?? {}).toEqual({});
    expect(pkg['peerDependencies']).toBeUndefined();
    expect(pkg['scripts']).toMatchObject({ prepack: 'npm run build' });
    expect(pkg['license']).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    const repo = (pkg['repository'] as { url: string }).url.replace(/^git\+|\.git$/g, '');
    expect((pkg['bugs'] as { url: string }).url).toBe(`${repo}/issues`);
    expect(pkg['homepage']).toBe(`${repo}#readme`);
  });

  it('the installed CLI runs with no node_modules beside it', () => {
    const run = spawnSync(process.execPath, [join(project, 'node_modules', 'llmcost', 'dist', 'llmcost.cjs'), 'estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--json'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', XDG_CONFIG_HOME: '/nonexistent/llmcost-tests' },
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).results.wallClockDays).toBeGreaterThan(60);
  });

  it("import and require('llmcost') both work (Node >= 20.19 requires ES modules)", () => {
    const esm = node('esm.mjs', "import { estimate, UsageError } from 'llmcost';\nconsole.log(estimate({ model: 'llama-8b' }).results.gpus, typeof UsageError);\n");
    expect(esm.stderr).toBe('');
    expect(esm.stdout).toBe('100000 function\n');
    const cjs = node('cjs.cjs', "const { solve, PresetError } = require('llmcost');\nconsole.log(solve({ model: 'llama-8b', days: 1 }).results.solvedFor, typeof PresetError);\n");
    expect(cjs.stderr).toBe('');
    expect(cjs.stdout).toBe('gpus function\n');
  });

  it('a JavaScript caller that misspells an option gets an error, not a silent default', () => {
    const run = node('typo.mjs', "import { estimate } from 'llmcost';\ntry { estimate({ modle: 'llama-405b' }); } catch (e) { console.log(e.name, e.message); }\n");
    expect(run.stdout).toMatch(/^UsageError estimate: unknown option "modle"; did you mean "model"/);
  });
});

describe('TypeScript consumers of the packed declarations', () => {
  it('a correct consumer compiles (strict, skipLibCheck off, no other package installed)', () => {
    const run = tsc(
      'good.ts',
      `import { estimate, solve, loadPresets, UsageError, PresetError, ComputeError, type EstimateOptions, type EstimateDocument, type PresetSet } from 'llmcost';
const options: EstimateOptions = { model: 'llama-405b', cluster: 'h100x16k', precision: 'bf16', mfu: '40%', gpus: 16384, failures: false };
const doc: EstimateDocument = estimate(options);
const days: number = doc.results.wallClockDays;
const range: [number, number] | undefined = doc.results.wallClockDaysRange;
const capex: number | undefined = doc.results.capexUsd;
const goodput: number | undefined = doc.results.reliability?.goodput;
const fits: boolean | undefined = doc.results.memory?.fits;
const origin: string = doc.inputs.gpu.origin;
const presets: PresetSet = loadPresets();
const peak: number | undefined = presets.gpus.get('h100')?.peakTflops.bf16?.value;
const solved = solve({ model: 'llama-405b', days: 30, for: 'gpus' }, presets);
const gpus: number = solved.results.gpus;
const errors = [UsageError, PresetError, ComputeError].map((E) => new E('x') instanceof Error);
export { days, range, capex, goodput, fits, origin, peak, gpus, errors };
`,
    );
    expect(run.output).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);

  it('a wrong consumer does not compile, with an error on each misuse', () => {
    const cases = [
      "estimate({ modle: 'llama-405b' });",
      'estimate({ noFailures: true });',
      'estimate({ days: 100 });',
      "estimate({ precision: 'bf17' });",
      "solve({ for: 'everything', days: 1 });",
      "const d: string = estimate({ model: 'llama-8b' }).results.wallClockDays;",
      "const c: number = estimate({ model: 'llama-8b' }).results.capexUsd;",
      "estimate({ model: 'llama-8b' }).results.wallClockDayz;",
    ];
    const run = tsc('bad.ts', `import { estimate, solve } from 'llmcost';\n${cases.join('\n')}\n`);
    expect(run.status).not.toBe(0);
    // One error per line of misuse (lines 2 to 9), nothing else.
    const lines = [...run.output.matchAll(/^bad\.ts\((\d+),\d+\): error/gm)].map((m) => Number(m[1]));
    expect([...new Set(lines)]).toEqual(cases.map((_, i) => i + 2));
    expect(run.output).not.toMatch(/node_modules/);
  }, 60_000);
});

/**
 * The README's Library API snippet, as a user copies it: it must compile against the packed
 * declarations and, run, give what its `// ≈` comments say (it once said 77.0 days where the call
 * returned 85.3). Each commented line is instrumented: a `const` reports its value, a console call
 * what it prints.
 */
describe("the README's Library API snippet", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const snippet = /## Library API\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const lines = snippet.split('\n');
  const expected = new Map<number, string>();
  const instrumented = lines.map((line, i) => {
    const at = line.indexOf(' // ≈ ');
    if (at === -1) return line;
    const code = line.slice(0, at);
    expected.set(i, line.slice(at + ' // ≈ '.length));
    const constant = /^\s*const (\w+)\b[^=]*=.*;$/.exec(code);
    if (constant) return `${code} __check(${i}, ${constant[1]});`;
    if (/console\.(log|error)\(/.test(code)) return code.replace(/console\.(log|error)\(/, `__print(${i}, `);
    throw new Error(`README snippet line ${i + 1}: a "// ≈" comment on a line that is neither a const nor a console call`);
  });

  it('has checked lines', () => {
    expect(expected.size).toBeGreaterThanOrEqual(4);
  });

  it('compiles against the packed declarations and gives what its comments say', () => {
    const declarations = 'declare function __check(line: number, value: unknown): void;\ndeclare function __print(line: number, ...values: unknown[]): void;\n';
    writeFileSync(join(project, 'readme.ts'), `${instrumented.join('\n')}\n${declarations}`);
    writeFileSync(
      join(project, 'tsconfig-readme.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, skipLibCheck: false, types: [], outDir: 'readme-out' }, files: ['readme.ts'] }),
    );
    const compiled = spawnSync(process.execPath, [TSC, '-p', 'tsconfig-readme.json'], { cwd: project, encoding: 'utf8' });
    expect(compiled.stdout + compiled.stderr).toBe('');
    writeFileSync(
      join(project, 'readme-globals.mjs'),
      'const seen = [];\nglobalThis.__check = (line, value) => seen.push([line, [value]]);\nglobalThis.__print = (line, ...values) => seen.push([line, values]);\nprocess.on("exit", () => process.stdout.write(JSON.stringify(seen)));\n',
    );
    const run = spawnSync(process.execPath, ['--import', './readme-globals.mjs', 'readme-out/readme.js'], { cwd: project, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', XDG_CONFIG_HOME: '/nonexistent/llmcost-tests' } });
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout) as Array<[number, unknown[]]>;
    expect(seen.map(([line]) => line).sort((a, b) => a - b)).toEqual([...expected.keys()]);
    for (const [line, values] of seen) {
      const comment = expected.get(line) ?? '';
      const tokens = [...(/^((?:"(?:[^"\\]|\\.)*"|[\d.][\w.+-]*)(?:, (?:"(?:[^"\\]|\\.)*"|[\d.][\w.+-]*))*)/.exec(comment)?.[1] ?? '').matchAll(/"(?:[^"\\]|\\.)*"|[\d.][\w.+-]*/g)].map((m) => m[0]);
      const where = `README snippet line ${line + 1}: "// ≈ ${comment}" but it gives ${JSON.stringify(values)}`;
      expect(tokens.length, where).toBe(values.length);
      tokens.forEach((token, k) => {
        const value = values[k];
        if (token.startsWith('"')) {
          const text = JSON.parse(token) as string;
          if (text.endsWith(' ...')) expect(String(value).startsWith(text.slice(0, -4)), where).toBe(true);
          else expect(value, where).toBe(text);
          return;
        }
        const figure = parseQuantity(token);
        if (!figure.ok || typeof value !== 'number') throw new Error(where);
        // The comment rounds to 3 significant digits.
        expect(Math.abs(value / figure.value - 1), where).toBeLessThan(0.005);
      });
    }
  }, 60_000);
});
