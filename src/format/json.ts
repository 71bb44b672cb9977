import { SCHEMA_VERSION, type Report, type ResultValue } from './report.js';
import type { Input } from '../scenario/types.js';

/** The JSON document of a report: the stable, versioned contract scripts depend on. */
export interface JsonDocument {
  schemaVersion: typeof SCHEMA_VERSION;
  command: Report['command'];
  inputs: Record<string, Input<unknown>>;
  results: Record<string, ResultValue | object>;
  warnings: string[];
  notes: string[];
}

/** Returns the JSON document (a plain object) of a report, without undefined fields. */
export function toJsonDocument(report: Report): JsonDocument {
  const defined = <T>(o: Record<string, T | undefined>): Record<string, T> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, T>;
  return {
    schemaVersion: SCHEMA_VERSION,
    command: report.command,
    inputs: defined(report.inputs),
    results: defined(report.results),
    warnings: report.warnings,
    notes: report.notes,
  };
}

/** Returns the JSON text of a report (schemaVersion 1), with a trailing newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(toJsonDocument(report), null, 2)}\n`;
}
