#!/usr/bin/env node
// Start-up and throughput of the built CLI (a script, not a test): `npm run bench`.
//  1. start-up: `llmcost estimate --model llama-405b --cluster h100x16k --json` against `node -e 0`,
//     alternating, RUNS each, medians and their ratio (target <= 1.5);
//  2. throughput: a 100,000-point sweep to NDJSON written to /dev/null, points per second of the whole
//     process, start-up included (target >= 200,000).
// Options: --runs N (default 15), --sweeps N (default 5, the median is reported), --json,
// --bin PATH (another build's bin.js, e.g. an older checkout, to compare), --no-sweep.
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
// 100,000 GPU counts from 1k to 100M in steps of 1k.
const POINTS = 100_000;
const SWEEP = [BIN, 'sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--vary', 'gpus=1k:100M:1k', '--format', 'ndjson'];
// The same rows with four results instead of all (~45 numbers, ~2 kB a row): what a script that
// picks its columns gets.
const SWEEP_FIELDS = [...SWEEP, '--fields', 'wallClockDays,gpuHours,capexUsd,energyKwh'];

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

// Sanity: the sweep really prints one line per point.
const check = !SWEEP_TOO ? undefined : spawnSync(process.execPath, SWEEP, { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
if (check && check.status !== 0) throw new Error(`sweep exited ${check.status}: ${check.stderr}`);
const lines = check ? check.stdout.split('\n').filter(Boolean).length : POINTS;
if (lines !== POINTS) throw new Error(`sweep printed ${lines} lines, expected ${POINTS}`);

time(BARE);
time(ESTIMATE); // warm the file cache
const bare = [];
const cli = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(time(BARE));
  cli.push(time(ESTIMATE));
}
const sweeps = [];
const sweepsFields = [];
for (let i = 0; SWEEP_TOO && i < SWEEPS; i++) {
  sweeps.push(time(SWEEP));
  sweepsFields.push(time(SWEEP_FIELDS));
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
        sweepFieldsMs: Number(median(sweepsFields).toFixed(0)),
        pointsPerSecondFields: Math.round(POINTS / (median(sweepsFields) / 1000)),
      }
    : {}),
};
if (args.includes('--json')) console.log(JSON.stringify(result));
else {
  const ok = (pass) => (pass ? 'ok' : 'MISSED');
  console.log(`node ${result.node}, ${RUNS} alternating runs each, medians`);
  console.log(`start-up: node -e 0 ${result.bareMs} ms, llmcost estimate --json ${result.estimateMs} ms, ratio ${result.startupRatio} (target <= 1.5: ${ok(result.startupRatio <= 1.5)})`);
  if (SWEEP_TOO) {
    console.log(
      `sweep: ${POINTS.toLocaleString('en-US')} points to NDJSON on /dev/null in ${result.sweepMs} ms (median of ${SWEEPS}, start-up included): ${result.pointsPerSecond.toLocaleString('en-US')} points/s (target >= 200,000: ${ok(result.pointsPerSecond >= 200_000)})`,
    );
    console.log(
      `sweep --fields (4 results a row): ${result.sweepFieldsMs} ms: ${result.pointsPerSecondFields.toLocaleString('en-US')} points/s (target >= 200,000: ${ok(result.pointsPerSecondFields >= 200_000)})`,
    );
  }
}
