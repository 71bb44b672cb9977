import { UsageError } from '../errors.js';
import { renderCsv } from './csv.js';
import { renderJson } from './json.js';
import { renderReportMarkdown } from './markdown.js';
import { renderNdjson } from './ndjson.js';
import type { Report } from './report.js';
import { reportRow } from './rows.js';
import { renderTable, type Style } from './table.js';

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

/** Returns the text of one estimate/solve report in `format` (csv/ndjson: one row). */
export function renderReport(report: Report, format: OutputFormat, style: Style): string {
  switch (format) {
    case 'table':
      return renderTable(report, style);
    case 'json':
      return renderJson(report);
    case 'ndjson':
      return renderNdjson([reportRow(report)]);
    case 'csv':
      return renderCsv([reportRow(report)]);
    case 'markdown':
      return renderReportMarkdown(report);
  }
}
