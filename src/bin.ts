#!/usr/bin/env node
import { fstatSync, readFileSync, writeSync } from 'node:fs';
import { main } from './cli/main.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** True when stdout is a file or a device such as /dev/null: Node writes those synchronously. */
function stdoutIsSyncFile(): boolean {
  try {
    const stat = fstatSync(1);
    return stat.isFile() || (stat.isCharacterDevice() && process.stdout.isTTY !== true);
  } catch {
    return false;
  }
}

/**
 * Writes bytes that the caller reuses after the call: straight to fd 1 for a file, else a copy
 * through process.stdout (a pipe may keep the buffer until it drains).
 */
function writeOutBytes(bytes: Uint8Array): void {
  if (!stdoutIsSyncFile()) {
    process.stdout.write(Buffer.from(bytes));
    return;
  }
  for (let done = 0; done < bytes.length; ) done += writeSync(1, bytes, done, bytes.length - done);
}

// A reader that stops early (`llmcost sweep ... | head`) is not an error: stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
  writeOut: (text) => process.stdout.write(text),
  writeOutBytes,
  writeErr: (text) => process.stderr.write(text),
  version: pkg.version,
});
