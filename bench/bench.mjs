#!/usr/bin/env node
// Start-up and throughput of the built CLI (a script, not a test): `npm run bench`.
//  1. start-up: `llmcost estimate --model llama-405b --cluster h100x16k --json` against `node -e 0`,
//     alternating, RUNS each, medians and their ratio (target <= 1.5);
//  2. throughput of sweeps to NDJSON written to /dev/null, in points per second (target >= 200,000):
//     100,000 points (default rows: the table's columns) timed as a whole process, start-up
//     included, and without it (minus a 1-point sweep timed alongside); 1,000,000 points (the
//     largest sweep); and 100,000 full rows (--fields all, ~45 numbers a row), for comparison.
// Options: --runs N (default 15), --sweeps N (default 5, the median is reported), --json,
// --bin PATH (another build's entry, e.g. an older checkout, to compare), --no-sweep.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const text = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const option = (name, fallback) => Number(text(name, fallback));
const RUNS = Math.max(10, option('runs', 15));
const SWEEPS = Math.max(1, option('sweeps', 5));
const BIN = text('bin', fileURLToPath(new URL('../dist/llmcost.cjs', import.meta.url)));
const SWEEP_TOO = !args.includes('--no-sweep');
if (!existsSync(BIN)) {
  console.error('bench: dist/llmcost.cjs not found; run `npm run build` first');
  process.exit(2);
}

const ESTIMATE = [BIN, 'estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--json'];
const BARE = ['-e', '0'];
const sweepOf = (spec, ...extra) => [BIN, 'sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--vary', spec, '--format', 'ndjson', ...extra];
// 100,000 GPU counts from 1k to 100M in steps of 1k; 1,000,000 from 1 to 1M.
const POINTS = 100_000;
const SWEEP = sweepOf('gpus=1k:100M:1k');
const SWEEP_ONE = sweepOf('gpus=1k:1k:1k');
const BIG_POINTS = 1_000_000;
const SWEEP_BIG = sweepOf('gpus=1:1M:1');
const SWEEP_ALL = sweepOf('gpus=1k:100M:1k', '--fields', 'all');

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

// Sanity: the sweeps really print one line per point.
for (const [argv, points] of SWEEP_TOO ? [[SWEEP, POINTS], [SWEEP_BIG, BIG_POINTS]] : []) {
  const check = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  if (check.status !== 0) throw new Error(`sweep exited ${check.status}: ${check.stderr}`);
  let lines = 0;
  for (let i = check.stdout.indexOf('\n'); i !== -1; i = check.stdout.indexOf('\n', i + 1)) lines++;
  if (lines !== points) throw new Error(`sweep printed ${lines} lines, expected ${points}`);
}

time(BARE);
time(ESTIMATE); // warm the file cache
const bare = [];
const cli = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(time(BARE));
  cli.push(time(ESTIMATE));
}
const sweeps = [];
const ones = [];
const bigs = [];
const alls = [];
for (let i = 0; SWEEP_TOO && i < SWEEPS; i++) {
  ones.push(time(SWEEP_ONE));
  sweeps.push(time(SWEEP));
  alls.push(time(SWEEP_ALL));
  if (i < 3) bigs.push(time(SWEEP_BIG));
}
closeSync(devNull);

const result = {
  node: process.version,
  runs: RUNS,
  bareMs: Number(median(bare).toFixed(1)),
  estimateMs: Number(median(cli).toFixed(1)),
  startupRatio: Number((median(cli) / median(bare)).toFixed(2)),
  ...(SWEEP_TOO
    ? {
        sweepPoints: POINTS,
        sweepMs: Number(median(sweeps).toFixed(0)),
        pointsPerSecond: Math.round(POINTS / (median(sweeps) / 1000)),
        onePointSweepMs: Number(median(ones).toFixed(0)),
        pointsPerSecondWithoutStartup: Math.round((POINTS - 1) / ((median(sweeps) - median(ones)) / 1000)),
        bigSweepPoints: BIG_POINTS,
        bigSweepMs: Number(median(bigs).toFixed(0)),
        bigPointsPerSecond: Math.round(BIG_POINTS / (median(bigs) / 1000)),
        fullRowsMs: Number(median(alls).toFixed(0)),
        fullRowsPointsPerSecond: Math.round(POINTS / (median(alls) / 1000)),
      }
    : {}),
};
if (args.includes('--json')) console.log(JSON.stringify(result));
else {
  const ok = (pass) => (pass ? 'ok' : 'MISSED');
  console.log(`node ${result.node}, ${RUNS} alternating runs each, medians`);
  console.log(`start-up: node -e 0 ${result.bareMs} ms, llmcost estimate --json ${result.estimateMs} ms, ratio ${result.startupRatio} (target <= 1.5: ${ok(result.startupRatio <= 1.5)})`);
  if (SWEEP_TOO) {
    const rate = (n) => `${n.toLocaleString('en-US')} points/s (target >= 200,000: ${ok(n >= 200_000)})`;
    console.log(`sweeps to NDJSON on /dev/null, medians of ${SWEEPS} (3 for 1,000,000 points):`);
    console.log(`  100,000 points, default rows: ${result.sweepMs} ms, start-up included: ${rate(result.pointsPerSecond)}`);
    console.log(`    without start-up (a 1-point sweep: ${result.onePointSweepMs} ms): ${rate(result.pointsPerSecondWithoutStartup)}`);
    console.log(`  1,000,000 points, default rows: ${result.bigSweepMs} ms, start-up included: ${rate(result.bigPointsPerSecond)}`);
    console.log(`  100,000 points, --fields all (~45 numbers a row): ${result.fullRowsMs} ms: ${result.fullRowsPointsPerSecond.toLocaleString('en-US')} points/s`);
  }
}
