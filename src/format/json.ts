import { SCHEMA_VERSION, type Report } from './report.js';

/** Returns the JSON document of a report (schemaVersion 1), with a trailing newline. */
export function renderJson(report: Report): string {
  const inputs = Object.fromEntries(Object.entries(report.inputs).filter(([, v]) => v !== undefined));
  const results = Object.fromEntries(Object.entries(report.results).filter(([, v]) => v !== undefined));
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    command: report.command,
    inputs,
    results,
    warnings: report.warnings,
    notes: report.notes,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
