// Collects a sweep's charted values in bounded memory (min and max per plot column) and builds the chart's description.
import { formatQuantity } from '../../core/units.js';
import { SeriesReducer, unitAxis, type ChartSpec } from '../../format/chart-spec.js';
import type { FieldSpec } from '../../format/fields.js';
import { withCommas } from '../../format/human.js';
import { axisLabel } from '../options.js';
import { ownValueAt, type PointResults } from './fields.js';
import type { VaryAxis } from './vary.js';

/** Most lines one chart draws (one per value of the second --vary; more would be a blur and a long legend). */
export const MAX_SERIES = 10;

/** Takes the points of a sweep one at a time and returns its chart. */
export interface ChartCollector {
  /** Takes a point's row (grid order, `index` the point's). */
  add: (row: PointResults, shown: readonly number[], index: number) => void;
  /** Returns the chart, titled after the scenario (the first point's report title). */
  spec: (title: string) => ChartSpec;
}

/** Returns the indices of at most `most` of `count` values, evenly spread, the first and last included. */
function spread(count: number, most: number): number[] {
  if (count <= most) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: most }, (_, k) => Math.round((k * (count - 1)) / (most - 1)));
}

/** Returns the chart collector of y against the first --vary, one series per value of the second, at `columns` resolution. */
export function chartCollector(axes: readonly VaryAxis[], y: FieldSpec, columns: number): ChartCollector {
  const [a, b] = axes as [VaryAxis, VaryAxis | undefined];
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const x of a.shown) {
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
  }
  const { unit, scale } = unitAxis(y.unit);
  const drawn = b ? spread(b.values.length, MAX_SERIES) : [0];
  // Series of each second-axis index (undefined: not drawn).
  const seriesOf = new Map<number, SeriesReducer>(drawn.map((j) => [j, new SeriesReducer(xMin, xMax, columns)]));
  const bCount = b ? b.values.length : 1;
  return {
    add: (row, shown, index) => {
      const reducer = seriesOf.get(index % bCount);
      const value = ownValueAt(row, y.key);
      if (reducer && typeof value === 'number') reducer.add(shown[0] as number, value * scale);
    },
    spec: (title) => {
      const series = drawn.map((j) => ({ name: b ? `--${b.flag} = ${formatQuantity(b.shown[j] as number)}` : '', points: (seriesOf.get(j) as SeriesReducer).points() }));
      const scenario = title.replace(/^llmcost (estimate|solve): /, '');
      const some = b && drawn.length < b.values.length ? ` (${drawn.length} of ${withCommas(b.values.length)} values of --${b.flag})` : '';
      return {
        title: `${y.label} vs --${a.flag}: ${scenario}${some}`,
        xLabel: axisLabel(a.option),
        yLabel: unit ? `${y.label} (${unit})` : y.label,
        series,
      };
    },
  };
}
