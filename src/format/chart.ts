import asciichart from 'asciichart';
import { formatQuantity } from '../core/units.js';
import { interpolate, xExtent, type ChartSpec } from './chart-spec.js';

export { interpolate, unitAxis, xExtent, type ChartSeries, type ChartSpec } from './chart-spec.js';

/** Options of the terminal chart. */
export interface TerminalChartOptions {
  /** Plot columns (the x-axis is resampled to this many points). */
  width?: number;
  /** Plot rows. */
  height?: number;
  /** Colour the series (decided by the entry: TTY, NO_COLOR, --no-color). */
  color?: boolean;
}

const SERIES_COLORS = [asciichart.blue, asciichart.green, asciichart.red, asciichart.magenta, asciichart.cyan, asciichart.yellow];

/**
 * Returns a line chart for a terminal (asciichart): title, y-axis with ticks, the series resampled
 * on a uniform x grid (so the x-axis is to scale), x-axis labels (min, middle, max) and a legend.
 */
export function renderTerminalChart(spec: ChartSpec, options: TerminalChartOptions = {}): string {
  const height = options.height ?? 12;
  const series = spec.series.filter((s) => s.points.length > 0);
  if (series.length === 0) return `${spec.title}\n(no points)\n`;
  const [xMin, xMax] = xExtent(series);
  const width = xMax === xMin ? 1 : Math.max(2, Math.min(options.width ?? 60, Math.max(...series.map((s) => s.points.length)) * 8));
  const xs = Array.from({ length: width }, (_, i) => (width === 1 ? xMin : xMin + ((xMax - xMin) * i) / (width - 1)));
  const ys = series.map((s) => xs.map((x) => interpolate(s.points, x)));
  const labelWidth = Math.max(...ys.flat().map((y) => formatQuantity(y).length), 4) + 1;
  const plot = asciichart.plot(ys, {
    height,
    format: (y: number) => formatQuantity(y).padStart(labelWidth),
    ...(options.color ? { colors: series.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]) } : {}),
  });
  const firstLine = plot.split('\n')[0] ?? '';
  // The y-axis sits after the tick labels: "   12.3 ┤" (the axis column is where the plot starts).
  // eslint-disable-next-line no-control-regex
  const axisAt = Math.max(firstLine.replace(/\u001b\[[0-9;]*m/g, '').search(/[\u2524\u253c]/), 0);
  const left = ' '.repeat(axisAt);
  const lo = formatQuantity(xMin);
  const mid = formatQuantity((xMin + xMax) / 2);
  const hi = formatQuantity(xMax);
  let ticks = `${lo}`;
  const midAt = Math.floor(width / 2) - Math.floor(mid.length / 2);
  if (width > lo.length + mid.length + hi.length + 4 && midAt > ticks.length) ticks = ticks.padEnd(midAt) + mid;
  ticks = ticks.padEnd(Math.max(width + 1 - hi.length, ticks.length + 1)) + hi;
  const out = [spec.title, `${spec.yLabel}`, plot, `${left}└${'─'.repeat(width)}`, `${left} ${ticks}`, `${left} ${spec.xLabel}`];
  if (series.length > 1) {
    series.forEach((s, i) => {
      const mark = options.color ? asciichart.colored('──', SERIES_COLORS[i % SERIES_COLORS.length]) : `─${i + 1}─`;
      out.push(`  ${mark} ${s.name}`);
    });
    if (!options.color) out.push('  (series in legend order; colour shows them apart on a TTY)');
  }
  return `${out.join('\n').split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
}
