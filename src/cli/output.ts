import { closeSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Writes `chunks` (then whatever `writeRest` writes) to `file` atomically: a temporary file in the same directory, then a rename, so the
 * file is either the old one or the whole new one. Throws a UsageError naming --out on failure.
 */
export function writeFileAtomic(
  file: string,
  chunks: ReadonlyArray<string | Uint8Array>,
  writeRest?: (write: (bytes: Uint8Array) => void) => void,
): void {
  if (file.trim() === '') throw new UsageError('--out: expected a file name, got an empty value');
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(file);
  } catch {
    existing = undefined; // a new file
  }
  // Never replace a device, a directory or a symlink (e.g. --out /dev/null would swap the device for a file).
  if (existing && !existing.isFile()) throw new UsageError(`--out ${file}: expected a regular file path, found a directory, link or device`);
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    const target = fd;
    for (const chunk of chunks) writeAll(target, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    writeRest?.((bytes) => writeAll(target, bytes));
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // The temporary file was never created or is already gone.
    }
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`--out ${file}: cannot write the file (${code}); expected a writable path in an existing directory`);
  }
}

/** Writes all of `bytes` to `fd` (writeSync may write less than asked). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}
