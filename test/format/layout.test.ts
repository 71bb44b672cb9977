import { describe, expect, it } from 'vitest';
import { fitColumns, fitTable, visibleWidth, wrapText } from '../../src/format/layout.js';
import { terminalWidth, useColor } from '../../src/cli/terminal.js';

const widest = (text: string): number => Math.max(...text.split('\n').map(visibleWidth));

describe('fitColumns', () => {
  it.each([
    // natural widths, longest words, width -> widths (n + 1 borders come off the width)
    { natural: [10, 20], words: [5, 5], width: 80, expected: [10, 20] },
    { natural: [30, 60], words: [8, 8], width: 80, expected: [30, 47] },
    { natural: [40, 40, 40], words: [8, 8, 8], width: 80, expected: [26, 25, 25] },
    { natural: [40, 40, 40], words: [30, 30, 30], width: 80, expected: undefined },
  ])('$natural in $width columns -> $expected', ({ natural, words, width, expected }) => {
    const widths = fitColumns(natural, words, width);
    expect(widths).toEqual(expected);
    if (widths) expect(widths.reduce((a, b) => a + b, 0) + widths.length + 1).toBeLessThanOrEqual(width);
  });
});

describe('fitTable', () => {
  const long = 'a long sentence that explains where a number came from, with its table and section';
  it('keeps a table at its natural width when it fits', () => {
    expect(fitTable({ head: ['a', 'b'], rows: [['1', '2']], width: 80 })).toMatchInlineSnapshot(`
      "┌───┬───┐
      │ a │ b │
      ├───┼───┤
      │ 1 │ 2 │
      └───┴───┘"
    `);
  });

  it.each([40, 60, 80, 100])('wraps cells at word boundaries to fit %i columns', (width) => {
    const text = fitTable({ head: ['field', 'value', 'source'], rows: [['peakTflops.bf16', '989.4', long], [{ content: 'group', colSpan: 3 }]], width });
    expect(widest(text)).toBeLessThanOrEqual(width);
    expect(text).toContain('989.4');
    // Every word of the source survives, whole.
    for (const word of long.split(' ')) expect(text).toContain(word.replace(',', ''));
  });

  it('splits too many columns into tables that repeat the first (the labels)', () => {
    const head = ['result', ...Array.from({ length: 8 }, (_, i) => `scenario-${i}`)];
    const text = fitTable({ head, rows: [['Wall-clock', ...head.slice(1).map((_, i) => `${i + 10}.5 days`)]], width: 80, minWidth: 14 });
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text.match(/Wall-clock/g)?.length).toBeGreaterThan(1);
    for (let i = 0; i < 8; i++) expect(text).toContain(`scenario-${i}`);
  });

  it('cuts a word longer than any column with "…" rather than overflow', () => {
    const text = fitTable({ rows: [['x', 'y'.repeat(200)]], width: 50 });
    expect(widest(text)).toBeLessThanOrEqual(50);
    expect(text).toContain('…');
  });

  it('measures colour codes as zero-width', () => {
    const text = fitTable({ rows: [['\u001b[1mbold\u001b[22m', long]], width: 60 });
    expect(widest(text)).toBeLessThanOrEqual(60);
  });
});

describe('wrapText', () => {
  it('wraps at word boundaries with a hanging indent under the prefix', () => {
    expect(wrapText('failures cost 7.5 % of wall-clock', 20, 'note: ')).toEqual(['note: failures cost', '      7.5 % of', '      wall-clock']);
  });
  it('breaks a word longer than the line (a URL) so no line is wider', () => {
    const lines = wrapText(`see https://example.org/${'x'.repeat(100)} for it`, 40, 'note: ');
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(40);
    expect(lines.join('').replace(/\s/g, '')).toContain('x'.repeat(100));
  });
  it('leaves a short text on one line', () => {
    expect(wrapText('short', 80)).toEqual(['short']);
  });
  // A number is never left at a line's end with its unit on the next line.
  it.each([
    ['the run takes 31.9 M GPU-hours in all', 20, ['the run takes', '31.9 M GPU-hours in', 'all']],
    ['it would take about 100 days, twice', 25, ['it would take about', '100 days, twice']],
    ['at 1.4 GW', 8, ['at', '1.4 GW']],
    ['31.9M GPU-hours (4.6M to 6.3M)', 18, ['31.9M GPU-hours', '(4.6M to 6.3M)']],
    ['on 16,384 GPUs for 54 days', 14, ['on 16,384 GPUs', 'for 54 days']],
    // A word after a number that is not a unit wraps as before.
    ['pipeline stage 1 of the model', 16, ['pipeline stage 1', 'of the model']],
  ])('%j in %i columns keeps a number with its unit', (text, width, lines) => {
    expect(wrapText(text, width)).toEqual(lines);
  });
  it('a number and its unit wider than a whole line wrap at the space between them', () => {
    expect(wrapText('31.9M GPU-hours', 10)).toEqual(['31.9M', 'GPU-hours']);
  });
  it('with a prefix and indent, the unit goes to the next line with its number', () => {
    expect(wrapText('it cost 7.5 % more', 17, 'note: ')).toEqual(['note: it cost', '      7.5 % more']);
  });
});

describe('terminalWidth', () => {
  it.each([
    { columns: 120, env: {}, expected: 120 },
    { columns: undefined, env: { COLUMNS: '100' }, expected: 100 },
    { columns: 90, env: { COLUMNS: '100' }, expected: 90 },
    { columns: undefined, env: {}, expected: 80 },
    { columns: undefined, env: { COLUMNS: 'wide' }, expected: 80 },
    { columns: undefined, env: { COLUMNS: '10' }, expected: 40 },
    { columns: 0, env: {}, expected: 80 },
  ])('stdout $columns, $env -> $expected', ({ columns, env, expected }) => {
    expect(terminalWidth({ columns, env })).toBe(expected);
  });
});

describe('useColor', () => {
  it.each([
    { flag: undefined, env: {}, tty: true, expected: true },
    { flag: undefined, env: {}, tty: false, expected: false },
    { flag: true, env: { NO_COLOR: '1' }, tty: false, expected: true },
    { flag: false, env: { FORCE_COLOR: '1' }, tty: true, expected: false },
    { flag: undefined, env: { NO_COLOR: '1' }, tty: true, expected: false },
    { flag: undefined, env: { NO_COLOR: '' }, tty: true, expected: true },
    { flag: undefined, env: { FORCE_COLOR: '1' }, tty: false, expected: true },
    { flag: undefined, env: { FORCE_COLOR: '0' }, tty: true, expected: false },
    { flag: undefined, env: { FORCE_COLOR: 'false' }, tty: true, expected: false },
    { flag: undefined, env: { FORCE_COLOR: '1', NO_COLOR: '1' }, tty: false, expected: true },
    { flag: undefined, env: { TERM: 'dumb' }, tty: true, expected: false },
  ])('--color $flag, $env, TTY $tty -> $expected', ({ flag, env, tty, expected }) => {
    expect(useColor({ flag, env, isTTY: () => tty })).toBe(expected);
  });
});

describe('wide characters', () => {
  const title = '透视世界上最大的人工智能超级计算机';
  it('take two columns each', () => {
    expect(visibleWidth(title)).toBe(34);
    expect(visibleWidth(`a ${title}`)).toBe(36);
  });
  it('wrap and fit tables by the columns they take', () => {
    for (const line of wrapText(`see ${title}${title} for it`, 20)) expect(visibleWidth(line)).toBeLessThanOrEqual(20);
    const table = fitTable({ rows: [['source', `as translated in "${title}" (shxcj.com/archives/5932, 13 Sep 2024)`]], width: 40 });
    for (const line of table.split('\n')) expect(visibleWidth(line)).toBeLessThanOrEqual(40);
  });
});
