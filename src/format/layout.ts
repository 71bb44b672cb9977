import Table from 'cli-table3';
import { ANSI, visibleWidth } from './wrap.js';

export { visibleWidth, wrapText } from './wrap.js';

// Keeps tables and text within the terminal's width (issue 14). The width comes from the entry
// (Style.width, decided once: stdout's columns, COLUMNS, else 80); renderers pass it here. Only
// table renderers import this file (it loads cli-table3).

/** A table cell: text, or a cell spanning several columns (group headings). */
export type LayoutCell = string | { content: string; colSpan: number };

/** What fitTable draws. */
export interface FitTableOptions {
  head?: readonly string[];
  rows: ReadonlyArray<readonly LayoutCell[]>;
  /** Columns the whole table may use, borders included. */
  width: number;
  /** Per column: 'right' for numbers; left by default. */
  align?: ReadonlyArray<'left' | 'right'>;
  /**
   * When the columns cannot fit even wrapped to their longest word (many scenarios side by side),
   * split the table into several, each repeating the first column (the row labels). Default true.
   */
  split?: boolean;
  /** The narrowest the columns after the first may become before the table is split (default 6). */
  minWidth?: number;
}

// cli-table3 pads each cell by one space on each side; a table of n columns has n + 1 borders.
const PADDING = 2;
/** The narrowest a column is squeezed to (before its text is abbreviated with "…"). */
const MIN_COLUMN = 6;

/** Returns the width of the longest word of `text` (the narrowest it wraps to without breaking a word). */
function longestWord(text: string): number {
  let widest = 0;
  for (const word of text.replace(ANSI, '').split(/\s+/)) widest = Math.max(widest, [...word].length);
  return widest;
}

/**
 * Returns each column's width (padding included) so that the table fits `width`, or undefined when
 * it cannot without breaking words. Columns keep their natural width when everything fits; else the
 * widest are narrowed first (their text then wraps at word boundaries), never below their longest word
 * (nor, after the first, below `minWidth`).
 */
export function fitColumns(natural: readonly number[], words: readonly number[], width: number, minWidth = MIN_COLUMN): number[] | undefined {
  const available = width - (natural.length + 1);
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= available) return [...natural];
  const floor = natural.map((n, i) => Math.min(n, Math.max(words[i] ?? 0, i === 0 ? MIN_COLUMN : minWidth)));
  if (floor.reduce((a, b) => a + b, 0) > available) return undefined;
  // The largest cap such that every column narrowed to max(floor, cap) fits.
  let low = 0;
  let high = Math.max(...natural);
  const used = (cap: number): number => natural.reduce((sum, n, i) => sum + Math.min(n, Math.max(floor[i] ?? 0, cap)), 0);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (used(mid) <= available) low = mid;
    else high = mid - 1;
  }
  const widths = natural.map((n, i) => Math.min(n, Math.max(floor[i] ?? 0, low)));
  // Columns still narrower than their text share what is left, one column each, widest first.
  let spare = available - widths.reduce((a, b) => a + b, 0);
  for (let i = 0; spare > 0 && i < widths.length; i++) {
    if ((widths[i] ?? 0) < (natural[i] ?? 0)) {
      widths[i] = (widths[i] ?? 0) + 1;
      spare--;
    }
  }
  return widths;
}

/**
 * Returns a table (cli-table3, compact, no colour of its own) no wider than `width`: columns narrowed
 * and their text wrapped at word boundaries when needed; a word longer than its column is cut with
 * "…". With `split`, too many columns become several tables that repeat the first column.
 */
export function fitTable(options: FitTableOptions): string {
  const { head, rows, width } = options;
  const { columns, natural, words } = measure(options);
  const widths = fitColumns(natural, words, width, options.minWidth);
  if (!widths && options.split !== false && columns > 2) return splitTable(options, natural, words, columns);
  // Still too wide (a single huge column, or split off): squeeze anyway and let cli-table3 cut words.
  const colWidths = widths ?? squeeze(natural, width);
  const table = new Table({
    ...(head ? { head: [...head] } : {}),
    colWidths,
    wordWrap: true,
    wrapOnWordBoundary: true,
    ...(options.align ? { colAligns: [...options.align] } : {}),
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push(row.map((cell) => (typeof cell === 'string' ? cell : { content: cell.content, colSpan: cell.colSpan })));
  return table.toString();
}

/** Returns the table's column count, each column's natural width and its longest word (padding included). */
function measure(options: Pick<FitTableOptions, 'head' | 'rows'>): { columns: number; natural: number[]; words: number[] } {
  const { head, rows } = options;
  const columns = Math.max(head?.length ?? 0, ...rows.map((row) => row.reduce((n, cell) => n + span(cell), 0)));
  const natural = new Array<number>(columns).fill(PADDING + 1);
  const words = new Array<number>(columns).fill(1);
  for (const row of head ? [head, ...rows] : rows) {
    let x = 0;
    for (const cell of row) {
      if (typeof cell === 'string') {
        natural[x] = Math.max(natural[x] ?? 0, visibleWidth(cell) + PADDING);
        words[x] = Math.max(words[x] ?? 0, longestWord(cell) + PADDING);
      }
      x += span(cell);
    }
  }
  return { columns, natural, words };
}

/** Returns the width of a table drawn without wrapping (borders included): compare it with the terminal's. */
export function naturalTableWidth(options: Pick<FitTableOptions, 'head' | 'rows'>): number {
  const { natural } = measure(options);
  return natural.reduce((a, b) => a + b, 0) + natural.length + 1;
}

function span(cell: LayoutCell): number {
  return typeof cell === 'string' ? 1 : cell.colSpan;
}

/** Column widths that fit `width` at any cost: every column at most an equal share (at least 3). */
function squeeze(natural: readonly number[], width: number): number[] {
  const share = Math.max(PADDING + 1, Math.floor((width - natural.length - 1) / natural.length));
  return natural.map((n) => Math.min(n, share));
}

/** Draws the table as several, each with the first column and as many of the others as fit narrowed. */
function splitTable(options: FitTableOptions, natural: readonly number[], words: readonly number[], columns: number): string {
  const parts: string[] = [];
  const narrowest = (i: number): number => Math.min(natural[i] ?? 0, Math.max(words[i] ?? 0, options.minWidth ?? MIN_COLUMN));
  const first = Math.min(natural[0] ?? 0, Math.max(words[0] ?? 0, Math.floor(options.width / 3)));
  for (let start = 1; start < columns; ) {
    let end = start + 1;
    let used = first + narrowest(start) + 3;
    while (end < columns && used + narrowest(end) + 1 <= options.width) used += narrowest(end++) + 1;
    const pick = <T>(row: readonly T[]): T[] => [row[0] as T, ...row.slice(start, end)];
    // Rows with spanning cells (headings) keep their first cell, spanning the part's columns.
    const rows = options.rows.map((row) =>
      row.some((cell) => typeof cell !== 'string') ? [{ content: cellText(row[0]), colSpan: end - start + 1 }] : pick(row),
    );
    parts.push(
      fitTable({
        ...options,
        ...(options.head ? { head: pick(options.head) } : {}),
        rows,
        ...(options.align ? { align: pick(options.align) } : {}),
        split: false,
      }),
    );
    start = end;
  }
  return parts.join('\n');
}

function cellText(cell: LayoutCell | undefined): string {
  return cell === undefined ? '' : typeof cell === 'string' ? cell : cell.content;
}

