import { flattenRow, type Cell, type Row } from './rows.js';

/**
 * Returns one CSV field: quoted (RFC 4180: doubled inner quotes) when it holds a comma, a quote,
 * a line break or leading/trailing spaces; numbers in JavaScript's shortest round-trip form.
 */
export function csvField(value: Cell | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Returns rows as CSV text: a header line of field names (nested objects flattened to dotted names,
 * in first-seen order), then one line per row; an empty cell where a row lacks a field. Lines end in "\n".
 */
export function renderCsv(rows: readonly Row[]): string {
  const flat = rows.map((row) => flattenRow(row));
  const header: string[] = [];
  const seen = new Set<string>();
  for (const row of flat) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        header.push(key);
      }
    }
  }
  const lines = [header.map(csvField).join(',')];
  for (const row of flat) lines.push(header.map((key) => csvField(row[key])).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) into rows of
 * strings; used by tests and by scripts that read our output back.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
