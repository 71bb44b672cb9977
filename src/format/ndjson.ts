import type { Row } from './rows.js';

/** Returns rows as NDJSON: one compact JSON object per line, each line ending in "\n". */
export function renderNdjson(rows: readonly Row[]): string {
  let out = '';
  for (const row of rows) out += `${ndjsonLine(row)}\n`;
  return out;
}

/** Returns one row as compact JSON (no newline); throws on a non-finite number (a bug). */
export function ndjsonLine(row: Row): string {
  return JSON.stringify(row, (key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${key} is not a finite number`);
    return value;
  });
}
