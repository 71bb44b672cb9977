#!/usr/bin/env node
import { readFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from './cli/main.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

let pause: Int32Array | undefined;

/**
 * Writes all of `data` to a file descriptor, synchronously. Output goes through fs.writeSync, not
 * process.stdout: touching process.stdout loads Node's stream modules, a few ms of every start-up.
 * A reader that stops early (`llmcost sweep ... | head`) is not an error: stop quietly.
 */
function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      // A non-blocking pipe (set so by the reader's side) that is full: wait 1 ms for it to drain.
      if (code !== 'EAGAIN') throw error;
      pause ??= new Int32Array(new SharedArrayBuffer(4));
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

void main({
  argv: process.argv.slice(2),
  env: process.env,
  // Asked only when a table is printed (colour, terminal chart).
  get stdoutIsTTY() {
    return process.stdout.isTTY === true;
  },
  writeOut: (text) => writeAll(1, text),
  writeOutBytes: (bytes) => writeAll(1, bytes),
  writeErr: (text) => writeAll(2, text),
  get stdoutColumns() {
    return process.stdout.columns;
  },
  version: pkg.version,
  compiledPresets: fileURLToPath(new URL('./presets.json', import.meta.url)),
}).then((code) => {
  process.exitCode = code;
});
