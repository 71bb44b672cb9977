// Renders a sweep as a table in two passes (measure, then write), in linear time and bounded memory, within the terminal's width.
import { formatQuantity } from '../../core/units.js';
import type { FieldSpec } from '../../format/fields.js';
import { formatHuman } from '../../format/human.js';
import { fitColumns, wrapText } from '../../format/layout.js';
import { markdownCell } from '../../format/markdown.js';
import type { Style } from '../../format/style.js';
import { ownValueAt, tableColumns, type PointResults } from './fields.js';
import type { SweepRequest } from './request.js';
import type { ByteChunks } from './sink.js';
import { forEachPoint, type VaryAxis } from './vary.js';

/** A table's columns: their heads, what each shows of a point, and the sizes measured (padding included, as fitColumns counts). */
interface Layout {
  head: string[];
  /** Widest text of each column (head included), plus the two padding spaces. */
  natural: number[];
  /** Longest word of each column, plus the padding: the narrowest it wraps to. */
  words: number[];
  /** Grid only: the unit word every value cell ends with (" days"), moved into the caption; null when they differ. */
  suffix?: string | null;
  /** The cells of one point (1-D: a row; 2-D: the first-axis label and the point's cell). */
  cells: (row: PointResults, shown: readonly number[]) => string[];
}

const PADDING = 2;

/** Returns the text of a result cell: the value in human units, empty when the point has none. */
function cell(row: PointResults, field: FieldSpec): string {
  const value = ownValueAt(row, field.key);
  return value === undefined ? '' : formatHuman(value, field.unit);
}

/** Returns the length of the longest word of `text`. */
function longestWord(text: string): number {
  if (!text.includes(' ')) return text.length;
  return text.split(' ').reduce((n, w) => Math.max(n, w.length), 0);
}

/** Widens column `i` of the layout to hold `text`. */
function fit(layout: Layout, i: number, text: string): void {
  if (text.length + PADDING > (layout.natural[i] as number)) layout.natural[i] = text.length + PADDING;
  const word = longestWord(text) + PADDING;
  if (word > (layout.words[i] as number)) layout.words[i] = word;
}

/** Returns a border line of a box table (cli-table3's compact style) for the column widths (padding included). */
function border(widths: readonly number[], left: string, middle: string, right: string): string {
  return `${left}${widths.map((w) => '─'.repeat(w)).join(middle)}${right}\n`;
}

/** Returns one row of a box table: each cell wrapped at word boundaries to its column (then styled), as many lines as the tallest. */
function boxRow(cells: readonly string[], widths: readonly number[], style: (s: string) => string = (s) => s): string {
  const room = widths.map((w) => Math.max(1, w - PADDING));
  const wrapped = cells.map((c, i) => (c.length <= (room[i] as number) ? [c] : wrapText(c, room[i] as number)));
  const height = wrapped.reduce((n, lines) => Math.max(n, lines.length), 1);
  let text = '';
  for (let k = 0; k < height; k++) {
    let line = '│';
    for (let i = 0; i < widths.length; i++) line += ` ${style((wrapped[i]?.[k] ?? '').padEnd(room[i] as number))} │`;
    text += `${line}\n`;
  }
  return text;
}

/** Returns column widths (padding included) within `maxWidth`: natural when they fit, else narrowed by fitColumns, else equal shares. */
function widthsWithin(natural: readonly number[], words: readonly number[], maxWidth: number): number[] {
  const fitted = fitColumns(natural, words, maxWidth);
  if (fitted) return fitted;
  const share = Math.max(PADDING + 1, Math.floor((maxWidth - natural.length - 1) / natural.length));
  return natural.map((n) => Math.min(n, share));
}

/** What the caller of a table learns in the measuring pass and keeps for the writing pass. */
export interface SweepTable {
  /** Fields whose values the table needs of each point (the y field first). */
  fields: string[];
  /** Takes one point's row in the measuring pass (grid order, `index` the point's). */
  measure: (row: PointResults, shown: readonly number[], index: number) => void;
  /** Writes the table (and a line on what did not fit) after the measuring pass. */
  write: (out: ByteChunks, select: (values: readonly number[]) => PointResults, style: Style) => void;
  /** Writes the table as GitHub markdown (no width limit: a document, not a terminal). */
  markdown: (out: ByteChunks, select: (values: readonly number[]) => PointResults) => void;
}

/** Returns the table of a sweep: a row per point (one --vary), or a grid of the y field (two). */
export function sweepTable(request: SweepRequest, first: PointResults, y: FieldSpec): SweepTable {
  const [a, b] = request.axes as [VaryAxis, VaryAxis | undefined];
  const columns = tableColumns(request, first, y);
  const layout = b ? gridLayout(a, b, y) : rowLayout(columns, a);
  const measure = (row: PointResults, shown: readonly number[], index: number): void => {
    const cells = layout.cells(row, shown);
    if (!b) {
      for (let i = 0; i < cells.length; i++) fit(layout, i, cells[i] as string);
      return;
    }
    // In grid order the second axis runs fastest: its index is the column (after the first-axis label).
    const text = cells[1] as string;
    fit(layout, 0, cells[0] as string);
    fit(layout, 1 + (index % b.values.length), text);
    if (text !== '' && layout.suffix !== null) {
      const unit = / [^\d\s]+$/.exec(text)?.[0] ?? null;
      layout.suffix = layout.suffix === undefined || layout.suffix === unit ? unit : null;
    }
  };
  const fields = b ? [y.key] : columns.map((c) => c.key);
  return {
    fields: fields.includes(y.key) ? fields : [y.key, ...fields],
    measure,
    write: (out, select, style) => (b ? writeGrid(out, a, b, layout, y, select, style) : writeRows(out, request.axes, layout, select, style)),
    markdown: (out, select) => writeMarkdown(out, request.axes, layout, select),
  };
}

/** Returns the layout of a 1-D table: the varied flag, then the y field and the headline results. */
function rowLayout(columns: readonly FieldSpec[], axis: VaryAxis): Layout {
  const head = [`--${axis.flag}`, ...columns.map((c) => c.label)];
  const layout: Layout = { head, natural: head.map(() => 0), words: head.map(() => 0), cells: (row, shown) => [formatQuantity(shown[0] as number), ...columns.map((c) => cell(row, c))] };
  head.forEach((h, i) => fit(layout, i, h));
  return layout;
}

/** Returns the layout of a 2-D grid: first-axis values down, second-axis values across, the y field in the cells. */
function gridLayout(a: VaryAxis, b: VaryAxis, y: FieldSpec): Layout {
  const head = [`${y.label}: --${a.flag} \\ --${b.flag}`, ...b.shown.map((v) => formatQuantity(v))];
  const layout: Layout = { head, natural: head.map(() => 0), words: head.map(() => 0), cells: (row, shown) => [formatQuantity(shown[0] as number), cell(row, y)] };
  // The caption is measured when it is known (after the measuring pass: it may name the unit).
  head.forEach((h, i) => i > 0 && fit(layout, i, h));
  return layout;
}

/** Writes a 1-D table within the style's width: columns narrowed and wrapped as other tables are; columns that fit in no way are left out and named. */
function writeRows(out: ByteChunks, axes: readonly VaryAxis[], layout: Layout, select: (values: readonly number[]) => PointResults, style: Style): void {
  let kept = layout.head.length;
  while (kept > 2 && !fitColumns(layout.natural.slice(0, kept), layout.words.slice(0, kept), style.width)) kept--;
  const widths = widthsWithin(layout.natural.slice(0, kept), layout.words.slice(0, kept), style.width);
  out.add(border(widths, '┌', '┬', '┐'));
  out.add(boxRow(layout.head, widths, style.bold));
  out.add(border(widths, '├', '┼', '┤'));
  forEachPoint(axes, (values, shown) => out.add(boxRow(layout.cells(select(values), shown), widths)));
  out.add(border(widths, '└', '┴', '┘'));
  if (kept < layout.head.length) {
    for (const line of wrapText(`(not shown, to fit ${style.width} columns: ${layout.head.slice(kept).join(', ')}; --format csv has them)`, style.width)) out.add(`${line}\n`);
  }
}

/** Writes a 2-D grid in blocks of second-axis columns, each block as many columns as fit the style's width. */
function writeGrid(out: ByteChunks, a: VaryAxis, b: VaryAxis, layout: Layout, y: FieldSpec, select: (values: readonly number[]) => PointResults, style: Style): void {
  // When every value ends in the same unit word (" days", " GPU-hours"), the cells drop it and the
  // caption says it once (unless the label does already).
  const unit = layout.suffix ?? '';
  const label = layout.head[0] as string;
  const caption = unit && !y.label.includes(unit.trim()) ? label.replace(':', ` (${unit.trim()}):`) : label;
  const head = [caption, ...layout.head.slice(1)];
  fit(layout, 0, caption);
  const natural = layout.natural.map((n, i) => (i === 0 ? n : Math.max(head[i] ? head[i].length + PADDING : 0, n - unit.length)));
  const words = layout.words.map((w, i) => Math.min(w, natural[i] as number));
  const values = [0, 0];
  const shown = [0, 0];
  for (let start = 1; start < natural.length; ) {
    let end = start + 1;
    let used = (natural[0] as number) + (natural[start] as number) + 3;
    while (end < natural.length && used + (natural[end] as number) + 1 <= style.width) used += (natural[end++] as number) + 1;
    const columns = [0, ...Array.from({ length: end - start }, (_, k) => start + k)];
    const widths = widthsWithin(columns.map((c) => natural[c] as number), columns.map((c) => words[c] as number), style.width);
    if (start > 1) out.add('\n');
    out.add(border(widths, '┌', '┬', '┐'));
    out.add(boxRow(columns.map((c) => head[c] as string), widths, style.bold));
    out.add(border(widths, '├', '┼', '┤'));
    for (let i = 0; i < a.values.length; i++) {
      values[0] = a.values[i] as number;
      shown[0] = a.shown[i] as number;
      const cells = [formatQuantity(shown[0])];
      for (let c = start; c < end; c++) {
        values[1] = b.values[c - 1] as number;
        shown[1] = b.shown[c - 1] as number;
        const text = layout.cells(select(values), shown)[1] as string;
        cells.push(text === '' ? text : text.slice(0, text.length - unit.length));
      }
      out.add(boxRow(cells, widths));
    }
    out.add(border(widths, '└', '┴', '┘'));
    start = end;
  }
}

/** Writes the table as GitHub markdown: a row per point, or the grid in one table. */
function writeMarkdown(out: ByteChunks, axes: readonly VaryAxis[], layout: Layout, select: (values: readonly number[]) => PointResults): void {
  const line = (cells: readonly string[]): string => `| ${cells.map(markdownCell).join(' | ')} |\n`;
  out.add(line(layout.head));
  out.add(`| ${layout.head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |\n`);
  const b = axes[1];
  if (!b) {
    forEachPoint(axes, (values, shown) => out.add(line(layout.cells(select(values), shown))));
    return;
  }
  let cells: string[] = [];
  forEachPoint(axes, (values, shown, index) => {
    if (index % b.values.length === 0) cells = [formatQuantity(shown[0] as number)];
    cells.push(layout.cells(select(values), shown)[1] as string);
    if (cells.length === b.values.length + 1) out.add(line(cells));
  });
}
