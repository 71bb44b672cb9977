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
