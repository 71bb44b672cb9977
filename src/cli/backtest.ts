import { fitTable, wrapText } from '../format/layout.js';
import { backtest, BASELINE_CONSTANT_MFU, type BacktestRow, type BacktestSummary } from '../core/backtest.js';
import { trainingCompute } from '../core/compute.js';
import { formatQuantity, formatScientific } from '../core/units.js';
import { renderCsv } from '../format/csv.js';
import type { OutputFormat } from '../format/formats.js';
import { renderMarkdownTable } from '../format/markdown.js';
import { renderNdjson } from '../format/ndjson.js';
import type { Row } from '../format/rows.js';
import type { Style } from '../format/table.js';
import { computeArchitecture, publishedRuns } from '../presets/observations.js';
import type { PresetSet } from '../presets/parse.js';
import type { CommandOutput } from './context.js';
import { ComputeError } from '../errors.js';

/** Predicted vs reported training FLOPs of one model (6ND and, with the architecture, PaLM). */
export interface FlopsRow {
  name: string;
  reportedFlops: number;
  predictedFlops6nd: number;
  relativeError6nd: number;
  predictedFlopsPalm?: number;
  relativeErrorPalm?: number;
}

/** Predicted vs reported energy of one run, MWh (predicted from the predicted GPU-hours). */
export interface EnergyRow {
  name: string;
  reportedEnergyMwh: number;
  predictedEnergyMwh: number;
  relativeError: number;
}

/** The whole backtest: accelerator-hours, FLOPs, energy, and the summary. */
export interface BacktestReport {
  rows: BacktestRow[];
  flops: FlopsRow[];
  energy: EnergyRow[];
  summary: BacktestSummary;
}

/** Returns the backtest of every preset run that reports accelerator-hours, FLOPs or energy (pure given presets). */
export function buildBacktest(presets: PresetSet): BacktestReport {
  const published = publishedRuns(presets);
  const { rows, summary } = backtest(published.map((r) => r.observation));
  const d = presets.defaults;
  const energy: EnergyRow[] = [];
  for (const row of rows) {
    const run = published.find((p) => p.model.name === row.name);
    const reported = run?.model.run?.energyMwh?.value;
    const tdp = run?.gpu.tdpW?.value;
    if (!run || reported === undefined || tdp === undefined) continue;
    const predicted = (row.predictedGpuHours * tdp * d.powerFactor.value * d.pue.value) / 1e6;
    energy.push({ name: row.name, reportedEnergyMwh: reported, predictedEnergyMwh: predicted, relativeError: predicted / reported - 1 });
  }
  const flops: FlopsRow[] = [];
  for (const model of presets.models.values()) {
    if (!model.reportedFlops) continue;
    const architecture = computeArchitecture(model);
    const base = { params: model.params.value, activeParams: model.activeParams?.value, tokens: model.tokens.value, architecture };
    const c = trainingCompute({ ...base, method: '6nd' });
    const reported = model.reportedFlops.value;
    flops.push({
      name: model.name,
      reportedFlops: reported,
      predictedFlops6nd: c.trainingFlops6nd,
      relativeError6nd: c.trainingFlops6nd / reported - 1,
      ...(c.trainingFlopsPalm !== undefined
        ? { predictedFlopsPalm: c.trainingFlopsPalm, relativeErrorPalm: c.trainingFlopsPalm / reported - 1 }
        : {}),
    });
  }
  // A figure a preset supplies (5e-324 GPU-hours) can make a ratio infinite: an error naming it, never "+Infinity %".
  const fileOf = (name: string): string => presets.models.get(name)?.file ?? name;
  for (const r of rows) assertFinite(r, `${fileOf(r.name)}: run.${published.find((p) => p.model.name === r.name)?.gpuHoursBasis === 'reported' ? 'gpuHours' : 'wallClockDays'}.value`);
  for (const r of flops) assertFinite(r, `${fileOf(r.name)}: reportedFlops.value`);
  for (const r of energy) assertFinite(r, `${fileOf(r.name)}: run.energyMwh.value`);
  assertFinite(summary, 'backtest summary');
  return { rows, flops, energy, summary };
}

/** Throws a ComputeError naming `where` when any number of `row` (or of its arrays) is not finite. */
function assertFinite(row: object, where: string): void {
  for (const [key, value] of Object.entries(row)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
      throw new ComputeError(`${where}: gives a ${key} that is not a finite number; expected a figure of the published run's size`);
    }
  }
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
const hours = (x: number): string => formatQuantity(x);

/** Returns the table rows of the accelerator-hours backtest (strings). */
function hourCells(r: BacktestRow): string[] {
  return [
    r.name,
    r.family,
    hours(r.reportedGpuHours),
    hours(r.predictedGpuHours),
    `${hours(r.predictedGpuHoursRange[0])} to ${hours(r.predictedGpuHoursRange[1])}`,
    pct(r.relativeError),
    r.inside ? 'yes' : 'no',
    pct(r.looPredictedGpuHours / r.reportedGpuHours - 1),
    `${(r.impliedMfu * 100).toFixed(1)} %`,
  ];
}

const HOUR_HEAD = ['run', 'family', 'reported GPU-h', 'predicted', 'range', 'error', 'in range', 'error (leave-one-out)', 'implied MFU'];

/** Returns the summary lines (same text in table and markdown). */
function summaryLines(s: BacktestSummary): string[] {
  return [
    `${s.runs} runs. Median |log error| of accelerator-hours: ${s.medianAbsLogError.toFixed(3)} in-sample, ${s.looMedianAbsLogError.toFixed(3)} leave-one-out; constant MFU ${BASELINE_CONSTANT_MFU} (Epoch AI): ${s.baselineMedianAbsLogError.toFixed(3)}.`,
    `Reported value inside the stated range (high/low = ${s.rangeRatio}): ${(s.shareInside * 100).toFixed(0)} % in-sample, ${(s.looShareInside * 100).toFixed(0)} % leave-one-out.`,
    'In-sample: the default MFU of each family is the median of its runs, this one included; leave-one-out: without it (the honest figure for a new run).',
  ];
}

/** Runs `backtest`: renders the report in the chosen format. */
export function backtestCommand(presets: PresetSet, format: OutputFormat, style: Style): CommandOutput {
  const report = buildBacktest(presets);
  switch (format) {
    case 'json':
      return { stdout: `${JSON.stringify({ schemaVersion: 1, command: 'backtest', ...report }, null, 2)}\n` };
    case 'csv':
      return { stdout: renderCsv(report.rows as unknown as Row[]) };
    case 'ndjson':
      return { stdout: renderNdjson(report.rows as unknown as Row[]) };
    case 'markdown':
      return {
        stdout: [
          renderMarkdownTable(HOUR_HEAD, report.rows.map(hourCells)),
          '',
          ...summaryLines(report.summary),
          '',
          renderMarkdownTable(['model', 'reported FLOPs', '6ND', 'error', 'PaLM (with attention)', 'error'], report.flops.map(flopsCells)),
          '',
        ].join('\n'),
      };
    case 'table': {
      const { width } = style;
      const text = (line: string): string[] => wrapText(line, width);
      const hoursTable = fitTable({ head: HOUR_HEAD, rows: report.rows.map(hourCells), width });
      const flopsTable = fitTable({ head: ['model', 'reported FLOPs', '6ND', 'error', 'PaLM (with attention)', 'error'], rows: report.flops.map(flopsCells), width });
      const energyRows = report.energy.map((r) => [r.name, formatQuantity(r.reportedEnergyMwh), formatQuantity(r.predictedEnergyMwh), pct(r.relativeError)]);
      const energyTable = fitTable({ head: ['run', 'reported MWh', 'predicted MWh', 'error'], rows: energyRows, width });
      return {
        stdout: [
          ...text('Accelerator-hours: predicted from params, tokens, accelerator and count (default MFU, failures modelled)').map(style.bold),
          hoursTable,
          ...summaryLines(report.summary).flatMap(text),
          '',
          ...text('Training FLOPs: predicted vs reported').map(style.bold),
          flopsTable,
          '',
          ...text('Energy: predicted (power factor x PUE defaults) vs reported').map(style.bold),
          energyTable,
          ...text('Reports count energy differently (GPU TDP only, or x PUE 1.1): the default power factor 2.0 counts the whole facility.').map(style.dim),
          '',
        ].join('\n'),
      };
    }
  }
}

function flopsCells(r: FlopsRow): string[] {
  return [
    r.name,
    formatScientific(r.reportedFlops),
    formatScientific(r.predictedFlops6nd),
    pct(r.relativeError6nd),
    r.predictedFlopsPalm === undefined ? '' : formatScientific(r.predictedFlopsPalm),
    r.relativeErrorPalm === undefined ? '' : pct(r.relativeErrorPalm),
  ];
}
