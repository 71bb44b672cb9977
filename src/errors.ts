/** A problem with what the user typed (flag, number, preset name): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A preset file that cannot be read or does not validate: exit code 2. */
export class PresetError extends Error {
  override name = 'PresetError';
}

/** A computation whose result is not a finite number, naming the inputs that caused it: exit code 2. */
export class ComputeError extends Error {
  override name = 'ComputeError';
  /** The result fields that were not finite, when the core knows them (the CLI then names the inputs as the user wrote them). */
  readonly results?: readonly string[];
  constructor(message: string, results?: readonly string[]) {
    super(message);
    // Not enumerable: the error compares and prints as its message.
    if (results) Object.defineProperty(this, 'results', { value: results, enumerable: false });
  }
}

/**
 * The output could not be written (stdout or --out: a full disk, a closed pipe, an I/O error): one
 * line on stderr, exit code 1. Not a usage error: the input was fine, the world was not.
 */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** True for the errors that are the user's to fix (exit 2), false for bugs. */
export function isUserError(error: unknown): error is UsageError | PresetError | ComputeError {
  return error instanceof UsageError || error instanceof PresetError || error instanceof ComputeError;
}

/** Why a write failed, in words, by error code. */
const WRITE_FAILURES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EPIPE: 'the reader closed the pipe before the output was complete',
  EIO: 'input/output error',
  EBADF: 'not open for writing',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'no such directory',
  ENOTDIR: 'a path through something that is not a directory',
  EISDIR: 'a directory',
  ENXIO: 'no reader on the other side',
  ENAMETOOLONG: 'a file name too long',
};

/** Returns one line saying why writing to `where` (stdout, `--out FILE`) failed: `stdout: cannot write: no space left on the device (ENOSPC)`. */
export function writeFailure(where: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
  return `${where}: cannot write: ${WRITE_FAILURES[code] ?? 'error'} (${code})`;
}
