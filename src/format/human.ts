import { formatQuantity, formatScientific } from '../core/units.js';

/** How a number is shown to humans. */
export type UnitKind =
  | 'flops'
  | 'flopRate'
  | 'tflops'
  | 'seconds'
  | 'days'
  | 'hours'
  | 'gpuHours'
  | 'usd'
  | 'mw'
  | 'kwh'
  | 'percent'
  | 'fraction'
  | 'count'
  | 'quantity'
  | 'watts'
  | 'kw'
  | 'usdPerKwh'
  | 'multiplier'
  | 'bytes'
  | 'minutes'
  | 'tonnes'
  | 'bytesPlain'
  | 'duration'
  | 'yesNo'
  | 'bytesPerSecond'
  | 'architecture'
  | 'plan'
  | 'tokensPerSecond'
  | 'text';

/**
 * Returns a number rounded to an integer with thousands separators, e.g. "16,384"; the same text as
 * toLocaleString('en-US') without loading Intl's locale data (which costs start-up time).
 */
export function withCommas(n: number): string {
  const rounded = Math.round(n);
  // String() switches to "3.8e+25" from 1e21 on: write out its shortest digits followed by zeros.
  const [mantissa = '', exponent] = String(Math.abs(rounded)).split('e+');
  const digits = exponent === undefined ? mantissa : mantissa.replace('.', '').padEnd(Number(exponent) + 1, '0');
  return `${rounded < 0 ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/**
 * Returns a number in human units for tables.
 * @example formatHuman(3.645e25, 'flops') // '3.65e25 FLOPs'
 * @example formatHuman(9.6e8, 'usd') // '$960M'
 */
export function formatHuman(value: unknown, unit: UnitKind): string {
  if (Array.isArray(value)) return value.map((v: unknown) => formatHuman(v, unit)).join(' to ');
  if (unit === 'architecture' && value !== null && typeof value === 'object') return describeArchitecture(value as Record<string, unknown>);
  if (unit === 'plan' && value !== null && typeof value === 'object') return describePlanShort(value as Record<string, unknown>);
  if (unit === 'yesNo' && typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'number') return typeof value === 'object' ? JSON.stringify(value) : String(value);
  switch (unit) {
    case 'flops':
      return `${formatScientific(value)} FLOPs`;
    case 'flopRate':
      return `${formatScientific(value)} FLOP/s`;
    case 'tflops':
      return `${formatQuantity(value / 1e12, 4)} TFLOP/s`;
    case 'seconds':
      return value < 1e5 ? `${trimmed(value)} s` : `${formatScientific(value)} s`;
    case 'days':
      return `${value >= 100 ? withCommas(value) : value.toPrecision(3)} days`;
    case 'hours':
      return value < 1 ? `${trimmed(value * 60)} min` : `${trimmed(value)} h`;
    case 'minutes':
      return `${significant(value)} min`;
    case 'gpuHours':
      return `${formatQuantity(value)} GPU-hours`;
    case 'usd':
      return `$${formatQuantity(value)}`;
    case 'mw':
      return formatPower(value * 1e6);
    case 'kwh':
      return `${formatQuantity(value)} kWh`;
    case 'percent':
      return `${significant(value * 100, Math.abs(value * 100) >= 1 ? 3 : 2)} %`;
    case 'fraction':
      return formatQuantity(value);
    case 'count':
      return withCommas(value);
    case 'quantity':
      return formatQuantity(value);
    case 'watts':
      return formatPower(value);
    case 'kw':
      return formatPower(value * 1e3);
    case 'usdPerKwh':
      return `$${formatQuantity(value)}/kWh`;
    case 'multiplier':
      return `${formatQuantity(value)}x`;
    case 'bytes':
      return formatBytes(value);
    case 'tonnes':
      return `${formatQuantity(value)} t`;
    case 'duration':
      return value < 120 ? `${trimmed(value)} s` : value < 7200 ? `${trimmed(value / 60)} min` : `${trimmed(value / 3600)} h`;
    case 'bytesPlain':
      return `${formatQuantity(value)} B`;
    case 'bytesPerSecond':
      return `${formatBytes(value)}/s`;
    case 'tokensPerSecond':
      return `${formatQuantity(value)} tokens/s`;
    case 'architecture':
    case 'plan':
    case 'yesNo':
    case 'text':
      return String(value);
  }
}

/**
 * Returns a power in W, kW, MW or GW, whichever gives 1 to 999 after rounding to 3 significant
 * digits (trailing zeros dropped): every power field (the facility's MW, a GPU's W, a household's kW)
 * reads the same way. Beyond 999 GW it stays in GW ("1,234 GW").
 * @example formatPower(1.4e9) // '1.4 GW'
 * @example formatPower(700) // '700 W'
 */
export function formatPower(watts: number): string {
  const units: Array<[number, string]> = [
    [1e9, 'GW'],
    [1e6, 'MW'],
    [1e3, 'kW'],
  ];
  // Choose the unit after rounding, so 999.7 kW prints as 1 MW, not 1,000 kW.
  for (const [step, unit] of units) if (Math.abs(Number((watts / step).toPrecision(3))) >= 1) return `${powerDigits(watts / step)} ${unit}`;
  return `${powerDigits(watts)} W`;
}

/** Returns 3 significant digits without trailing zeros ("1.4", "22.4", "0.05"); from 1,000 on as significant() does. */
function powerDigits(value: number): string {
  return Math.abs(Number(value.toPrecision(3))) < 1000 ? formatQuantity(value) : significant(value);
}

/** Returns bytes in decimal units (GB, TB), as GPU memory is quoted. */
export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [
    [1e15, 'PB'],
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
  ];
  // Choose the unit after rounding, so 999.7 GB prints as 1.00 TB, not 1.00e+3 GB.
  for (const [step, unit] of units) if (Number((bytes / step).toPrecision(3)) >= 1) return `${significant(bytes / step)} ${unit}`;
  return `${withCommas(bytes)} B`;
}

/**
 * Returns `value` to `digits` significant digits as toPrecision does ("0.056", "38.5", "580") but
 * never in its exponent form ("6.87e+3"): from 10^digits on as a whole number with thousands
 * separators up to a million ("6,874"), beyond in scientific notation without "+" ("1.63e15").
 * parseQuantity reads every form back.
 * @example significant(6870.4) // '6,870'
 */
export function significant(value: number, digits = 3): string {
  const text = value.toPrecision(digits);
  if (!text.includes('e+')) return text;
  return Math.abs(value) < 1e6 ? withCommas(value) : formatScientific(value, digits);
}

/** Returns a parallel plan in one short line, e.g. "TP 8 PP 16x7 DP 128 mb 1 selective ZeRO-1". */
function describePlanShort(p: Record<string, unknown>): string {
  const v = Number(p['virtualStages']);
  const parts = [`TP ${String(p['tensorParallel'])}`, `PP ${String(p['pipelineParallel'])}${v > 1 ? `x${v}` : ''}`, `DP ${String(p['dataParallel'])}`];
  if (Number(p['contextParallel']) > 1) parts.push(`CP ${String(p['contextParallel'])}`);
  if (Number(p['expertParallel']) > 1) parts.push(`EP ${String(p['expertParallel'])}`);
  parts.push(`mb ${String(p['microBatch'])}`, String(p['recompute']), `ZeRO-${String(p['zero'])}`);
  return parts.join(' ');
}

/** Returns a one-line summary of an architecture, e.g. "126 layers, d 16384, 128 heads (8 KV), seq 8192". */
function describeArchitecture(a: Record<string, unknown>): string {
  const kv = a['kvHeads'] !== undefined && a['kvHeads'] !== a['heads'] ? ` (${String(a['kvHeads'])} KV)` : '';
  const moe = a['moe'] && typeof a['moe'] === 'object' ? `, MoE ${String((a['moe'] as Record<string, unknown>)['activeExperts'])}/${String((a['moe'] as Record<string, unknown>)['experts'])}` : '';
  return `${String(a['layers'])} layers, d ${String(a['dModel'])}, ${String(a['heads'])} heads${kv}, seq ${String(a['seqLen'])}${moe}`;
}

/** Returns 3 significant digits without exponent or trailing zeros (for values below 1e5). */
function trimmed(value: number): string {
  return value >= 100 ? withCommas(value) : String(Number(value.toPrecision(3)));
}
