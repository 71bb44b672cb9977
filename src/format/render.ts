import { renderCsv } from './csv.js';
import { FORMATS, outputFormat, type OutputFormat } from './formats.js';
import { renderJson } from './json.js';
import { renderReportMarkdown } from './markdown.js';
import { renderNdjson } from './ndjson.js';
import type { Report } from './report.js';
import { reportRow } from './rows.js';
import type { Style } from './style.js';
import type { TableView } from './table.js';

export { FORMATS, outputFormat, type OutputFormat };

/**
 * Returns the text of one estimate/solve report in `format` (csv/ndjson: one row). Async: the table
 * renderer (cli-table3) is loaded only for tables.
 */
export async function renderReport(report: Report, format: OutputFormat, style: Style, view: TableView = {}): Promise<string> {
  switch (format) {
    case 'table':
      return (await import('./table.js')).renderTable(report, style, view);
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
