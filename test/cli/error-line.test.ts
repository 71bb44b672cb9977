import { describe, expect, it } from 'vitest';
import { errorLine } from '../../src/cli/main.js';

describe('errorLine: every error is one readable line', () => {
  it('collapses newlines', () => {
    expect(errorLine('a\n  b\nc')).toBe('a b c');
  });

  it('cuts a long quoted value to 60 characters, in either quote', () => {
    const long = 'x'.repeat(10_000);
    expect(errorLine(`--model: no preset named "${long}"; did you mean "h100"?`)).toBe(`--model: no preset named "${'x'.repeat(57)}..."; did you mean "h100"?`);
    expect(errorLine(`unknown command '${long}'`)).toBe(`unknown command '${'x'.repeat(57)}...'`);
  });

  it('leaves values of up to 60 characters and the text between quotes alone', () => {
    const sixty = 'y'.repeat(60);
    expect(errorLine(`got "${sixty}"`)).toBe(`got "${sixty}"`);
    const prose = `--precision: h100 has no dense fp4 peak in its preset (it has ${'bf16, '.repeat(20)}fp8)`;
    expect(errorLine(prose)).toBe(prose);
  });
});
