import { describe, expect, it } from 'vitest';
import { formatQuantity, formatScientific, parseQuantity } from '../../src/core/units.js';

describe('parseQuantity', () => {
  it.each([
    ['405B', 405e9],
    ['405G', 405e9],
    ['405b', 405e9],
    ['15T', 15e12],
    ['16k', 16e3],
    ['16K', 16e3],
    ['1.5M', 1.5e6],
    ['3.8e25', 3.8e25],
    ['3.8E25', 3.8e25],
    ['1e-3', 1e-3],
    ['0.4', 0.4],
    ['.5', 0.5],
    ['7.', 7],
    ['2P', 2e15],
    ['1e3k', 1e6],
    [' 42 ', 42],
    ['0', 0],
    // Thousands separators, as the tables print counts (issue 14).
    ['16,384', 16384],
    ['1,000', 1000],
    ['1,234,567.5', 1234567.5],
  ])('%s = %d', (text, value) => {
    expect(parseQuantity(text)).toEqual({ ok: true, value });
  });

  it.each([
    // text, forms the flag allows, value (issue 14: input as the output prints it)
    ['40%', { percent: true }, 0.4],
    ['40.0 %', { percent: true }, 0.4],
    ['0.25 %', { percent: true }, 0.0025],
    ['$30k', { currency: true }, 30e3],
    ['$0.083/kWh', { currency: true, units: {'/kWh': 1} }, 0.083],
    ['$1,500', { currency: true }, 1500],
    ['73.2 days', { units: {'days': 1} }, 73.2],
    ['700 W', { units: {'W': 1} }, 700],
    ['700W', { units: {'W': 1} }, 700],
    ['989.4 TFLOP/s', { units: {'TFLOP/s': 1} }, 989.4],
    ['3.79e25 FLOPs', { units: {'FLOPs': 1} }, 3.79e25],
    ['3.79e25 flops', { units: {'FLOPs': 1} }, 3.79e25],
    ['15.6T tokens', { units: {'tokens': 1} }, 15.6e12],
    ['2x', { units: {'x': 1} }, 2],
    ['1.5 h', { units: { min: 1, h: 60 } }, 90],
    ['2.00 TB/s', { units: { 'GB/s': 1, 'TB/s': 1000 } }, 2000],
  ])('%s with %j = %d', (text, forms, value) => {
    const parsed = parseQuantity(text, forms);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toBeCloseTo(value, 12);
  });

  it.each([
    ['40%', {}, /a percentage is for fractions only/],
    ['$30k', {}, /"\$" is for prices only/],
    ['73.2 days', { units: {'h': 1} }, /the unit is h/],
    ['73.2 days', {}, /^got "73\.2 days"$/],
    ['1,00', {}, /^got "1,00"$/],
    ['10,00,000', {}, /^got/],
    ['$-5', { currency: true }, /a sign is not allowed/],
  ])('rejects %j with %j: %s', (text, forms, reason) => {
    const parsed = parseQuantity(text, forms);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it.each(['', ' ', 'abc', 'NaN', 'Infinity', '-5', '+5', '1e400', '0x10', '1_000', ',000', '1,0000', '١٢', '5m', '5 k', 'k', '1e', '..5', '5B5', '1e309'])(
    'rejects %j',
    (text) => {
      expect(parseQuantity(text).ok).toBe(false);
    },
  );
});

describe('formatQuantity / formatScientific', () => {
  it.each([
    [405e9, '405B'],
    [15.6e12, '15.6T'],
    [16384, '16.4k'],
    [999_999, '1M'],
    [0.4, '0.4'],
    [3.645e25, '3.65e25'],
    [0, '0'],
    [2e-5, '2e-5'],
  ])('formatQuantity(%d) = %s', (value, text) => {
    expect(formatQuantity(value)).toBe(text);
  });

  it('formatScientific drops the + of the exponent', () => {
    expect(formatScientific(3.1664e19)).toBe('3.17e19');
    expect(formatScientific(1.2e6, 2)).toBe('1.2e6');
  });

  it.each([405e9, 15.6e12, 16384, 3.645e25, 0.37, 1.979e20, 123])('parses what it prints: %d', (value) => {
    const printed = formatQuantity(value);
    const parsed = parseQuantity(printed);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(Math.abs(parsed.value / value - 1)).toBeLessThan(5e-3);
  });
});
