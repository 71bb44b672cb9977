// Writes a sweep's rows (NDJSON, a JSON document, CSV) one point at a time: memory does not grow with the number of points.
import { csvField } from '../../format/csv.js';
import type { Report } from '../../format/report.js';
import { finite } from '../../format/rows.js';
import { rowPrefix, type Selector } from './evaluate.js';
import type { SweepRequest } from './request.js';
import type { ByteChunks } from './sink.js';
import { forEachPoint, namingPoint, type VaryAxis } from './vary.js';

/** Writes one compact JSON row per point, a line each. */
export function writeNdjson(out: ByteChunks, axes: readonly VaryAxis[], selector: Selector): void {
  const prefix = rowPrefix(axes);
  forEachPoint(axes, (values, shown) => out.add(`${prefix(shown)}${selector.json(values)}}\n`));
}

/**
 * Writes the head of a sweep's JSON document (the axes, the first point's inputs, warnings and notes,
 * up to its points), the text made safe for a terminal by `safe`. The axes' values (a million
 * numbers, perhaps) are written a piece at a time where JSON.stringify would put them, not held in
 * one string.
 */
export function writeJsonHead(out: ByteChunks, request: SweepRequest, first: Report, safe: (text: string) => string): void {
  const mark = (i: number): string => `\u0000vary-values-${i}`;
  const head = {
    schemaVersion: 1,
    command: 'sweep',
    sweeps: request.command,
    vary: request.axes.map((a, i) => ({ flag: a.flag, spec: a.spec, values: mark(i) })),
    inputs: Object.fromEntries(Object.entries(first.inputs).filter(([, v]) => v !== undefined)),
    warnings: first.warnings,
    notes: first.notes,
  };
  let text = safe(`${JSON.stringify(head, null, 2).slice(0, -2)},\n  "points": [\n`);
  request.axes.forEach((axis, i) => {
    const at = text.indexOf(JSON.stringify(mark(i)));
    out.add(text.slice(0, at));
    // JSON.stringify's layout of a number array at this depth: one value a line, 8 spaces in.
    out.add('[\n');
    for (let j = 0; j < axis.shown.length; j++) out.add(`${j === 0 ? '' : ',\n'}        ${JSON.stringify(axis.shown[j])}`);
    out.add('\n      ]');
    text = text.slice(at + JSON.stringify(mark(i)).length);
  });
  out.add(text);
}

/** Writes the points of a sweep's JSON document (after its head) and its end. */
export function writeJsonPoints(out: ByteChunks, axes: readonly VaryAxis[], selector: Selector): void {
  const prefix = rowPrefix(axes);
  let separator = '    ';
  forEachPoint(axes, (values, shown) => {
    out.add(`${separator}${prefix(shown)}${selector.json(values)}}`);
    separator = ',\n    ';
  });
  out.add('\n  ]\n}\n');
}

/** A level of the CSV header's name tree: the names found below it, so that a row's names are checked without building strings. */
interface NameNode {
  path: string;
  leaves: Set<string>;
  children: Map<string, NameNode>;
}

/** Returns one point's row as CSV sees it: the varied flags' values and the results. */
function pointRow(axes: readonly VaryAxis[], shown: readonly number[], results: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < axes.length; i++) row[(axes[i] as VaryAxis).flag] = shown[i];
  row['results'] = results;
  return row;
}

/**
 * Returns the CSV header of a sweep: every flattened name of every row ("results.memory.fits"), in
 * first-seen order, as renderCsv would find them (one pass over the points, which also checks that
 * each succeeds). Memory grows with the names, not the points.
 */
export function csvHeader(axes: readonly VaryAxis[], selector: Selector): string[] {
  const header: string[] = [];
  const root: NameNode = { path: '', leaves: new Set(), children: new Map() };
  const walk = (value: Record<string, unknown>, node: NameNode): void => {
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (v === undefined || v === null) continue;
      if (typeof v === 'object') {
        let child = node.children.get(key);
        if (!child) node.children.set(key, (child = { path: `${node.path}${key}.`, leaves: new Set(), children: new Map() }));
        walk(v as Record<string, unknown>, child);
      } else if (!node.leaves.has(key) && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) {
        if (typeof v === 'number') finite(v, node.path + key);
        node.leaves.add(key);
        header.push(node.path + key);
      }
    }
  };
  forEachPoint(axes, namingPoint(axes, (values, shown) => walk(pointRow(axes, shown, selector.row(values)), root)));
  return header;
}

/** Returns a CSV cell: numbers as they are (never quoted), other values as csvField writes them, empty for none. */
function csvCell(value: unknown, name: string): string {
  if (typeof value === 'number') return String(finite(value, name));
  if (typeof value === 'string' || typeof value === 'boolean') return csvField(value);
  return '';
}

/** Writes the CSV of a sweep: the header line, then a line per point (an empty cell where a point lacks a name). */
export function writeCsv(out: ByteChunks, axes: readonly VaryAxis[], selector: Selector, header: readonly string[]): void {
  out.add(`${header.map(csvField).join(',')}\n`);
  // Each column read by its path (no flattened copy of the row): "results.gpuHoursRange.0" -> ['gpuHoursRange', '0'].
  const columns = header.map((name) => {
    const axis = axes.findIndex((a) => a.flag === name);
    return { name, axis, path: name.split('.').slice(1) };
  });
  forEachPoint(axes, (values, shown) => {
    const results = selector.row(values);
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      const { name, axis, path } = columns[c] as (typeof columns)[number];
      let value: unknown = results;
      if (axis >= 0) value = shown[axis];
      else for (let i = 0; i < path.length && value !== undefined && value !== null; i++) value = (value as Record<string, unknown>)[path[i] as string];
      line += (c === 0 ? '' : ',') + csvCell(value, name);
    }
    out.add(`${line}\n`);
  });
}
