import { spawn } from 'node:child_process';
import { closeSync, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError, UsageError, writeFailure } from '../errors.js';
import { safeText } from '../text.js';

/** The signals that end a run; on Windows (no /bin/sh for the guard) an `--out` write outlives them, see below. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Starts a guard that removes `temp` once this process is gone, however it ends (SIGINT, SIGTERM,
 * SIGKILL, out of memory): a detached `sh` waiting for the end of a pipe only this process holds.
 * Signals then keep their default effect (Ctrl-C stops a 2 GB write at once) and no temporary file
 * is left behind. Returns false where there is no /bin/sh (Windows).
 */
function guardTemp(temp: string): boolean {
  if (process.platform === 'win32') return false;
  try {
    const guard = spawn('/bin/sh', ['-c', 'read _; rm -f -- "$1"', 'sh', temp], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    guard.on('error', () => {}); // no sh after all: the 'exit' listener still removes the file on every exit Node sees
    guard.unref();
    (guard.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return true;
  } catch {
    return false;
  }
}

/** Resolves after two turns of the event loop: a signal that arrived during a synchronous write has been dispatched by then. */
async function drainSignals(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Writes `chunks` (then whatever `writeRest` writes) to `file` atomically: a temporary file in the
 * same directory, then a rename, so the file is either the old one or the whole new one. An existing
 * target keeps its mode (0600 stays 0600) and, where allowed, its owner. The temporary file is
 * removed on every exit path: a failed write, an exception, `process.exit`, and any signal (see
 * guardTemp; the target is then untouched). Throws a UsageError for a bad path (exit 2) and an
 * OutputError when the write itself fails (full disk, I/O error: exit 1).
 */
export async function writeFileAtomic(
  file: string,
  chunks: ReadonlyArray<string | Uint8Array>,
  writeRest?: (write: (bytes: Uint8Array) => void) => void,
): Promise<void> {
  if (file.trim() === '') throw new UsageError('--out: expected a file name, got an empty value');
  const shown = `--out ${safeText(file.length > 120 ? `...${file.slice(-117)}` : file)}`;
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(file);
  } catch {
    existing = undefined; // a new file
  }
  // Never replace a device, a directory or a symlink (e.g. --out /dev/null would swap the device for a file).
  if (existing && !existing.isFile()) throw new UsageError(`${shown}: expected a regular file path, found a directory, link or device`);
  if (/[/\\]$/.test(file)) throw new UsageError(`${shown}: expected a file name, got a directory path (it ends with a slash)`);
  // The temporary name starts with the target's, cut so that it stays within a file system's 255 bytes.
  const temp = join(dirname(file), `.${basename(file).slice(0, 100)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', existing ? existing.mode & 0o7777 : 0o666);
  } catch (error) {
    throw new UsageError(`${writeFailure(shown, error)}; expected a writable path in an existing directory`);
  }
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    received ??= signal;
  };
  let renamed = false;
  const removeTemp = (): void => {
    if (renamed) return;
    try {
      unlinkSync(temp);
    } catch {
      // Already gone.
    }
  };
  // Where no guard can run, signals are held until the write ends, then honoured (temp removed first).
  const guarded = guardTemp(temp);
  if (!guarded) for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', removeTemp);
  try {
    if (existing) {
      // open's mode passes through the umask: set the target's own mode (and owner, if we may).
      fchmodSync(fd, existing.mode & 0o7777);
      try {
        if (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.()) fchownSync(fd, existing.uid, existing.gid);
      } catch {
        // Only root may give a file away; the mode is what matters.
      }
    }
    const target = fd;
    try {
      for (const chunk of chunks) writeAll(target, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      writeRest?.((bytes) => writeAll(target, bytes));
      // A full disk may only show at close on network file systems; fsync makes it show here.
      fsyncSync(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === undefined) throw error; // a bug, not an I/O error
      throw new OutputError(writeFailure(shown, error));
    }
    closeSync(fd);
    fd = undefined;
    await drainSignals();
    if (received) return interrupted(received, removeTemp);
    renameSync(temp, file);
    renamed = true;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    removeTemp();
    if (error instanceof OutputError || !(error as NodeJS.ErrnoException).code) throw error;
    throw new OutputError(writeFailure(shown, error));
  } finally {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    process.removeListener('exit', removeTemp);
  }
}

/** Removes the temporary file, then ends the process by `signal` (the shell sees 130 for SIGINT, 143 for SIGTERM). */
function interrupted(signal: NodeJS.Signals, removeTemp: () => void): never {
  removeTemp();
  for (const s of SIGNALS) process.removeAllListeners(s);
  process.kill(process.pid, signal);
  // Should the signal not end the process (it is ignored by the parent's choice), exit as if it had.
  process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Record<string, number>)[signal]!);
}

/** Writes all of `bytes` to `fd` (writeSync may write less than asked). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}
