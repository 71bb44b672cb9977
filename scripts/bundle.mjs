// Bundles the CLI (src/bin.ts and everything it imports) with esbuild into dist/bin.js and its
// lazily loaded chunks in dist/chunks/, so that start-up reads a few files instead of ~60 modules and
// compiles only the code the command runs. The library (dist/index.js and its
// .d.ts) stays as tsc emits it. Run after tsc: `npm run build` does both.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
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

/**
 * cli-table3 (with emoji-regex and colors, ~34 kB) is needed only to draw tables, but several
 * commands construct tables synchronously. It is bundled on its own as dist/cli-table3.cjs and
 * `import Table from 'cli-table3'` becomes a stand-in whose constructor require()s it on first use,
 * so the code is read and compiled only by a command that draws a table.
 */
const lazyCliTable = {
  name: 'lazy-cli-table3',
  setup(b) {
    b.onResolve({ filter: /^cli-table3$/ }, (args) =>
      args.importer.includes('/node_modules/') ? undefined : { path: 'lazy-cli-table3', namespace: 'llmcost' },
    );
    b.onLoad({ filter: /^lazy-cli-table3$/, namespace: 'llmcost' }, () => ({
      contents: `import { createRequire } from 'node:module';
let Real;
/** Stand-in for cli-table3's Table: loads dist/cli-table3.cjs on first use and returns a real table. */
export default function Table(options) {
  Real ??= createRequire(import.meta.url)(import.meta.url.includes('/chunks/') ? '../cli-table3.cjs' : './cli-table3.cjs');
  return new Real(options);
}`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

// Chunk names carry a content hash: remove the previous build's.
rmSync(`${root}dist/chunks`, { recursive: true, force: true });

await build({
  entryPoints: [`${root}node_modules/cli-table3/index.js`],
  outfile: `${root}dist/cli-table3.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const result = await build({
  entryPoints: [`${root}src/bin.ts`],
  // dist/bin.js (commander and the option registry: enough for --help) plus chunks that the dynamic
  // imports load: `estimate --json` compiles about half of the code (no cli-table3, chalk,
  // asciichart, sweep or compare), which measured faster than one file despite the extra files.
  outdir: `${root}dist`,
  entryNames: '[name]',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // cli-table3 and commander are CommonJS and require() node built-ins.
  banner: { js: "import { createRequire as __llmcostRequire } from 'node:module';\nconst require = __llmcostRequire(import.meta.url);" },
  plugins: [onlyEnglishZodLocales, lazyChildProcess, lazyCliTable],
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.entries(result.metafile.outputs);
const kb = (n) => `${(n / 1024).toFixed(0)} kB`;
const entry = outputs.find(([path]) => path.endsWith('bin.js'))?.[1];
console.log(`bundled dist/bin.js (${kb(entry?.bytes ?? 0)}) and ${outputs.length - 1} chunks in dist/chunks/ (${kb(outputs.reduce((n, [, o]) => n + o.bytes, 0))} in all)`);
