/** Multipliers for the SI-style suffixes accepted on the command line (B is the common "billion"). */
export const SUFFIXES: Readonly<Record<string, number>> = {
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  B: 1e9,
  b: 1e9,
  T: 1e12,
  t: 1e12,
  P: 1e15,
};

// A number as typed or as the tables print it: an optional "$", digits (with thousands separators
// "16,384", or none), a fraction, an exponent, an SI suffix, then optionally "%" or a unit word.
const NUMBER_RE = /^(\$)?(\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?([kKMGBbTtP]?)(?:\s*(%)|\s*([^\s\d.,%][^\s]*))?$/;

/** Result of parsing a quantity: the number, or why it is not one. */
export type ParsedQuantity = { ok: true; value: number } | { ok: false; reason: string };

/** The printed forms a quantity may take besides a bare number (the flag decides which make sense). */
export interface QuantityForms {
  /** "40%" or "40.0 %" = 0.4 (for fractions). */
  percent?: boolean;
  /** "$30k" (for prices in USD). */
  currency?: boolean;
  /**
   * Unit words accepted after the number, as the tables print them ("days", "W", "TFLOP/s"), each
   * with the factor that takes it to the flag's own unit ("h": 60 for a flag in minutes); matched
   * case-insensitively. The first is the flag's own unit, named in errors.
   */
  units?: Readonly<Record<string, number>>;
}

/**
 * Parses a non-negative quantity written as a plain number, in scientific notation, with an SI
 * suffix (16k = 16,000: SI, not 1,024), or as the tables print it: thousands separators ("16,384"),
 * and where `forms` allows, "40%" (0.4), "$30k", or a unit word ("73.2 days").
 * @example parseQuantity('405B') // { ok: true, value: 405e9 }
 * @example parseQuantity('3.8e25') // { ok: true, value: 3.8e25 }
 * @example parseQuantity('16,384') // { ok: true, value: 16384 }
 * @example parseQuantity('40%', { percent: true }) // { ok: true, value: 0.4 }
 */
export function parseQuantity(text: string, forms: QuantityForms = {}): ParsedQuantity {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'got an empty value' };
  if (/^\$?[+-]/.test(trimmed)) {
    return { ok: false, reason: `got "${shorten(trimmed)}" (a sign is not allowed)` };
  }
  const match = NUMBER_RE.exec(trimmed);
  if (!match) return { ok: false, reason: `got "${shorten(trimmed)}"` };
  const [, dollar, digits = '', exponent, suffix = '', percent, unit] = match;
  const mantissa = digits.replace(/,/g, '');
  if (dollar && !forms.currency) return { ok: false, reason: `got "${shorten(trimmed)}" ("$" is for prices only)` };
  if (percent && !forms.percent) return { ok: false, reason: `got "${shorten(trimmed)}" (a percentage is for fractions only)` };
  const words = Object.keys(forms.units ?? {});
  const word = unit === undefined ? undefined : (words.find((w) => w === unit) ?? words.find((w) => w.toLowerCase() === unit.toLowerCase()));
  if (unit !== undefined && word === undefined) {
    const expected = words.length > 0 ? ` (the unit is ${words[0]})` : '';
    return { ok: false, reason: `got "${shorten(trimmed)}"${expected}` };
  }
  const base = Number(exponent === undefined ? mantissa : `${mantissa}e${exponent}`);
  const factor = word === undefined ? 1 : (forms.units?.[word] ?? 1);
  const value = (base * (suffix === '' ? 1 : (SUFFIXES[suffix] ?? Number.NaN)) * factor) / (percent ? 100 : 1);
  if (!Number.isFinite(value)) return { ok: false, reason: `got "${shorten(trimmed)}", which is too large` };
  return { ok: true, value };
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const COMPACT_STEPS: ReadonlyArray<readonly [number, string]> = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * Formats a number with 3 significant digits and an SI suffix (k, M, B, T, P) or, beyond P, as 3.65e25.
 * The output is accepted by parseQuantity.
 * @example formatQuantity(405e9) // '405B'
 */
export function formatQuantity(value: number, digits = 3): string {
  const magnitude = Math.abs(value);
  // Compare after rounding, as below, so 999.6e15 prints as 1e18, not 1.00e+3P.
  if (Number(magnitude.toPrecision(digits)) >= 1e18) return formatScientific(value, digits);
  for (const [step, suffix] of COMPACT_STEPS) {
    // Compare after rounding so 999,999 prints as 1M, not 1000k.
    if (Number(magnitude.toPrecision(digits)) >= step) return `${trimZeros((value / step).toPrecision(digits))}${suffix}`;
  }
  if (magnitude !== 0 && magnitude < 1e-3) return formatScientific(value, digits);
  return trimZeros(value.toPrecision(digits));
}

/**
 * Formats a number in scientific notation with the given significant digits, without a "+" in the exponent.
 * @example formatScientific(3.645e25) // '3.65e25'
 */
export function formatScientific(value: number, digits = 3): string {
  let [mantissa = '', exponent = '0'] = value.toExponential(digits - 1).split('e');
  if (!Number.isFinite(Number(`${mantissa}e${exponent}`))) {
    // Rounding up past the largest double (1.797e308 → 1.8e308) would print what parses as Infinity: truncate instead.
    const [longer = ''] = value.toExponential(digits + 2).split('e');
    mantissa = longer.slice(0, digits + (value < 0 ? 2 : 1)).replace(/\.$/, '');
  }
  return `${trimZeros(mantissa)}e${Number(exponent)}`;
}

function trimZeros(text: string): string {
  if (!text.includes('.') || text.includes('e')) return text;
  return text.replace(/\.?0+$/, '');
}

/** Seconds in a day. */
export const SECONDS_PER_DAY = 86_400;
/** Seconds in an hour. */
export const SECONDS_PER_HOUR = 3_600;
/** FLOP/s in one TFLOP/s. */
export const FLOPS_PER_TFLOPS = 1e12;
