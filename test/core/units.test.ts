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
  ])('%s = %d', (text, value) => {
    expect(parseQuantity(text)).toEqual({ ok: true, value });
  });

  it.each(['', ' ', 'abc', 'NaN', 'Infinity', '-5', '+5', '1e400', '0x10', '1_000', '1,000', '١٢', '5m', '5 k', 'k', '1e', '..5', '5B5', '1e309'])(
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
