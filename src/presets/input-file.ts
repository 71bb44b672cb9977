// The one reader of every file the user names: preset files and directories, --hf-config,
// --scenarios, and stdin for `-`. It asks what a path is before reading it: a FIFO would block
// forever, /dev/zero would fill the memory, a directory or a dangling link is a mistake to report.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import { safeText } from '../text.js';

/** The largest file llmcost reads (presets, HF configs, scenario files, stdin), in bytes. */
export const MAX_INPUT_BYTES = 1_000_000;

/** A file's text, or why it could not be read (one line, without the path). */
export type InputText = { ok: true; text: string } | { ok: false; reason: string; missing: boolean };

/** Returns what a non-regular file is, in words. */
function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Returns why `path` could not be opened or stat'ed, from the error code. */
function openProblem(path: string, error: unknown): InputText {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'ENOENT') {
    let link = false;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch {
      // Nothing there at all.
    }
    return link ? { ok: false, reason: 'a dangling symbolic link (its target does not exist)', missing: false } : { ok: false, reason: 'no such file', missing: true };
  }
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ELOOP: 'a loop of symbolic links',
    ENOTDIR: 'a path through something that is not a directory',
    ENAMETOOLONG: 'a path too long',
    EISDIR: 'a directory',
    EMFILE: 'too many open files',
  };
  return { ok: false, reason: words[code] ?? `cannot be opened (${code})`, missing: false };
}

let pause: Int32Array | undefined;
/** Waits ~1 ms (a non-blocking stdin with nothing to read yet). */
function sleep(): void {
  pause ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(pause, 0, 0, 1);
}

/** Reads at most MAX_INPUT_BYTES + 1 bytes of `fd` (a buffer of `expected` bytes to start, grown as needed); the text, or why not. */
function readBounded(fd: number, isStdin: boolean, expected: number): InputText {
  let buffer = Buffer.allocUnsafe(Math.min(Math.max(expected, 4096), MAX_INPUT_BYTES + 1));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > MAX_INPUT_BYTES) break;
      const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 4, MAX_INPUT_BYTES + 1));
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    let n: number;
    try {
      n = readSync(fd, buffer, length, buffer.length - length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' && isStdin) {
        sleep();
        continue;
      }
      if (code === 'EOF') break; // Windows pipes
      return { ok: false, reason: code === 'EISDIR' ? 'a directory' : `cannot be read (${code ?? 'error'})`, missing: false };
    }
    if (n === 0) break;
    length += n;
  }
  if (length > MAX_INPUT_BYTES) return { ok: false, reason: `too large (more than ${MAX_INPUT_BYTES.toLocaleString('en-US')} bytes)`, missing: false };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length)) };
  } catch {
    return { ok: false, reason: 'not UTF-8 text', missing: false };
  }
}

let stdinReader: string | undefined;

/** True when `fd` is a terminal; node:tty (and the stream modules it loads) is required only when stdin is a character device. */
function isTerminal(fd: number): boolean {
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);
}

/**
 * Returns the text of `path` (never throws for a bad file): only a regular file (a symlink to one
 * is fine) of at most MAX_INPUT_BYTES, as UTF-8. With `stdinFor`, `-` reads stdin, once per process
 * (`stdinFor` names the reader, for the error of a second one); a terminal on stdin is refused
 * rather than waited on.
 */
export function readInputText(path: string, stdinFor?: string): InputText {
  if (path === '-' && stdinFor !== undefined) {
    if (stdinReader !== undefined) return { ok: false, reason: `stdin is already read by ${stdinReader}; give one of them a file`, missing: false };
    stdinReader = stdinFor;
    let stat: Stats;
    try {
      stat = fstatSync(0);
    } catch (error) {
      return { ok: false, reason: `stdin cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, missing: false };
    }
    if (stat.isDirectory()) return { ok: false, reason: 'stdin is a directory', missing: false };
    if (stat.isCharacterDevice() && isTerminal(0)) return { ok: false, reason: 'stdin is a terminal; pipe the file in (< file) or give its path', missing: false };
    return readBounded(0, true, 65_536);
  }
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    return openProblem(path, error);
  }
  if (!stat.isFile()) return { ok: false, reason: `${kindOf(stat)}, expected a regular file`, missing: false };
  if (stat.size > MAX_INPUT_BYTES) return { ok: false, reason: `too large (${stat.size.toLocaleString('en-US')} bytes; at most ${MAX_INPUT_BYTES.toLocaleString('en-US')})`, missing: false };
  let fd: number;
  try {
    // O_NONBLOCK: should the path become a FIFO between the stat and the open, opening it does not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    return openProblem(path, error);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { ok: false, reason: `${kindOf(opened)}, expected a regular file`, missing: false };
    // One byte more than the size: a file that grows (or a /proc file of size 0) is still bounded.
    return readBounded(fd, false, opened.size + 1);
  } finally {
    closeSync(fd);
  }
}

/** Returns how a path is shown in messages: `(stdin)` for `-`, control characters escaped. */
export function shownPath(path: string): string {
  if (path === '-') return '(stdin)';
  const safe = safeText(path);
  return safe.length > 120 ? `...${safe.slice(-117)}` : safe;
}

/**
 * Returns the text of the file a flag names (`-` is stdin); throws a UsageError
 * `--flag PATH: cannot read: why` (one line) when it is not a readable regular file of at most MAX_INPUT_BYTES.
 * @example readFlagFile('--hf-config', 'config.json')
 */
export function readFlagFile(flag: string, path: string): string {
  if (path.trim() === '') throw new UsageError(`${flag}: expected a file name, got an empty value`);
  const read = readInputText(path, flag);
  if (!read.ok) throw new UsageError(`${flag} ${shownPath(path)}: cannot read: ${read.reason}`);
  return read.text;
}

/** Forgets that stdin was read (tests that call the CLI's code several times in one process). */
export function resetStdinForTests(): void {
  stdinReader = undefined;
}
