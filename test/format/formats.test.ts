import { describe, expect, it } from 'vitest';
import { renderTerminalChart, interpolate, type ChartSpec } from '../../src/format/chart.js';
import { csvField, parseCsv, renderCsv } from '../../src/format/csv.js';
import { renderMarkdownTable, renderReportMarkdown } from '../../src/format/markdown.js';
import { renderNdjson } from '../../src/format/ndjson.js';
import { outputFormat } from '../../src/format/render.js';
import type { Report } from '../../src/format/report.js';
import { withCommas } from '../../src/format/human.js';
import { flattenRow, numericFields, reportRow } from '../../src/format/rows.js';
import { escapeXml, niceTicks, renderSvgChart } from '../../src/format/svg.js';

const report: Report = {
  command: 'estimate',
  title: 'llmcost estimate: test | run',
  inputs: { gpus: { value: 16000, origin: 'flag' }, mfu: { value: 0.4, origin: 'preset:x' }, unused: undefined },
  results: { trainingFlops: 3.8e25, wallClockDays: 13.89, reliability: { goodput: 0.9 }, wallClockDaysRange: [10, 20], missing: undefined },
  warnings: ['watch "this", please'],
  notes: [],
};

describe('rows', () => {
  it('flattens nested objects and arrays to dotted names and drops undefined', () => {
    expect(flattenRow(reportRow(report))).toEqual({
      command: 'estimate',
      'inputs.gpus': 16000,
      'inputs.mfu': 0.4,
      'results.trainingFlops': 3.8e25,
      'results.wallClockDays': 13.89,
      'results.reliability.goodput': 0.9,
      'results.wallClockDaysRange.0': 10,
      'results.wallClockDaysRange.1': 20,
    });
  });

  it('refuses a non-finite number instead of printing it', () => {
    expect(() => flattenRow({ x: Number.NaN })).toThrow(/x is not a finite number/);
    expect(() => renderNdjson([{ x: Number.POSITIVE_INFINITY }])).toThrow(/not a finite number/);
  });

  it('numericFields lists RESULT_FIELDS first, then other numeric leaves by key', () => {
    const keys = numericFields(report.results).map((f) => f.key);
    expect(keys.slice(0, 2)).toEqual(['trainingFlops', 'wallClockDays']);
    expect(keys).toContain('reliability.goodput');
    expect(keys).toContain('wallClockDaysRange');
  });
});

describe('csv', () => {
  it('quotes per RFC 4180 only where needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(3.8e25)).toBe('3.8e+25');
    expect(csvField(undefined)).toBe('');
  });

  it('renders a header of the union of fields and one line per row', () => {
    expect(renderCsv([{ name: 'a,1', x: { y: 1 } }, { name: 'b "2"', z: true }])).toMatchInlineSnapshot(`
      "name,x.y,z
      "a,1",1,
      "b ""2""",,true
      "
    `);
  });

  it('parses back what it writes, quotes, commas and line breaks included', () => {
    const rows = [
      { name: 'comma, inside', note: 'quote " inside', value: 1.5 },
      { name: 'line\nbreak', note: '', value: 2e-7 },
    ];
    const parsed = parseCsv(renderCsv(rows));
    expect(parsed).toEqual([
      ['name', 'note', 'value'],
      ['comma, inside', 'quote " inside', '1.5'],
      ['line\nbreak', '', '2e-7'],
    ]);
  });
});

describe('ndjson', () => {
  it('writes one compact JSON object per line', () => {
    expect(renderNdjson([{ a: 1, b: { c: 'x' } }, { a: 2 }])).toMatchInlineSnapshot(`
      "{"a":1,"b":{"c":"x"}}
      {"a":2}
      "
    `);
  });
});

describe('markdown', () => {
  it('renders a GitHub table with escaped pipes and right-aligned columns', () => {
    expect(renderMarkdownTable(['name', 'value'], [['a|b', '1'], ['c', '22']], ['l', 'r'])).toMatchInlineSnapshot(`
      "| name | value |
      | --- | ---: |
      | a\\|b | 1 |
      | c | 22 |
      "
    `);
  });

  it('renders a report: results by group, assumptions with origins, warnings', () => {
    expect(renderReportMarkdown(report)).toMatchInlineSnapshot(`
      "### llmcost estimate: test \\| run

      | group | result | value |
      | --- | --- | ---: |
      | Compute | Training compute | 3.8e25 FLOPs |
      | Time | Wall-clock | 13.9 days |
      | Time | Wall-clock 80 % range | 10.0 days to 20.0 days |
      | Failures & checkpoints | Goodput (useful wall-clock) | 90.0 % |

      | input | value | origin |
      | --- | ---: | --- |
      | GPUs | 16,000 | flag |
      | steady-state MFU | 40.0 % | preset:x |

      > warning: watch "this", please
      "
    `);
  });
});

describe('outputFormat', () => {
  it('reads --format, takes --json as --format json, and rejects a contradiction', () => {
    expect(outputFormat({})).toBe('table');
    expect(outputFormat({ json: true })).toBe('json');
    expect(outputFormat({ format: 'csv' })).toBe('csv');
    expect(outputFormat({ format: 'json', json: true })).toBe('json');
    expect(() => outputFormat({ format: 'csv', json: true })).toThrow(/--json/);
    expect(() => outputFormat({ format: 'xml' })).toThrow(/--format: expected one of/);
  });
});

const spec: ChartSpec = {
  title: 'Wall-clock vs --mfu <test & check>',
  xLabel: '--mfu (fraction of peak)',
  yLabel: 'Wall-clock (days)',
  series: [
    { name: '--gpus = 8k', points: [[0.3, 40], [0.4, 30], [0.5, 24]] },
    { name: '--gpus = 16k', points: [[0.3, 20], [0.4, 15], [0.5, 12]] },
  ],
};

describe('svg chart', () => {
  it('has a title, both axes with ticks and tick labels, axis labels with units, and one path per series', () => {
    const svg = renderSvgChart(spec);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<g class="axis x-axis"');
    expect(svg).toContain('<g class="axis y-axis"');
    expect(svg.match(/class="x-tick"/g)?.length).toBeGreaterThanOrEqual(3);
    expect(svg.match(/class="y-tick"/g)?.length).toBeGreaterThanOrEqual(3);
    expect(svg).toContain('<text class="x-label"');
    expect(svg).toContain('--mfu (fraction of peak)</text>');
    expect(svg).toContain('Wall-clock (days)</text>');
    expect(svg).toContain('Wall-clock vs --mfu &lt;test &amp; check&gt;');
    expect(svg.match(/<path /g)?.length).toBe(2);
    expect(svg).toContain('data-series="--gpus = 16k"');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('draws one path per series with as many points as the series, first point at the axes origin', () => {
    const svg = renderSvgChart({ ...spec, series: [{ name: '', points: [[0, 0], [1, 10], [2, 20]] }] });
    const d = /<path [^>]*d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(d.split(' ')).toHaveLength(3);
    expect(d.startsWith('M90,')).toBe(true); // x = 0 is the left margin
    expect(svg).not.toContain('class="legend"'); // a single series needs no legend
  });

  it('niceTicks covers the range with 1-2-5 steps, and survives a flat or very narrow range', () => {
    expect(niceTicks(0.3, 0.5)).toEqual([0.3, 0.35, 0.4, 0.45, 0.5]);
    expect(niceTicks(8000, 100000)).toEqual([0, 20000, 40000, 60000, 80000, 100000]);
    expect(niceTicks(5, 5).length).toBeGreaterThanOrEqual(2);
    expect(niceTicks(1e20, 1e20 + 1e5).length).toBeGreaterThanOrEqual(2);
    expect(escapeXml(`<a & "b">'`)).toBe('&lt;a &amp; &quot;b&quot;&gt;&apos;');
  });
});

describe('terminal chart', () => {
  it('plots against a to-scale x-axis, labels both axes and lists the series', () => {
    const text = renderTerminalChart({ ...spec, series: [spec.series[0] as ChartSpec['series'][number]] }, { width: 20, height: 5 });
    expect(text).toMatchInlineSnapshot(`
      "Wall-clock vs --mfu <test & check>
      Wall-clock (days)
         40 ┼╮
       36.8 ┤╰──╮
       33.6 ┤   ╰──╮
       30.4 ┤      ╰──╮
       27.2 ┤         ╰───╮
         24 ┤             ╰─────
            └────────────────────
             0.3      0.4      0.5
             --mfu (fraction of peak)
      "
    `);
  });

  it('has a legend for several series and no escape codes without colour', () => {
    const text = renderTerminalChart(spec, { height: 4 });
    expect(text).toContain('--gpus = 8k');
    expect(text).toContain('--gpus = 16k');
    expect(text).not.toMatch(/\u001b\[/);
    expect(renderTerminalChart(spec, { height: 4, color: true })).toMatch(/\u001b\[/);
  });

  it('interpolates linearly between points and clamps outside', () => {
    const points = [[0, 0], [10, 100]] as const;
    expect(interpolate(points, 2.5)).toBe(25);
    expect(interpolate(points, -1)).toBe(0);
    expect(interpolate(points, 11)).toBe(100);
  });
});

describe('withCommas', () => {
  it('groups thousands as toLocaleString("en-US") does, without Intl', () => {
    for (const n of [0, 7, 999, 1000, 16384, 100000, 1234567.6, -98765, 1e15, 123456789012345680000, 1e21, 3.8e25]) {
      expect(withCommas(n), String(n)).toBe(Math.round(n).toLocaleString('en-US'));
    }
  });
});
