import { UsageError } from '../errors.js';
import type { Report } from './report.js';
import type { Style } from './style.js';

import { FORMATS, type OutputFormat } from './formats.js';

export { FORMATS, type OutputFormat };

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

/**
 * Returns the text of one estimate/solve report in `format` (csv/ndjson: one row). Async: only the
 * chosen renderer is loaded (the table's cli-table3 is not needed for --json).
 */
export async function renderReport(report: Report, format: OutputFormat, style: Style): Promise<string> {
  switch (format) {
    case 'table':
      return (await import('./table.js')).renderTable(report, style);
    case 'json':
      return (await import('./json.js')).renderJson(report);
    case 'ndjson': {
      const [{ renderNdjson }, { reportRow }] = await Promise.all([import('./ndjson.js'), import('./rows.js')]);
      return renderNdjson([reportRow(report)]);
    }
    case 'csv': {
      const [{ renderCsv }, { reportRow }] = await Promise.all([import('./csv.js'), import('./rows.js')]);
      return renderCsv([reportRow(report)]);
    }
    case 'markdown':
      return (await import('./markdown.js')).renderReportMarkdown(report);
  }
}
