import { describe, expect, it } from 'vitest';
import { formatHuman } from '../../src/format/human.js';
import { renderJson } from '../../src/format/json.js';
import type { Report } from '../../src/format/report.js';
import { renderTable } from '../../src/format/table.js';
import { renderReportMarkdown } from '../../src/format/markdown.js';

const report: Report = {
  command: 'estimate',
  title: 'llmcost estimate: test run',
  inputs: {
    gpus: { value: 16000, origin: 'flag' },
    mfu: { value: 1, origin: 'flag' },
    unused: undefined,
  },
  results: { trainingFlops: 3.8e25, wallClockDays: 13.89, gpuCapexUsd: 480e6, powerMw: 22.4, missing: undefined },
  warnings: ['something to know'],
  notes: ['how it was done'],
};

describe('renderTable', () => {
  it('groups results and lists assumptions (no colour)', () => {
    expect(renderTable(report)).toMatchInlineSnapshot(`
      "llmcost estimate: test run

      ┌──────────────────┬──────────────┐
      │ Training compute │ 3.8e25 FLOPs │
      │ Wall-clock       │ 13.9 days    │
      │ Facility power   │ 22.4 MW      │
      └──────────────────┴──────────────┘

      Assumed
        flags: GPUs 16,000, steady-state MFU 100 %
      note: how it was done
      Sources of every number: llmcost presets show NAME, or --json (inputs.*.source).
      "
    `);
  });
});

describe('renderTable views', () => {
  const ranged: Report = {
    ...report,
    inputs: { ...report.inputs, tdpW: { value: 700, origin: 'preset:h100' }, gpuPriceUsd: { value: 30000, origin: 'preset:h100' } },
    results: { ...report.results, wallClockDaysRange: [12, 16.5], gpuHours: 5.3e6, gpuHoursRange: [4.6e6, 6.3e6] },
  };
  it('the default view: headline figures with their ranges (unit said once), headline inputs by origin', () => {
    const text = renderTable(ranged);
    expect(text).toContain('│ Wall-clock       │ 13.9 days (12.0 to 16.5)');
    expect(text).toContain('│ GPU-hours        │ 5.3M GPU-hours (4.6M to 6.3M) │');
    expect(text).toContain('  h100: GPU price $30k\n');
    // The TDP is not a headline input: it waits for --full, which says how many there are.
    expect(text).not.toContain('700 W');
    expect(text).toContain('--full: every result, and all 4 assumptions with their origins');
    expect(text).not.toContain('something to know');
  });
  it('--full: every group, every assumption with its origin', () => {
    expect(renderTable(ranged, undefined, { full: true })).toMatchInlineSnapshot(`
      "llmcost estimate: test run

      ┌──────────────────────────────────────────────────────────┐
      │ Compute                                                  │
      │ Training compute      │ 3.8e25 FLOPs                     │
      │ Time                                                     │
      │ Wall-clock            │ 13.9 days                        │
      │ Wall-clock 80 % range │ 12.0 days to 16.5 days           │
      │ GPU-hours             │ 5.3M GPU-hours                   │
      │ GPU-hours 80 % range  │ 4.6M GPU-hours to 6.3M GPU-hours │
      │ Cost                                                     │
      │ GPU capex             │ $480M                            │
      │ Power & energy                                           │
      │ Facility power        │ 22.4 MW                          │
      └───────────────────────┴──────────────────────────────────┘

      Assumptions
      ┌──────────────────┬────────┬─────────────┐
      │ input            │ value  │ origin      │
      ├──────────────────┼────────┼─────────────┤
      │ GPUs             │ 16,000 │ flag        │
      │ steady-state MFU │ 100 %  │ flag        │
      │ GPU price        │ $30k   │ preset:h100 │
      │ GPU TDP          │ 700 W  │ preset:h100 │
      └──────────────────┴────────┴─────────────┘
      note: how it was done
      Sources of every number: llmcost presets show NAME, or --json (inputs.*.source).
      "
    `);
  });
  it('--quiet: the results table alone', () => {
    const text = renderTable(ranged, undefined, { quiet: true });
    expect(text.startsWith('┌')).toBe(true);
    expect(text).not.toMatch(/llmcost estimate|Assumed|note:/);
  });
});

describe('renderJson', () => {
  it('drops undefined fields and keeps the contract keys', () => {
    const doc = JSON.parse(renderJson(report));
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'command', 'inputs', 'results', 'warnings', 'notes']);
    expect(doc.results).not.toHaveProperty('missing');
    expect(doc.inputs).not.toHaveProperty('unused');
  });
});

describe('formatHuman', () => {
  it.each([
    [3.645e25, 'flops', '3.65e25 FLOPs'],
    [3.1664e19, 'flopRate', '3.17e19 FLOP/s'],
    [989.4e12, 'tflops', '989.4 TFLOP/s'],
    [65.1, 'days', '65.1 days'],
    [960e6, 'usd', '$960M'],
    [6e9, 'usd', '$6B'],
    [22.4, 'mw', '22.4 MW'],
    [0.0025, 'percent', '0.25 %'],
    [0.4, 'percent', '40.0 %'],
    [56000, 'count', '56,000'],
    [6.48e12, 'bytes', '6.48 TB'],
  ] as const)('%d as %s → %s', (value, unit, text) => {
    expect(formatHuman(value, unit)).toBe(text);
  });
});

// Powers scale with their size in every text format (JSON keeps powerMw, tdpW and householdKw as numbers).
describe('power in tables and markdown', () => {
  const big: Report = {
    ...report,
    inputs: { tdpW: { value: 1200, origin: 'preset:gb200' }, householdKw: { value: 0.8, origin: 'flag' } },
    results: { powerMw: 1400 },
    warnings: [],
    notes: [],
  };
  it('1,400 MW reads 1.4 GW, a 1,200 W TDP 1.2 kW, an 0.8 kW household 800 W', () => {
    expect(renderTable(big, undefined, { full: true })).toMatchInlineSnapshot(`
      "llmcost estimate: test run

      ┌─────────────────────────┐
      │ Power & energy          │
      │ Facility power │ 1.4 GW │
      └────────────────┴────────┘

      Assumptions
      ┌────────────────┬────────┬──────────────┐
      │ input          │ value  │ origin       │
      ├────────────────┼────────┼──────────────┤
      │ GPU TDP        │ 1.2 kW │ preset:gb200 │
      │ household draw │ 800 W  │ flag         │
      └────────────────┴────────┴──────────────┘
      Sources of every number: llmcost presets show NAME, or --json (inputs.*.source).
      "
    `);
    expect(renderReportMarkdown(big)).toMatchInlineSnapshot(`
      "### llmcost estimate: test run

      | group | result | value |
      | --- | --- | ---: |
      | Power & energy | Facility power | 1.4 GW |

      | input | value | origin |
      | --- | ---: | --- |
      | GPU TDP | 1.2 kW | preset:gb200 |
      | household draw | 800 W | flag |
      "
    `);
    const doc = JSON.parse(renderJson(big));
    expect(doc.results.powerMw).toBe(1400);
    expect(doc.inputs.tdpW.value).toBe(1200);
  });
});
