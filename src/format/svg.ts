import { formatQuantity } from '../core/units.js';
import { xExtent, yExtent, type ChartSpec } from './chart-spec.js';

/** Size of the SVG chart in pixels. */
export interface SvgOptions {
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Returns text with the five XML special characters escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/**
 * Returns "nice" tick values (1, 2 or 5 x 10^k apart) covering [min, max], about `count` of them.
 * @example niceTicks(0.3, 0.5) // [0.3, 0.35, 0.4, 0.45, 0.5]
 */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new Error('niceTicks: non-finite domain');
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / Math.max(count - 1, 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const start = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  // A range too narrow for the numbers' precision (1e20 to 1e20 + 1) gets its two ends only.
  if (start + step === start || (max - min) / step > 1000) return [min, max];
  for (let i = 0; i < 1000; i++) {
    const v = Number((start + i * step).toPrecision(12));
    ticks.push(v);
    if (v >= max - step * 1e-9 && ticks.length >= 2) break;
  }
  return ticks;
}

const fmt = (n: number): string => {
  if (!Number.isFinite(n)) throw new Error('svg: non-finite coordinate');
  return Number(n.toFixed(2)).toString();
};

/**
 * Returns a standalone SVG line chart: title, x and y axes with ticks and tick labels, axis labels
 * with units, one <path> per series and a legend when there is more than one series.
 */
export function renderSvgChart(spec: ChartSpec, options: SvgOptions = {}): string {
  const width = options.width ?? 760;
  const height = options.height ?? 460;
  const series = spec.series.filter((s) => s.points.length > 0);
  const legend = series.length > 1;
  const margin = { left: 90, right: legend ? 170 : 30, top: 50, bottom: 70 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const [xMin, xMax] = series.length > 0 ? xExtent(series) : [0, 1];
  const [yMin, yMax] = series.length > 0 ? yExtent(series) : [0, 1];
  const xTicks = niceTicks(xMin, xMax);
  const yTicks = niceTicks(yMin, yMax);
  const x0 = xTicks[0] as number;
  const x1 = xTicks[xTicks.length - 1] as number;
  const y0 = yTicks[0] as number;
  const y1 = yTicks[yTicks.length - 1] as number;
  const sx = (x: number): number => margin.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number): number => margin.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const bottom = margin.top + plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text class="title" x="${fmt(width / 2)}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(spec.title)}</text>`,
    `<g class="axis x-axis" stroke="black">`,
    `<line x1="${margin.left}" y1="${fmt(bottom)}" x2="${fmt(margin.left + plotW)}" y2="${fmt(bottom)}"/>`,
  ];
  for (const t of xTicks) out.push(`<line class="tick" x1="${fmt(sx(t))}" y1="${fmt(bottom)}" x2="${fmt(sx(t))}" y2="${fmt(bottom + 5)}"/>`);
  out.push('</g>', `<g class="axis y-axis" stroke="black">`, `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${fmt(bottom)}"/>`);
  for (const t of yTicks) out.push(`<line class="tick" x1="${margin.left - 5}" y1="${fmt(sy(t))}" x2="${margin.left}" y2="${fmt(sy(t))}"/>`);
  out.push('</g>', '<g class="grid" stroke="#e5e5e5">');
  for (const t of yTicks.slice(1)) out.push(`<line x1="${margin.left + 1}" y1="${fmt(sy(t))}" x2="${fmt(margin.left + plotW)}" y2="${fmt(sy(t))}"/>`);
  out.push('</g>', '<g class="tick-labels">');
  for (const t of xTicks) out.push(`<text class="x-tick" x="${fmt(sx(t))}" y="${fmt(bottom + 20)}" text-anchor="middle">${escapeXml(formatQuantity(t))}</text>`);
  for (const t of yTicks) out.push(`<text class="y-tick" x="${margin.left - 9}" y="${fmt(sy(t) + 4)}" text-anchor="end">${escapeXml(formatQuantity(t))}</text>`);
  out.push(
    '</g>',
    `<text class="x-label" x="${fmt(margin.left + plotW / 2)}" y="${fmt(height - 20)}" text-anchor="middle" font-size="13">${escapeXml(spec.xLabel)}</text>`,
    `<text class="y-label" transform="translate(22 ${fmt(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="13">${escapeXml(spec.yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    const d = s.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${fmt(sx(x))},${fmt(sy(y))}`).join(' ');
    out.push(`<path class="series" data-series="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (legend) {
      const ly = margin.top + 10 + i * 20;
      const lx = margin.left + plotW + 15;
      out.push(
        `<g class="legend"><line x1="${fmt(lx)}" y1="${ly}" x2="${fmt(lx + 20)}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
        `<text x="${fmt(lx + 26)}" y="${ly + 4}">${escapeXml(s.name)}</text></g>`,
      );
    }
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
