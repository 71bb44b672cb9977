// Runs `sweep`: reads the request, checks every point in a first pass, then streams the chosen output in a second.
import { withCommas } from '../../format/human.js';
import type { OutputFormat } from '../../format/formats.js';
import { PLOT_COLUMNS } from '../../format/chart-spec.js';
import type { Style } from '../../format/style.js';
import { wrapText } from '../../format/wrap.js';
import { echo, safeOutput } from '../../text.js';
import { UsageError } from '../../errors.js';
import type { PresetSet } from '../../presets/parse.js';
import type { CommandOutput } from '../context.js';
import { chartCollector } from './chart.js';
import { makeEvaluator } from './evaluate.js';
import { changingY, definedOnly, planAxisNote, rowFields, yField, type PointResults } from './fields.js';
import { readSweepRequest } from './request.js';
import { csvHeader, writeCsv, writeJsonHead, writeJsonPoints, writeNdjson } from './rows.js';
import { ByteChunks } from './sink.js';
import { sweepTable } from './table.js';
import { forEachPoint, namingPoint, pointCount } from './vary.js';

export { makeEvaluator, type Evaluator, type Selector } from './evaluate.js';
export { defaultFields, pickFields, yField, type PointResults } from './fields.js';
export { readSweepRequest, type SweepRequest } from './request.js';
export { ByteChunks } from './sink.js';
export { forEachPoint, MAX_SWEEP_POINTS, parseVary, type VaryAxis } from './vary.js';

/** What --fields all leaves out, and how to have it. */
export const ALL_BUT_THROUGHPUT =
  "--fields all: every result but throughput (estimate's plan search at every point would make a large sweep several times slower); --fields all,throughput adds it";

/** How a sweep is shown: format, style, and whether a terminal chart may be drawn. */
export interface SweepOutputOptions {
  format: OutputFormat;
  style: Style;
  /** stdout is a terminal and no --out was given: the default chart is drawn. */
  terminal: boolean;
  /** Colour the terminal chart. */
  color: boolean;
  /** --quiet: the table alone (no heading, no default chart, no notes). */
  quiet?: boolean;
}

/** Returns the output that streams `write`'s bytes after `stdout`, once the command has succeeded. */
function streamed(stdout: string, write: (out: ByteChunks) => void): CommandOutput {
  return {
    stdout,
    writeRest: (sink) => {
      const out = new ByteChunks(sink);
      write(out);
      out.done();
    },
  };
}

/** Returns every result of the sweep's last point, or undefined when every axis has one value or the point fails (the check pass reports it in order). */
function lastPoint(evaluate: (values: readonly number[]) => PointResults, axes: readonly { values: readonly number[] }[]): PointResults | undefined {
  if (axes.every((a) => a.values.length < 2)) return undefined;
  try {
    return evaluate(axes.map((a) => a.values[a.values.length - 1] as number));
  } catch {
    return undefined;
  }
}

/**
 * Runs `sweep`. Nothing is kept per point: a first pass evaluates every point (so that a failing point
 * is an error before anything is written, and measures what the output needs: a CSV header, column
 * widths, the chart), then the output is streamed, each point evaluated again.
 */
export async function sweepCommand(raw: Record<string, unknown>, presets: () => PresetSet, options: SweepOutputOptions): Promise<CommandOutput> {
  const asked = readSweepRequest(raw);
  const { axes } = asked;
  const evaluator = makeEvaluator(asked.command, asked.flags, presets(), axes);
  const report = evaluator.first;
  const first = definedOnly(report.results);
  const { request, note: yNote } = changingY(asked, first, lastPoint(evaluator.evaluate, axes));
  const gap = report.notes.find((n) => n.startsWith('throughput not predicted'));
  // A throughput field of a point without one: why, rather than "no result" (the first point names the results).
  const named = [...(Array.isArray(request.fields) ? request.fields : []), ...(request.y === undefined ? [] : [request.y])];
  const throughputName = named.find((f) => f.split('.')[0] === 'throughput');
  if (throughputName !== undefined && first['throughput'] === undefined) throw new UsageError(`--${request.y === throughputName ? 'y' : 'fields'} ${echo(throughputName)}: the first point has no throughput (${gap ?? 'throughput not predicted'})`);
  // --fields is checked whatever the format (a table does not use it, but a typo is still an error).
  const fields = rowFields(request, first);
  // The first point's warnings go to stderr (the entry writes them, in every format).
  const warnings = report.warnings.map((w) => `first point: ${w}`);
  const planNote = planAxisNote(request, first, gap);
  if (planNote) warnings.push(planNote);
  if (yNote && !planNote) warnings.push(yNote);
  // A script reading rows is told on stderr that results were left out (issue 14); not with --quiet.
  const rowNotes = request.fields === undefined && fields ? [`rows hold the table's columns (${fields.join(', ')}), not every result; --fields all for all of them`] : [];
  if (request.fields === 'all' && first['throughput'] !== undefined) rowNotes.push(ALL_BUT_THROUGHPUT);
  if (request.chart === 'svg') {
    if (options.format !== 'table') throw new UsageError(`--chart svg: the SVG is the output; leave out --format ${options.format}`);
    const y = yField(request, first);
    const chart = chartCollector(axes, y, PLOT_COLUMNS.svg);
    const selector = evaluator.select([y.key]);
    forEachPoint(axes, namingPoint(axes, (values, shown, index: number) => chart.add(selector.row(values), shown, index)));
    const { renderSvgChart } = await import('../../format/svg.js');
    return { stdout: renderSvgChart(chart.spec(report.title)), warnings };
  }
  if (options.format === 'ndjson' || options.format === 'json') {
    const selector = evaluator.select(fields);
    forEachPoint(axes, namingPoint(axes, (values) => selector.check(values)));
    if (options.format === 'ndjson') return { ...streamed('', (out) => writeNdjson(out, axes, selector)), warnings, notes: rowNotes };
    // The head is written in the stream too (its axis values may be a million numbers, not to be kept
    // for the whole run as stdout is), made safe for a terminal as the entry makes stdout.
    const write = (out: ByteChunks): void => {
      writeJsonHead(out, request, report, (text) => safeOutput(text, 'json'));
      writeJsonPoints(out, axes, selector);
    };
    return { ...streamed('', write), warnings, notes: rowNotes };
  }
  if (options.format === 'csv') {
    const selector = evaluator.select(fields);
    const header = csvHeader(axes, selector);
    return { ...streamed('', (out) => writeCsv(out, axes, selector, header)), warnings, notes: rowNotes };
  }
  const y = yField(request, first);
  const table = sweepTable(request, first, y);
  const selector = evaluator.select(table.fields);
  const title = report.title.replace(/^llmcost /, '');
  const varied = axes.map((a) => `--vary ${a.flag}=${a.spec}`);
  if (options.format === 'markdown') {
    forEachPoint(axes, namingPoint(axes, (values) => selector.check(values)));
    const heading = options.quiet ? '' : `### llmcost sweep: ${title}, ${varied.join(' ')}\n\n`;
    return { ...streamed(heading, (out) => table.markdown(out, selector.row)), warnings };
  }
  const quiet = options.quiet === true;
  const drawChart = request.chart === 'terminal' || (request.chart === undefined && options.terminal && !quiet);
  const chart = drawChart ? chartCollector(axes, y, PLOT_COLUMNS.terminal) : undefined;
  forEachPoint(
    axes,
    namingPoint(axes, (values, shown, index: number) => {
      const row = selector.row(values);
      table.measure(row, shown, index);
      chart?.add(row, shown, index);
    }),
  );
  const { style } = options;
  const head = quiet ? [] : [...wrapText(`llmcost sweep: ${title}`, style.width).map(style.bold), ...wrapText(`${varied.join(', ')} (${withCommas(pointCount(axes))} points)`, style.width), ''];
  if (chart) {
    const { renderTerminalChart } = await import('../../format/chart.js');
    head.push(renderTerminalChart(chart.spec(report.title), { color: options.color }));
  }
  const notes = quiet ? [] : report.notes.flatMap((note) => wrapText(safeOutput(note, 'text'), style.width, 'note (first point): ', 6));
  return {
    ...streamed(head.length > 0 ? `${head.join('\n')}\n` : '', (out) => {
      table.write(out, selector.row, style);
      for (const line of notes) out.add(`${line}\n`);
    }),
    warnings,
  };
}
