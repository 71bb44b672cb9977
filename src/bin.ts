#!/usr/bin/env node
import { readFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from './cli/main.js';
import { OutputError, writeFailure } from './errors.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

let pause: Int32Array | undefined;

/**
 * Writes all of `data` to a file descriptor, synchronously. Output goes through fs.writeSync, not
 * process.stdout: touching process.stdout loads Node's stream modules, a few ms of every start-up.
 * Throws the system error of a failed write (ENOSPC, EPIPE, EIO...).
 */
function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (error) {
      // A non-blocking pipe (set so by the reader's side) that is full: wait 1 ms for it to drain.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      pause ??= new Int32Array(new SharedArrayBuffer(4));
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

let stdoutFailed: OutputError | undefined;
/** Writes to stdout; a failed write (a full disk, a reader that closed the pipe) throws an OutputError, and so does every later one. */
function writeOut(data: string | Uint8Array): void {
  if (stdoutFailed) throw stdoutFailed;
  try {
    writeAll(1, data);
  } catch (error) {
    stdoutFailed = new OutputError(writeFailure('stdout', error));
    throw stdoutFailed;
  }
}

let stderrFailed = false;
/** Writes to stderr; when stderr itself cannot be written there is no one left to tell: the exit code still says it. */
function writeErr(text: string): void {
  if (stderrFailed) return;
  try {
    writeAll(2, text);
  } catch {
    stderrFailed = true;
  }
}

void main({
  argv: process.argv.slice(2),
  env: process.env,
  // Asked only when a table is printed (colour, terminal chart).
  get stdoutIsTTY() {
    return process.stdout.isTTY === true;
  },
  writeOut,
  writeOutBytes: writeOut,
  writeErr,
  get stdoutColumns() {
    return process.stdout.columns;
  },
  version: pkg.version,
  compiledPresets: fileURLToPath(new URL('./presets.json', import.meta.url)),
}).then((code) => {
  process.exitCode = code;
});
