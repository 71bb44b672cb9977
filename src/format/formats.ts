import { UsageError } from '../errors.js';

/** The output formats every command takes with --format (kept apart from the renderers so that help loads nothing heavy). */
export const FORMATS = ['table', 'json', 'ndjson', 'csv', 'markdown'] as const;
/** One output format. */
export type OutputFormat = (typeof FORMATS)[number];

/**
 * Returns the output format chosen by --format and --json (the short form of --format json);
 * throws a UsageError when they disagree. Table when neither is given.
 */
export function outputFormat(flags: Readonly<Record<string, unknown>>): OutputFormat {
  const format = flags['format'];
  const json = flags['json'] === true;
  if (format === undefined) return json ? 'json' : 'table';
  if (!(FORMATS as readonly unknown[]).includes(format)) {
    throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got "${String(format)}"`);
  }
  if (json && format !== 'json') throw new UsageError(`--json: is --format json; it cannot be combined with --format ${String(format)}`);
  return format as OutputFormat;
}
