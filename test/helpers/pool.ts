import { spawn } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { BIN, cliEnv, type CliRun } from './cli.js';

/** One CLI run that also says whether it was killed for taking too long. */
export interface TimedRun extends CliRun {
  timedOut: boolean;
  ms: number;
}

/**
 * Spawns the built CLI asynchronously (environment as runCli); never rejects. `stdin` is a path
 * opened as the child's stdin (a file, a FIFO, /dev/zero), else stdin is closed.
 */
export function runCliAsync(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 20_000, stdin?: string): Promise<TimedRun> {
  return new Promise((resolve) => {
    const started = Date.now();
    // O_NONBLOCK: opening a FIFO must not wait for a writer here either.
    const fd = stdin === undefined ? undefined : openSync(stdin, constants.O_RDONLY | constants.O_NONBLOCK);
    const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(env), stdio: [fd ?? 'ignore', 'pipe', 'pipe'] });
    if (fd !== undefined) closeSync(fd);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status, timedOut, ms: Date.now() - started });
    });
  });
}

/** Runs `task` over `items` with at most `concurrency` in flight; results keep the items' order. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** mulberry32: a small seeded PRNG, so that a failing case can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
