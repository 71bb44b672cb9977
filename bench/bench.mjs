#!/usr/bin/env node
// Start-up and throughput of the built CLI (a script, not a test): `npm run bench`. Every figure is
// measured as interleaved runs in this one process (so a busy machine slows the figures it compares
// alike) and reported as a median and a range:
//  1. start-up: `llmcost estimate --model llama-405b --cluster h100x16k --json` against `node -e 0`,
//     alternating, RUNS each: medians and their ratio (target <= 1.15); then the same pairs' CPU time
//     (user + system of every thread, from process.cpuUsage() at exit, through a preloaded hook given
//     to both): a busy machine stretches wall-clock far more than CPU time, so this ratio is the
//     steadier of the two on a shared machine (the target is the wall-clock one);
//  2. sweeps to NDJSON on /dev/null, default rows (the table's columns), as whole processes, start-up
//     included: 1,000,000 points (target >= 250,000 points/s), 100,000 points, and the 100,000 without
//     start-up (minus a 1-point sweep timed alongside);
//  3. 1,000,000 points of every result (--fields all) as CSV: rate and peak resident memory (target
//     < 200 MB), measured by a preloaded hook that reports the process's maxRSS at exit.
// Options: --runs N (default 15), --sweeps N (default 5), --all-runs N (default 2; each takes about a
// minute), --json, --bin PATH (another build's entry, to compare), --no-sweep, --no-all.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const text = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const option = (name, fallback) => Number(text(name, fallback));
const RUNS = Math.max(10, option('runs', 15));
const SWEEPS = Math.max(1, option('sweeps', 5));
const ALL_RUNS = Math.max(1, option('all-runs', 2));
const BIN = text('bin', fileURLToPath(new URL('../dist/llmcost.cjs', import.meta.url)));
const SWEEP_TOO = !args.includes('--no-sweep');
const ALL_TOO = SWEEP_TOO && !args.includes('--no-all');
if (!existsSync(BIN)) {
  console.error('bench: dist/llmcost.cjs not found; run `npm run build` first');
  process.exit(2);
}

const ESTIMATE = [BIN, 'estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--json'];
const BARE = ['-e', '0'];
const sweepOf = (spec, ...extra) => [BIN, 'sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--vary', spec, '--format', 'ndjson', ...extra];
const POINTS = 100_000;
const BIG_POINTS = 1_000_000;
const SWEEP = sweepOf('gpus=1k:100M:1k');
const SWEEP_ONE = sweepOf('gpus=1k:1k:1k');
const SWEEP_BIG = sweepOf('gpus=1:1M:1');
const SWEEP_ALL = sweepOf('gpus=1:1M:1', '--format', 'csv', '--fields', 'all');

// A preloaded hook that writes the process's peak resident memory (kB) to a file at exit: Linux's
// VmHWM, the peak of this program's memory. Not getrusage's maxRSS: that one survives exec, so a
// child spawned by a large parent (this script, holding a sweep's output) starts at the parent's size.
const scratch = mkdtempSync(join(tmpdir(), 'llmcost-bench-'));
const rssHook = join(scratch, 'rss.cjs');
const rssFile = join(scratch, 'rss.txt');
writeFileSync(
  rssHook,
  `process.on('exit', () => { const fs = require('node:fs'); let kb = process.resourceUsage().maxRSS;
  try { kb = Number(/VmHWM:\\s*(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}
  fs.writeFileSync(${JSON.stringify(rssFile)}, String(kb)); });\n`,
);

// A preloaded hook that writes the process's CPU time (user + system, microseconds) at exit.
const cpuHook = join(scratch, 'cpu.cjs');
const cpuFile = join(scratch, 'cpu.txt');
writeFileSync(
  cpuHook,
  `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(${JSON.stringify(cpuFile)}, String(u.user + u.system)); });\n`,
);

const devNull = openSync('/dev/null', 'w');
/** Runs node with `argv`, stdout to /dev/null; returns wall-clock milliseconds (throws on a non-zero exit). */
function time(argv, nodeArgs = []) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...nodeArgs, ...argv], { stdio: ['ignore', devNull, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const range = (xs, round = (x) => Math.round(x)) => [round(Math.min(...xs)), round(Math.max(...xs))];
const rate = (points, ms) => Math.round(points / (ms / 1000));

// Sanity: the sweeps really print one line per point.
for (const [argv, points] of SWEEP_TOO ? [[SWEEP, POINTS], [SWEEP_BIG, BIG_POINTS]] : []) {
  const check = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  if (check.status !== 0) throw new Error(`sweep exited ${check.status}: ${check.stderr}`);
  let lines = 0;
  for (let i = check.stdout.indexOf('\n'); i !== -1; i = check.stdout.indexOf('\n', i + 1)) lines++;
  if (lines !== points) throw new Error(`sweep printed ${lines} lines, expected ${points}`);
}

const loadBefore = loadavg()[0];
time(BARE);
time(ESTIMATE); // warm the file cache
const bare = [];
const cli = [];
const ratios = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(time(BARE));
  cli.push(time(ESTIMATE));
  ratios.push(cli[i] / bare[i]);
}
const bareCpu = [];
const cliCpu = [];
const cpuMs = (argv) => {
  time(argv, ['--require', cpuHook]);
  return Number(readFileSync(cpuFile, 'utf8')) / 1000;
};
for (let i = 0; i < RUNS; i++) {
  bareCpu.push(cpuMs(BARE));
  cliCpu.push(cpuMs(ESTIMATE));
}
const ones = [];
const sweeps = [];
const bigs = [];
for (let i = 0; SWEEP_TOO && i < SWEEPS; i++) {
  ones.push(time(SWEEP_ONE));
  sweeps.push(time(SWEEP));
  bigs.push(time(SWEEP_BIG));
}
const alls = [];
const allRss = [];
for (let i = 0; ALL_TOO && i < ALL_RUNS; i++) {
  alls.push(time(SWEEP_ALL, ['--require', rssHook]));
  allRss.push(Number(readFileSync(rssFile, 'utf8')) / 1024);
}
const loadAfter = loadavg()[0];
closeSync(devNull);
rmSync(scratch, { recursive: true, force: true });

const withoutStartup = sweeps.map((ms, i) => rate(POINTS - 1, ms - ones[i]));
const result = {
  node: process.version,
  runs: RUNS,
  loadAverage: [Number(loadBefore.toFixed(1)), Number(loadAfter.toFixed(1))],
  bareMs: Number(median(bare).toFixed(1)),
  estimateMs: Number(median(cli).toFixed(1)),
  startupRatio: Number((median(cli) / median(bare)).toFixed(2)),
  startupRatioRange: range(ratios, (x) => Number(x.toFixed(2))),
  bareCpuMs: Number(median(bareCpu).toFixed(1)),
  estimateCpuMs: Number(median(cliCpu).toFixed(1)),
  startupCpuRatio: Number((median(cliCpu) / median(bareCpu)).toFixed(2)),
  ...(SWEEP_TOO
    ? {
        bigSweepPoints: BIG_POINTS,
        bigSweepMs: Math.round(median(bigs)),
        bigPointsPerSecond: rate(BIG_POINTS, median(bigs)),
        bigPointsPerSecondRange: range(bigs.map((ms) => rate(BIG_POINTS, ms))),
        sweepPoints: POINTS,
        sweepMs: Math.round(median(sweeps)),
        pointsPerSecond: rate(POINTS, median(sweeps)),
        pointsPerSecondRange: range(sweeps.map((ms) => rate(POINTS, ms))),
        onePointSweepMs: Math.round(median(ones)),
        pointsPerSecondWithoutStartup: Math.round(median(withoutStartup)),
        pointsPerSecondWithoutStartupRange: range(withoutStartup),
      }
    : {}),
  ...(ALL_TOO
    ? {
        allRowsCsvMs: Math.round(median(alls)),
        allRowsCsvPointsPerSecond: rate(BIG_POINTS, median(alls)),
        allRowsCsvPointsPerSecondRange: range(alls.map((ms) => rate(BIG_POINTS, ms))),
        allRowsCsvPeakRssMb: range(allRss),
      }
    : {}),
};
if (args.includes('--json')) console.log(JSON.stringify(result));
else {
  const ok = (pass) => (pass ? 'ok' : 'MISSED');
  const n = (x) => x.toLocaleString('en-US');
  const span = ([lo, hi]) => `${n(lo)} to ${n(hi)}`;
  console.log(`node ${result.node}; load average ${result.loadAverage[0]} before, ${result.loadAverage[1]} after (this machine has 2 cores, shared)`);
  console.log(`start-up, ${RUNS} alternating runs: node -e 0 ${result.bareMs} ms, estimate --json ${result.estimateMs} ms (medians): ratio ${result.startupRatio}, pairs ${span(result.startupRatioRange)} (target <= 1.15: ${ok(result.startupRatio <= 1.15)})`);
  console.log(`  CPU time (user + system, all threads), ${RUNS} more alternating runs: node -e 0 ${result.bareCpuMs} ms, estimate --json ${result.estimateCpuMs} ms (medians): ratio ${result.startupCpuRatio}`);
  if (SWEEP_TOO) {
    console.log(`sweeps to NDJSON on /dev/null, default rows, ${SWEEPS} interleaved rounds, whole processes:`);
    console.log(`  1,000,000 points: ${n(result.bigSweepMs)} ms, ${n(result.bigPointsPerSecond)} points/s, runs ${span(result.bigPointsPerSecondRange)} (target >= 250,000: ${ok(result.bigPointsPerSecond >= 250_000)})`);
    console.log(`  100,000 points: ${n(result.sweepMs)} ms, ${n(result.pointsPerSecond)} points/s, runs ${span(result.pointsPerSecondRange)}`);
    console.log(`    without start-up (a 1-point sweep: ${result.onePointSweepMs} ms): ${n(result.pointsPerSecondWithoutStartup)} points/s, runs ${span(result.pointsPerSecondWithoutStartupRange)}`);
  }
  if (ALL_TOO) {
    console.log(`1,000,000 points of every result (--fields all) as CSV, ${ALL_RUNS} runs: ${n(result.allRowsCsvMs)} ms, ${n(result.allRowsCsvPointsPerSecond)} points/s, runs ${span(result.allRowsCsvPointsPerSecondRange)}`);
    console.log(`  peak resident memory ${span(result.allRowsCsvPeakRssMb)} MB (target < 200: ${ok(result.allRowsCsvPeakRssMb[1] < 200)})`);
  }
}
