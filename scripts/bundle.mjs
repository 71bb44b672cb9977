// Bundles the CLI (src/bin.ts and everything it imports) into dist/bin.js plus lazily loaded chunks in
// dist/chunks/, so that start-up reads and compiles a few files instead of ~200 modules, and only
// the code a command runs. The library (dist/index.js and its
// .d.ts) stays as tsc emits it. Run after tsc: `npm run build` does both.
import { build } from 'esbuild';
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

const result = await build({
  entryPoints: [`${root}src/bin.ts`],
  outdir: `${root}dist`,
  entryNames: '[name]',
  // Each lazily imported module group becomes its own chunk: `--help` and `estimate --json` compile
  // only what they run (no cli-table3, chalk, asciichart, compare or sweep code).
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
  plugins: [onlyEnglishZodLocales],
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.entries(result.metafile.outputs);
const kb = (n) => `${(n / 1024).toFixed(0)} kB`;
const entry = outputs.find(([path]) => path.endsWith('dist/bin.js'))?.[1];
console.log(`bundled dist/bin.js (${kb(entry?.bytes ?? 0)}) + ${outputs.length - 1} lazily loaded chunks in dist/chunks (${kb(outputs.reduce((n, [, o]) => n + o.bytes, 0))} in all)`);
