import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../helpers/cli.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * Runs a sweep in a child process with --expose-gc, collecting garbage every 8 MB written, and
 * returns the bytes written and the largest live memory (heap + external) above what it was
 * before the sweep started. Rows kept until the end would show up as live memory the size of the output.
 */
function liveGrowth(argv: readonly string[]): { bytes: number; lines: number; growthMb: number } {
  const script = `
    const { main } = await import(${JSON.stringify(MAIN)});
    const live = () => { globalThis.gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
    const before = live();
    let bytes = 0, lines = 0, most = 0, next = 8 << 20;
    const count = (b) => { bytes += b.length; for (let i = 0; i < b.length; i++) if (b[i] === 10) lines++; if (bytes >= next) { next += 8 << 20; most = Math.max(most, live() - before); } };
    const code = await main({ argv: ${JSON.stringify(argv)}, env: { NO_COLOR: '1' }, stdoutIsTTY: false,
      writeOut: (t) => count(Buffer.from(t)), writeOutBytes: count, writeErr: (t) => process.stderr.write(t), version: '0' });
    console.log(JSON.stringify({ code, bytes, lines, growthMb: most / 1e6 }));`;
  const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', env: cliEnv(), maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(run.stderr);
  const result = JSON.parse(run.stdout) as { code: number; bytes: number; lines: number; growthMb: number };
  expect(result.code, run.stderr).toBe(0);
  return result;
}

const BASE = ['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k'];

describe('large sweeps stream in bounded memory (issue 15)', () => {
  it('500,000 NDJSON rows (60 MB) with under 25 MB live at any time', () => {
    const { bytes, lines, growthMb } = liveGrowth([...BASE, '--vary', 'gpus=1:500k:1', '--format', 'ndjson']);
    expect(lines).toBe(500_000);
    expect(bytes).toBeGreaterThan(50e6);
    expect(growthMb).toBeLessThan(25);
  });

  it('30,000 CSV rows of every result (--fields all, 30 MB) with under 25 MB live at any time', () => {
    const { bytes, lines, growthMb } = liveGrowth([...BASE, '--vary', 'gpus=1:30k:1', '--format', 'csv', '--fields', 'all']);
    expect(lines).toBe(30_001);
    expect(bytes).toBeGreaterThan(30e6);
    expect(growthMb).toBeLessThan(25);
  });
});
