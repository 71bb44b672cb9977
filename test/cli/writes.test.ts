import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv } from '../helpers/cli.js';

/**
 * Writes fail loudly (issue 13): a full disk, a closed pipe, an interrupt, a file's mode. Every write
 * error is one line on stderr and exit 1; a usage error stays exit 2 even when stderr is gone; an
 * interrupted --out leaves neither a temporary file nor a changed target.
 */
const ESTIMATE = ['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k'];
/** A sweep that writes ~45 MB of rows, so that an interrupt or a closed pipe lands mid-write. */
const BIG = ['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--vary', 'gpus=1:300k:1', '--format', 'ndjson'];
/** ~15 MB of rows: more than a pipe or a 16 kB disk holds. */
const MEDIUM = ['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--vary', 'gpus=1:100k:1', '--format', 'ndjson'];

interface Done {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Spawns the CLI; `setup` may act on the child (close its pipes, signal it). Resolves when it ends. */
function start(args: string[], stdio: Array<'pipe' | 'ignore' | number>, setup?: (child: ReturnType<typeof spawn>) => void): Promise<Done> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(), stdio: stdio as never });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stderr?.on('error', () => {});
    child.stdout?.on('error', () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stderr });
    });
    setup?.(child);
  });
}

const tempFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

async function waitFor(check: () => boolean, ms = 20_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

describe('stdout', () => {
  it('a full disk (/dev/full): one line, exit 1, no stack trace', async () => {
    const full = openSync('/dev/full', 'w');
    const done = await start(ESTIMATE, ['ignore', full, 'pipe']);
    closeSync(full);
    expect(done.status).toBe(1);
    expect(done.stderr).toBe('llmcost: stdout: cannot write: no space left on the device (ENOSPC)\n');
  });

  it('a reader that closes the pipe mid-output: one line, exit 1', async () => {
    const done = await start(MEDIUM, ['ignore', 'pipe', 'pipe'], (child) => {
      child.stdout?.once('data', () => child.stdout?.destroy());
    });
    expect(done.status).toBe(1);
    expect(done.stderr).toBe('llmcost: stdout: cannot write: the reader closed the pipe before the output was complete (EPIPE)\n');
  });

  it('a usage error when stderr is a closed pipe still exits 2 (it used to exit 0)', async () => {
    const done = await start(['estimate', '--model', 'no-such-model'], ['ignore', 'ignore', 'pipe'], (child) => child.stderr?.destroy());
    expect(done.status).toBe(2);
    const full = openSync('/dev/full', 'w');
    const onFull = await start(['estimate', '--model', 'no-such-model'], ['ignore', 'ignore', full]);
    closeSync(full);
    expect(onFull.status).toBe(2);
  });
});

describe('--out', () => {
  it("keeps an existing file's mode (0600 stays 0600); a new file gets 0666 less the umask", () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-mode-'));
    const file = join(dir, 'secret.json');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    const run = spawnSync(process.execPath, [BIN, ...ESTIMATE, '--json', '--out', file], { env: cliEnv(), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('results');
    chmodSync(file, 0o640);
    spawnSync(process.execPath, [BIN, ...ESTIMATE, '--json', '--out', file], { env: cliEnv() });
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const fresh = join(dir, 'new.json');
    const made = spawnSync('sh', ['-c', `umask 027 && exec "$0" "$@"`, process.execPath, BIN, ...ESTIMATE, '--json', '--out', fresh], { env: cliEnv() });
    expect(made.status).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o640);
    expect(tempFiles(dir)).toEqual([]);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} mid-write: the process ends by it at once, the temporary file is removed, the target is untouched`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'llmcost-signal-'));
      const file = join(dir, 'rows.ndjson');
      writeFileSync(file, 'old\n');
      let sentAt = 0;
      let sawTemp = false;
      const done = await start([...BIG, '--out', file], ['ignore', 'ignore', 'pipe'], (child) => {
        void waitFor(() => tempFiles(dir).length > 0 && statSync(join(dir, tempFiles(dir)[0] ?? '')).size > 0).then((seen) => {
          sawTemp = seen;
          sentAt = Date.now();
          child.kill(signal);
        });
      });
      const tookMs = Date.now() - sentAt;
      expect(sawTemp, 'the temporary file never appeared').toBe(true);
      expect(done.signal).toBe(signal);
      expect(tookMs).toBeLessThan(2_000); // not held until the ~45 MB are written
      expect(await waitFor(() => tempFiles(dir).length === 0, 2_000), `left behind: ${tempFiles(dir).join(', ')}`).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe('old\n');
    }, 60_000);
  }

  it('a directory, a device or a missing directory is a usage error (exit 2); nothing is created', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-outpath-'));
    for (const [out, pattern] of [
      [dir, /expected a regular file path, found a directory, link or device$/],
      ['/dev/full', /expected a regular file path, found a directory, link or device$/],
      [join(dir, 'no', 'such', 'dir.json'), /cannot write: no such directory \(ENOENT\); expected a writable path in an existing directory$/],
    ] as const) {
      const run = spawnSync(process.execPath, [BIN, ...ESTIMATE, '--out', out], { env: cliEnv(), encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr.split('\n')).toHaveLength(2);
      expect(run.stderr.trimEnd()).toMatch(pattern);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  // A small full file system: a private tmpfs of 16 kB in a user and mount namespace (Linux; skipped where not allowed).
  const tmpfsOk = spawnSync('unshare', ['-rm', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=16k tmpfs "$d"'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!tmpfsOk)('a full disk (a 16 kB tmpfs): one line, exit 1, the old file kept, no temporary file left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-full-'));
    const script = [
      'mount -t tmpfs -o size=16k tmpfs "$1"',
      'echo old > "$1/rows.ndjson"',
      `"$2" "$3" ${MEDIUM.join(' ')} --out "$1/rows.ndjson" 2>"$1.err"; echo $? > "$1.code"`,
      'ls -a "$1" > "$1.ls"; cat "$1/rows.ndjson" > "$1.kept"',
    ].join('; ');
    spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', dir, process.execPath, BIN], { env: cliEnv(), encoding: 'utf8' });
    expect(readFileSync(`${dir}.code`, 'utf8').trim()).toBe('1');
    expect(readFileSync(`${dir}.err`, 'utf8')).toBe(`llmcost: --out ${dir}/rows.ndjson: cannot write: no space left on the device (ENOSPC)\n`);
    expect(readFileSync(`${dir}.ls`, 'utf8').split('\n').filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(`${dir}.kept`, 'utf8')).toBe('old\n');
  });

  it('--out - is stdout; a name of 250 characters works (the temporary name is cut); a trailing slash is a usage error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-names-'));
    const dash = spawnSync(process.execPath, [BIN, ...ESTIMATE, '--json', '--out', '-'], { env: cliEnv(), encoding: 'utf8', cwd: dir });
    expect(dash.status).toBe(0);
    expect(JSON.parse(dash.stdout)).toHaveProperty('results');
    const long = join(dir, 'x'.repeat(250));
    expect(spawnSync(process.execPath, [BIN, ...ESTIMATE, '--json', '--out', long], { env: cliEnv() }).status).toBe(0);
    const slash = spawnSync(process.execPath, [BIN, ...ESTIMATE, '--out', `${dir}/sub/`], { env: cliEnv(), encoding: 'utf8' });
    expect(slash.status).toBe(2);
    expect(slash.stderr).toBe(`llmcost: --out ${dir}/sub/: expected a file name, got a directory path (it ends with a slash)\n`);
    expect(readdirSync(dir)).toEqual(['x'.repeat(250)]);
  });

  it('the written file is the whole output (checked against stdout)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-whole-'));
    const file = join(dir, 'out.csv');
    const args = ['sweep', '--model', 'llama-405b', '--cluster', 'h100x16k', '--vary', 'gpus=1k:100k:1k', '--format', 'csv'];
    const toFile = spawnSync(process.execPath, [BIN, ...args, '--out', file], { env: cliEnv(), encoding: 'utf8' });
    const toStdout = spawnSync(process.execPath, [BIN, ...args], { env: cliEnv(), encoding: 'utf8' });
    expect(toFile.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(toStdout.stdout);
    expect(existsSync(file)).toBe(true);
  });
});
