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

/** Returns the smallest and largest x of all series (a loop: a spread of many points overflows the stack). */
export function xExtent(series: readonly ChartSeries[]): [number, number] {
  return extent(series, 0);
}

/** Returns the smallest and largest y of all series. */
export function yExtent(series: readonly ChartSeries[]): [number, number] {
  return extent(series, 1);
}

function extent(series: readonly ChartSeries[], at: 0 | 1): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const p of s.points) {
      if (p[at] < lo) lo = p[at];
      if (p[at] > hi) hi = p[at];
    }
  }
  return [lo, hi];
}

/** Plot columns of the charts: the terminal chart's characters, the SVG chart's pixels (at least its plot width). */
export const PLOT_COLUMNS = { terminal: 60, svg: 640 } as const;

/**
 * Collects a series' points in bounded memory: every point while there are at most two per plot
 * column, then only the lowest and the highest point of each column (min-max decimation), which
 * draws the same line at the plot's resolution.
 */
export class SeriesReducer {
  private exact: Array<readonly [number, number]> | undefined = [];
  private lowX = new Float64Array(0);
  private lowY = new Float64Array(0);
  private highX = new Float64Array(0);
  private highY = new Float64Array(0);

  /** `xMin` and `xMax` bound every x added; `columns` is the plot's resolution. */
  constructor(
    private readonly xMin: number,
    private readonly xMax: number,
    private readonly columns: number,
  ) {}

  /** Adds a point (a non-finite y is skipped: the point has no value). */
  add(x: number, y: number): void {
    if (!Number.isFinite(y)) return;
    if (this.exact) {
      this.exact.push([x, y]);
      if (this.exact.length <= 2 * this.columns) return;
      const points = this.exact;
      this.exact = undefined;
      this.lowX = new Float64Array(this.columns);
      this.lowY = new Float64Array(this.columns).fill(Infinity);
      this.highX = new Float64Array(this.columns);
      this.highY = new Float64Array(this.columns).fill(-Infinity);
      for (const [px, py] of points) this.bucket(px, py);
      return;
    }
    this.bucket(x, y);
  }

  private bucket(x: number, y: number): void {
    const span = this.xMax - this.xMin;
    const c = span > 0 ? Math.min(this.columns - 1, Math.floor(((x - this.xMin) / span) * this.columns)) : 0;
    if (y < (this.lowY[c] as number)) {
      this.lowY[c] = y;
      this.lowX[c] = x;
    }
    if (y > (this.highY[c] as number)) {
      this.highY[c] = y;
      this.highX[c] = x;
    }
  }

  /** Returns the points kept, x ascending. */
  points(): Array<readonly [number, number]> {
    if (this.exact) return [...this.exact].sort((p, q) => p[0] - q[0]);
    const out: Array<readonly [number, number]> = [];
    for (let c = 0; c < this.columns; c++) {
      const ly = this.lowY[c] as number;
      if (ly === Infinity) continue;
      const lo = [this.lowX[c] as number, ly] as const;
      const hi = [this.highX[c] as number, this.highY[c] as number] as const;
      if (lo[0] === hi[0] && lo[1] === hi[1]) out.push(lo);
      else out.push(...(lo[0] <= hi[0] ? [lo, hi] : [hi, lo]));
    }
    return out;
  }
}
