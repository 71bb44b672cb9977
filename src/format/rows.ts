import { RESULT_FIELDS, valueAt, type FieldSpec } from './fields.js';
import type { Report } from './report.js';

/** One output row (a scenario or a sweep point): plain JSON values, nested objects allowed. */
export type Row = Readonly<Record<string, unknown>>;

/** A scalar cell of a flattened row. */
export type Cell = string | number | boolean;

/**
 * Returns a row with nested objects and arrays flattened to dotted keys ("results.memory.fits",
 * "results.wallClockDaysRange.0"); undefined values are left out.
 */
export function flattenRow(row: Row, prefix = '', into: Record<string, Cell> = {}): Record<string, Cell> {
  for (const [key, value] of Object.entries(row)) {
    const path = prefix + key;
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') flattenRow(value as Row, `${path}.`, into);
    else if (typeof value === 'number') into[path] = finite(value, path);
    else if (typeof value === 'string' || typeof value === 'boolean') into[path] = value;
  }
  return into;
}

/** Returns `value`, or throws when it is NaN or infinite (a bug: the core rejects such results). */
export function finite(value: number, path: string): number {
  if (!Number.isFinite(value)) throw new Error(`${path} is not a finite number (${String(value)})`);
  return value;
}

/** Returns the values of a report's inputs (without origins and sources), in the report's order. */
export function inputValues(report: Report): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, input] of Object.entries(report.inputs)) if (input !== undefined) values[key] = input.value;
  return values;
}

/** Returns the results of a report without undefined fields. */
export function definedResults(report: Report): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(report.results)) if (value !== undefined) results[key] = value;
  return results;
}

/** Returns the row of one report for csv/ndjson: `{ command, inputs: { name: value }, results }`. */
export function reportRow(report: Report, name?: string): Row {
  return {
    ...(name === undefined ? {} : { scenario: name }),
    command: report.command,
    inputs: inputValues(report),
    results: definedResults(report),
  };
}

/** A numeric result field of a report: its dotted key and how to show it. */
export type NumericField = FieldSpec;

/**
 * Returns the numeric result fields present in `results` (numbers or arrays of numbers): first those
 * described in RESULT_FIELDS, in their order, then any other numeric leaf (labelled by its key).
 */
export function numericFields(results: Readonly<Record<string, unknown>>): NumericField[] {
  const known = RESULT_FIELDS.filter((f) => isNumeric(valueAt(results, f.key)));
  const seen = new Set(known.map((f) => f.key));
  const extra: NumericField[] = [];
  const walk = (obj: Readonly<Record<string, unknown>>, prefix: string): void => {
    for (const [key, value] of Object.entries(obj)) {
      const path = prefix + key;
      if (seen.has(path)) continue;
      if (isNumeric(value)) extra.push({ key: path, label: path, unit: 'quantity', group: 'Compute' });
      else if (value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, `${path}.`);
    }
  };
  walk(results, '');
  return [...known, ...extra];
}

/** True for a number or a non-empty array of numbers. */
export function isNumeric(value: unknown): value is number | readonly number[] {
  if (typeof value === 'number') return true;
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number');
}
