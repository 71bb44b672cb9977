import type { PresetSet } from '../presets/parse.js';
import type { Style } from '../format/table.js';

/** What a command needs from the outside world, passed in so that commands stay testable. */
export interface Context {
  /** Loads the presets (lazily: only commands that need them pay for it). */
  presets: () => PresetSet;
  /** Returns the style to use for tables (colour decided once by the entry). */
  style: () => Style;
  /** Returns the view the user asked for: --full (every group and assumption) and --quiet (the result alone). */
  view: () => View;
}

/** The view flags, read once by the entry. */
export interface View {
  full: boolean;
  quiet: boolean;
}

/** What a command produced: text for stdout (written only after everything succeeded). */
export interface CommandOutput {
  stdout: string;
  /** More stdout, written after `stdout` in order: text, or UTF-8 bytes (a large sweep's rows, in pieces). */
  chunks?: ReadonlyArray<string | Uint8Array>;
  /**
   * Writes the rest of stdout (after `stdout` and `chunks`) through `write`, in pieces valid only
   * during each call: for outputs too large to keep (a long sweep). Called only once the command
   * has succeeded; it must not fail.
   */
  writeRest?: (write: (bytes: Uint8Array) => void) => void;
  /**
   * Warnings about the results (a number missing or untrustworthy, an impractical run): the entry
   * writes each to stderr as "llmcost: warning: ...", in every format, after stdout.
   */
  warnings?: readonly string[];
  /**
   * Notes a reader of csv/ndjson must see (e.g. columns left out): written to stderr as
   * "llmcost: note: ..." unless --quiet. Notes of tables are in the table.
   */
  notes?: readonly string[];
  /** Lines for stderr, for a command that reports several problems at once (presets validate). */
  stderr?: string;
  /** A non-zero exit code for such a command (stdout is then not written). */
  exitCode?: 2;
}
