// Builds the CLI for a fast start (run after tsc: `npm run build` does both). Measured with
// `npm run bench`; the README's performance section has the figures. It writes:
//  - dist/presets.json: the built-in presets, validated here once (a build with an invalid preset
//    fails), so that the CLI reads one file instead of parsing ~45 files with zod at every start,
//    with their run calibration computed, each preset's JSON parsed only when asked for
//    (src/presets/compiled-text.ts);
//  - dist/cli-<hash>.cjs: src/bin.ts and everything it imports, one CommonJS file (esbuild). An ES
//    module entry costs Node its ESM loader (async resolve, read and link of every file), ~10 ms
//    more than a CommonJS file here; code for other commands is bundled but not run;
//  - dist/cli-<hash>.cache: V8's code cache of that file after a run of `estimate`, so that start-up
//    does not parse and compile it again (~20 ms here). V8 checks the cache against its own version
//    and flags and ignores it on a mismatch; the file name ties it to the exact bundle;
//  - dist/llmcost.cjs: the `llmcost` command, a loader that compiles the bundle with its cache.
// The library (dist/index.js and its .d.ts) stays as tsc emits it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist/`;
const zodLocales = new URL('../node_modules/zod/v4/locales/en.js', import.meta.url);

/**
 * zod's index re-exports every locale (z.locales.*, ~260 kB of the bundle); the CLI only uses the
 * English messages zod sets by default, so the locales namespace is cut down to `en`.
 */
const onlyEnglishZodLocales = {
  name: 'only-english-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${'/node_modules/zod/'}`) ? { path: 'zod-locales-en', namespace: 'llmcost' } : undefined,
    );
    b.onLoad({ filter: /^zod-locales-en$/, namespace: 'llmcost' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(fileURLToPath(zodLocales))};`,
      resolveDir: root,
    }));
  },
};

/**
 * commander requires node:child_process at load for executable subcommands, which llmcost has none
 * of; loading it costs a few ms of every start-up, so it is required only if commander ever uses it.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('/node_modules/commander/') ? { path: 'lazy-child-process', namespace: 'llmcost' } : undefined,
    );
    b.onLoad({ filter: /^lazy-child-process$/, namespace: 'llmcost' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

{
  const { loadPresets } = await import(`${dist}presets/load.js`);
  const { compilePresets } = await import(`${dist}presets/compiled.js`);
  const { compiledPresetsText } = await import(`${dist}presets/compiled-text.js`);
  writeFileSync(`${dist}presets.json`, compiledPresetsText(compilePresets(loadPresets())));
}

const result = await build({
  entryPoints: [`${root}src/bin.ts`],
  write: false,
  outfile: `${dist}cli.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // The bundle runs from dist/cli-<hash>.cjs: import.meta.url is that file's URL.
  define: { 'import.meta.url': '__llmcostUrl' },
  banner: { js: 'var __llmcostUrl=require("node:url").pathToFileURL(__filename).href;' },
  plugins: [onlyEnglishZodLocales, lazyChildProcess],
  logLevel: 'warning',
});
// The loader wraps the bundle in a function (as Node does for CommonJS): no "#!" line inside it.
const code = result.outputFiles[0].text.replace(/^#!.*\n/, '');
const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
const bundle = `cli-${hash}.cjs`;

// The previous build's files (and those of the earlier ESM build: bin.js, chunks/).
for (const name of readdirSync(dist)) if (/^cli-[0-9a-f]+\.(cjs|cache)$/.test(name) || /^bin\.(js|d\.ts)$/.test(name)) rmSync(`${dist}${name}`);
rmSync(`${dist}chunks`, { recursive: true, force: true });
rmSync(`${dist}cli-table3.cjs`, { force: true });
writeFileSync(`${dist}${bundle}`, code);

/** The loader, shared by dist/llmcost.cjs and the code-cache run below (the same wrapped source). */
const loader = (cacheLine) => `'use strict';
// llmcost's command: compiles ${bundle} with V8's code cache ${bundle.replace(/cjs$/, 'cache')}
// (written by scripts/bundle.mjs; V8 ignores a cache of another version or flags), then runs it.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const Module = require('node:module');
const file = join(__dirname, ${JSON.stringify(bundle)});
let cachedData;
try {
  cachedData = readFileSync(file.replace(/cjs$/, 'cache'));
} catch {}
const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
${cacheLine}const module_ = { exports: {} };
script.runInThisContext()(module_.exports, Module.createRequire(file), module_, file, __dirname);
`;
writeFileSync(`${dist}llmcost.cjs`, `#!/usr/bin/env node\n${loader('')}`, { mode: 0o755 });

// The cache: compile and run \`estimate\` once (the common path), then save what V8 compiled.
const warm = `${dist}code-cache-run.cjs`;
writeFileSync(warm, loader("process.on('exit', () => require('node:fs').writeFileSync(file.replace(/cjs$/, 'cache'), script.createCachedData()));\n"));
const run = spawnSync(process.execPath, [warm, 'estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--json'], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, NO_COLOR: '1' },
});
rmSync(warm);
if (run.status !== 0) throw new Error(`bundle: the code-cache run failed: ${run.stderr}`);

// The library: dist/index.js as one ES module with what it imports (zod among them) inlined, over
// tsc's dist/index.js, so that the package has no dependencies and a global install of the CLI
// pulls nothing (zod alone is 8.2 MB installed). Node >= 20.19 also loads it with require(). The
// declarations stay as tsc writes them; scripts/public-types.mjs keeps them free of those packages.
const library = await build({
  entryPoints: [`${root}src/index.ts`],
  outfile: `${dist}index.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  // The CommonJS packages inlined (cli-table3's) call require(): give the module one.
  banner: { js: "import { createRequire as __llmcostRequire } from 'node:module';\nconst require = __llmcostRequire(import.meta.url);" },
  plugins: [onlyEnglishZodLocales],
  logLevel: 'warning',
  metafile: true,
});

const kb = (n) => `${(n / 1024).toFixed(0)} kB`;
console.log(`bundled dist/index.js, the library (${kb(Object.values(library.metafile.outputs)[0].bytes)}, no dependencies)`);
console.log(`bundled dist/llmcost.cjs + dist/${bundle} (${kb(code.length)}, code cache written)`);
