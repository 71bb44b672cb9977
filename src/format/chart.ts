import asciichart from 'asciichart';
import { formatQuantity } from '../core/units.js';

/** One line of a chart: points (x, y) in the units shown on the axes, x ascending. */
export interface ChartSeries {
  /** Legend text, e.g. "gpus = 16k"; empty for a single series. */
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

/** What a line chart shows: title, axis labels with units, and one or more series. */
export interface ChartSpec {
  title: string;
  /** x-axis label with its unit, e.g. "MFU (fraction of peak)". */
  xLabel: string;
  /** y-axis label with its unit, e.g. "Wall-clock (days)". */
  yLabel: string;
  series: readonly ChartSeries[];
}

/** Options of the terminal chart. */
export interface TerminalChartOptions {
  /** Plot columns (the x-axis is resampled to this many points). */
  width?: number;
  /** Plot rows. */
  height?: number;
  /** Colour the series (decided by the entry: TTY, NO_COLOR, --no-color). */
  color?: boolean;
}

const AXIS_UNITS: Readonly<Record<string, { unit: string; scale: number }>> = {
  flops: { unit: 'FLOPs', scale: 1 },
  flopRate: { unit: 'FLOP/s', scale: 1 },
  tflops: { unit: 'TFLOP/s', scale: 1e-12 },
  seconds: { unit: 's', scale: 1 },
  days: { unit: 'days', scale: 1 },
  hours: { unit: 'h', scale: 1 },
  minutes: { unit: 'min', scale: 1 },
  gpuHours: { unit: 'GPU-hours', scale: 1 },
  usd: { unit: 'USD', scale: 1 },
  mw: { unit: 'MW', scale: 1 },
  kwh: { unit: 'kWh', scale: 1 },
  percent: { unit: '%', scale: 100 },
  fraction: { unit: 'fraction', scale: 1 },
  count: { unit: 'count', scale: 1 },
  watts: { unit: 'W', scale: 1 },
  kw: { unit: 'kW', scale: 1 },
  usdPerKwh: { unit: 'USD/kWh', scale: 1 },
  multiplier: { unit: 'x', scale: 1 },
  bytes: { unit: 'bytes', scale: 1 },
  bytesPlain: { unit: 'bytes', scale: 1 },
  bytesPerSecond: { unit: 'bytes/s', scale: 1 },
  tonnes: { unit: 't', scale: 1 },
};

/**
 * Returns the unit shown on a chart axis for a field's unit kind, and the factor from the base unit
 * (percent: 100); an unknown kind is shown as it is, without a unit.
 */
export function unitAxis(kind: string): { unit: string; scale: number } {
  return AXIS_UNITS[kind] ?? { unit: '', scale: 1 };
}

const SERIES_COLORS = [asciichart.blue, asciichart.green, asciichart.red, asciichart.magenta, asciichart.cyan, asciichart.yellow];

/**
 * Returns y of a series at `x`, linearly interpolated between its points (x ascending);
 * the nearest end's y outside the series.
 */
export function interpolate(points: ChartSeries['points'], x: number): number {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) throw new Error('interpolate: empty series');
  if (x <= first[0]) return first[1];
  if (x >= last[0]) return last[1];
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as readonly [number, number])[0] <= x) lo = mid;
    else hi = mid;
  }
  const [x0, y0] = points[lo] as readonly [number, number];
  const [x1, y1] = points[hi] as readonly [number, number];
  return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/** Returns the smallest and largest x of all series. */
export function xExtent(series: readonly ChartSeries[]): [number, number] {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  return [Math.min(...xs), Math.max(...xs)];
}

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
  const axisAt = Math.max(firstLine.replace(/\u001b\[[0-9;]*m/g, '').search(/[┤┼]/), 0);
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
