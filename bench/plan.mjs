#!/usr/bin/env node
// Speed of the plan search (issue 10), a script, not a test: `npm run bench:plan` (after a build).
//  1. whole process: `llmcost plan --model llama-405b --cluster h100x16k --json` against `node -e 0`,
//     alternating, RUNS each, medians, their ratio and the absolute time (target <= 1 s);
//  2. plans per second: the full search against the same command with every knob fixed by flag
//     (one plan: the same start-up, presets and resolve), alternating; plans searched / the
//     difference of the medians, and the same for the plans evaluated (memory and step time).
// Options: --runs N (default 15), --json, --bin PATH (another build's entry).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const text = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const RUNS = Math.max(5, Number(text('runs', 15)));
const BIN = text('bin', fileURLToPath(new URL('../dist/llmcost.cjs', import.meta.url)));
if (!existsSync(BIN)) {
  console.error('bench/plan: dist/llmcost.cjs not found; run `npm run build` first');
  process.exit(2);
}

const PLAN = [BIN, 'plan', '--model', 'llama-405b', '--cluster', 'h100x16k', '--json'];
const ONE = [...PLAN, '--tensor-parallel', '8', '--pipeline-parallel', '16', '--context-parallel', '1', '--micro-batch', '1', '--virtual-stages', '8', '--recompute', 'selective', '--zero', '1'];
const BARE = ['-e', '0'];

const devNull = openSync('/dev/null', 'w');
/** Runs node with `argv`, stdout to /dev/null; returns wall-clock milliseconds (throws on a non-zero exit). */
function time(argv) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, argv, { stdio: ['ignore', devNull, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// What the search did (also a sanity check: at least 10,000 plans, a plan that fits).
const check = spawnSync(process.execPath, PLAN, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
if (check.status !== 0) throw new Error(`plan exited ${check.status}: ${check.stderr}`);
const doc = JSON.parse(check.stdout);
const evaluated = doc.feasible + (doc.rejected['does not fit in GPU memory'] ?? 0);
if (doc.searched < 10_000 || doc.plans.length === 0) throw new Error(`plan searched ${doc.searched} plans, found ${doc.plans.length}`);
const one = JSON.parse(spawnSync(process.execPath, ONE, { encoding: 'utf8' }).stdout);
if (one.searched !== 1) throw new Error(`the fixed plan searched ${one.searched} plans, expected 1`);

time(BARE);
time(PLAN); // warm the file cache
const bare = [];
const full = [];
const single = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(time(BARE));
  full.push(time(PLAN));
  single.push(time(ONE));
}
closeSync(devNull);
const result = {
  node: process.version,
  runs: RUNS,
  searched: doc.searched,
  evaluated,
  bareMs: median(bare),
  planMs: median(full),
  onePlanMs: median(single),
};
result.ratio = result.planMs / result.bareMs;
const searchMs = Math.max(1e-3, result.planMs - result.onePlanMs);
result.plansPerSecond = (doc.searched - 1) / (searchMs / 1000);
result.evaluatedPerSecond = (evaluated - 1) / (searchMs / 1000);
if (args.includes('--json')) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const f = (n) => Math.round(n).toLocaleString('en-US');
  console.log(`node ${result.node}, ${RUNS} alternating runs each, medians`);
  console.log(`plan --model llama-405b --cluster h100x16k: ${f(result.searched)} plans searched, ${f(evaluated)} evaluated (memory and step time; the rest rejected by rule)`);
  console.log(`whole process: ${result.planMs.toFixed(1)} ms (target <= 1,000 ms: ${result.planMs <= 1000 ? 'ok' : 'MISSED'}); node -e 0 ${result.bareMs.toFixed(1)} ms, ratio ${result.ratio.toFixed(2)}`);
  console.log(`search: ${searchMs.toFixed(1)} ms over the one-plan run (${result.onePlanMs.toFixed(1)} ms): ${f(result.plansPerSecond)} plans/s searched, ${f(result.evaluatedPerSecond)} plans/s evaluated`);
}
