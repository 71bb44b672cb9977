import { describe, expect, it } from 'vitest';
import { formatHuman, significant, type UnitKind } from '../../src/format/human.js';
import { parseQuantity, type QuantityForms } from '../../src/core/units.js';

/**
 * Numbers for humans (issue 14): never toPrecision's exponent form ("6.87e+3 GB", "3.0e+2 s",
 * "8.06e+3 %"), and what is printed reads back (the parser accepts what the tables print).
 */
describe('formatHuman above toPrecision\'s range', () => {
  it.each([
    [6.87e12, 'bytes', '6.87 TB'],
    [6.87e9, 'bytes', '6.87 GB'],
    [999.7e9, 'bytes', '1.00 TB'],
    [999.7e6, 'bytes', '1.00 GB'],
    [1.234e18, 'bytes', '1,234 PB'],
    [80.6, 'percent', '8,060 %'],
    [1.63e13, 'percent', '1.63e15 %'],
    [1, 'percent', '100 %'],
    [-0.271, 'percent', '-27.1 %'],
    [0.00056, 'percent', '0.056 %'],
    [580, 'minutes', '580 min'],
    [1234.4, 'minutes', '1,234 min'],
    [9.996, 'minutes', '10.0 min'],
    [300, 'duration', '5 min'],
    [580 * 60, 'duration', '9.67 h'],
    [6335 * 3600, 'duration', '6,335 h'],
  ] as const)('%d as %s → %s', (value, unit, text) => {
    expect(formatHuman(value, unit)).toBe(text);
  });

  it.each([
    [0.056, 3, '0.0560'],
    [999.96, 3, '1,000'],
    [6870.4, 3, '6,870'],
    [999_999, 3, '999,999'],
    [1.63e15, 3, '1.63e15'],
    [-6870, 3, '-6,870'],
  ])('significant(%d, %i) → %s', (value, digits, text) => {
    expect(significant(value, digits)).toBe(text);
  });
});

// Powers scale to W, kW, MW or GW, whichever field they come from (1,400 MW reads as 1.4 GW).
describe('power in W, kW, MW or GW by its size', () => {
  it.each([
    [1400, 'mw', '1.4 GW'],
    [22.4, 'mw', '22.4 MW'],
    [140, 'mw', '140 MW'],
    [999.7, 'mw', '1 GW'],
    [0.75, 'mw', '750 kW'],
    [2.87, 'mw', '2.87 MW'],
    [4, 'mw', '4 MW'],
    [1.234e6, 'mw', '1,234 GW'],
    [700, 'watts', '700 W'],
    [1200, 'watts', '1.2 kW'],
    [999.6, 'watts', '1 kW'],
    [0.5, 'watts', '0.5 W'],
    [1.232, 'kw', '1.23 kW'],
    [0.8, 'kw', '800 W'],
    [2500, 'kw', '2.5 MW'],
  ] as const)('%d as %s → %s', (value, unit, text) => {
    expect(formatHuman(value, unit)).toBe(text);
  });
});

// The unit words each kind prints, with the factor to the value formatHuman was given.
const KINDS: ReadonlyArray<readonly [UnitKind, QuantityForms, number]> = [
  ['flops', { units: { FLOPs: 1 } }, 0.005],
  ['flopRate', { units: { 'FLOP/s': 1 } }, 0.005],
  ['tflops', { units: { 'TFLOP/s': 1e12 } }, 0.0005],
  ['seconds', { units: { s: 1 } }, 0.005],
  ['days', { units: { days: 1 } }, 0.005],
  ['hours', { units: { h: 1, min: 1 / 60 } }, 0.005],
  ['minutes', { units: { min: 1 } }, 0.005],
  ['duration', { units: { s: 1, min: 60, h: 3600 } }, 0.005],
  ['gpuHours', { units: { 'GPU-hours': 1 } }, 0.005],
  ['usd', { currency: true }, 0.005],
  ['kwh', { units: { kWh: 1 } }, 0.005],
  ['percent', { percent: true }, 0.05],
  ['quantity', {}, 0.005],
  ['fraction', {}, 0.005],
  ['kw', { units: { W: 1e-3, kW: 1, MW: 1e3, GW: 1e6 } }, 0.005],
  ['mw', { units: { W: 1e-6, kW: 1e-3, MW: 1, GW: 1e3 } }, 0.005],
  ['watts', { units: { W: 1, kW: 1e3, MW: 1e6, GW: 1e9 } }, 0.005],
  ['multiplier', { units: { x: 1 } }, 0.005],
  ['bytes', { units: { B: 1, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15 } }, 0.005],
  ['bytesPerSecond', { units: { 'MB/s': 1e6, 'GB/s': 1e9, 'TB/s': 1e12, 'PB/s': 1e15 } }, 0.005],
  ['tokensPerSecond', { units: { 'tokens/s': 1 } }, 0.005],
];
const VALUES = Array.from({ length: 29 }, (_, i) => 10 ** (i - 4)).flatMap((p) => [p, 1.2345 * p, 9.996 * p]);

describe('every printed magnitude, 1e-4 to 1e25', () => {
  it.each(KINDS)('%s: no "e+", and parseQuantity reads the value back', (unit, forms, tolerance) => {
    for (const value of VALUES) {
      // Bytes below a megabyte print whole (there are no fractional bytes).
      if ((unit === 'bytes' || unit === 'bytesPerSecond') && value < 1e6) continue;
      const text = formatHuman(value, unit);
      expect(text, `${value}`).not.toMatch(/e\+/);
      const parsed = parseQuantity(text, forms);
      if (!parsed.ok) throw new Error(`${unit} ${value}: printed "${text}", ${parsed.reason}`);
      expect(Math.abs(parsed.value / value - 1), `${value} printed "${text}"`).toBeLessThanOrEqual(tolerance);
    }
  });
});
