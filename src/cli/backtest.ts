import { fitTable, wrapText } from '../format/layout.js';
import { backtest, BASELINE_CONSTANT_MFU, type BacktestRow, type BacktestSummary } from '../core/backtest.js';
import { trainingCompute } from '../core/compute.js';
import { convertFlops, PALM, SIX_ND, type Conversion, type FlopConvention } from '../core/conventions.js';
import { formatQuantity, formatScientific } from '../core/units.js';
import { renderCsv } from '../format/csv.js';
import type { OutputFormat } from '../format/formats.js';
import { renderMarkdownTable } from '../format/markdown.js';
import { renderNdjson } from '../format/ndjson.js';
import type { Row } from '../format/rows.js';
import type { Style } from '../format/table.js';
import {
  computeArchitecture,
  conventionShape,
  leftOutRuns,
  measuredThroughputs,
  publishedRuns,
  type LeftOutRun,
  type MeasuredThroughput,
} from '../presets/observations.js';
import type { RunCoverage } from '../presets/schema.js';
import type { PresetSet } from '../presets/parse.js';
import type { CommandOutput } from './context.js';
import { ComputeError } from '../errors.js';

/**
 * Predicted vs reported training FLOPs of one model (6ND and, with the architecture, PaLM); the
 * reported count is first converted to each prediction's convention (e.g. recomputation taken out).
 */
export interface FlopsRow {
  name: string;
  reportedFlops: number;
  /** How the reported count was counted (absent fields: not stated). */
  reportedConvention: FlopConvention;
  /** The reported count as 6·N·D counts (reportedFlops x conversion6nd.factor). */
  reportedFlopsAs6nd: number;
  conversion6nd: Conversion;
  predictedFlops6nd: number;
  /** predictedFlops6nd / reportedFlopsAs6nd - 1. */
  relativeError6nd: number;
  predictedFlopsPalm?: number;
  /** The reported count as the PaLM form counts (6·N + 12·L·H·Q·T, no recomputation). */
  reportedFlopsAsPalm?: number;
  conversionPalm?: Conversion;
  relativeErrorPalm?: number;
}

/** Predicted vs reported energy of one run, MWh (predicted from the predicted GPU-hours). */
export interface EnergyRow {
  name: string;
  reportedEnergyMwh: number;
  predictedEnergyMwh: number;
  relativeError: number;
}

/** One backtest row with what its accelerator-hours cover. */
export type BacktestReportRow = BacktestRow & { coverage: RunCoverage };

/** The whole backtest: accelerator-hours, FLOPs, energy, measured throughput, and the summary. */
export interface BacktestReport {
  rows: BacktestReportRow[];
  /** Preset runs that are not accelerator-hour observations, and why. */
  leftOut: LeftOutRun[];
  flops: FlopsRow[];
  energy: EnergyRow[];
  /** Runs that publish a steady-state throughput, as 6·N·D MFU, and the share of it their hours imply. */
  throughput: MeasuredThroughput[];
  summary: BacktestSummary;
}

/** Returns the backtest of every preset run that reports accelerator-hours, FLOPs or energy (pure given presets). */
export function buildBacktest(presets: PresetSet): BacktestReport {
  const published = publishedRuns(presets);
  const { rows: coreRows, summary } = backtest(published.map((r) => r.observation));
  const coverageOf = new Map(published.map((p) => [p.model.name, p.coverage]));
  const rows = coreRows.map((r) => ({ ...r, coverage: coverageOf.get(r.name) ?? 'unknown' }));
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
    const convention = model.reportedFlops.flops ?? {};
    const shape = conventionShape(model);
    const conversion6nd = convertFlops(shape, convention, SIX_ND);
    const as6nd = reported * conversion6nd.factor;
    const palm = (): Partial<FlopsRow> => {
      if (c.trainingFlopsPalm === undefined) return {};
      const conversionPalm = convertFlops(shape, convention, PALM);
      const asPalm = reported * conversionPalm.factor;
      return { predictedFlopsPalm: c.trainingFlopsPalm, reportedFlopsAsPalm: asPalm, conversionPalm, relativeErrorPalm: c.trainingFlopsPalm / asPalm - 1 };
    };
    flops.push({
      name: model.name,
      reportedFlops: reported,
      reportedConvention: convention,
      reportedFlopsAs6nd: as6nd,
      conversion6nd,
      predictedFlops6nd: c.trainingFlops6nd,
      relativeError6nd: c.trainingFlops6nd / as6nd - 1,
      ...palm(),
    });
  }
  // A figure a preset supplies (5e-324 GPU-hours) can make a ratio infinite: an error naming it, never "+Infinity %".
  const fileOf = (name: string): string => presets.models.get(name)?.file ?? name;
  for (const r of rows) assertFinite(r, `${fileOf(r.name)}: run.${published.find((p) => p.model.name === r.name)?.gpuHoursBasis === 'reported' ? 'gpuHours' : 'wallClockDays'}.value`);
  for (const r of flops) assertFinite(r, `${fileOf(r.name)}: reportedFlops.value`);
  for (const r of energy) assertFinite(r, `${fileOf(r.name)}: run.energyMwh.value`);
  const throughput = measuredThroughputs(presets);
  for (const r of throughput) assertFinite(r, `${fileOf(r.name)}: run.throughput`);
  assertFinite(summary, 'backtest summary');
  return { rows, leftOut: leftOutRuns(presets), flops, energy, throughput, summary };
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
function hourCells(r: BacktestReportRow): string[] {
  return [
    r.name,
    r.coverage,
    hours(r.reportedGpuHours),
    hours(r.predictedGpuHours),
    pct(r.relativeError),
    r.inside ? 'yes' : 'no',
    pct(r.looPredictedGpuHours / r.reportedGpuHours - 1),
    `${(r.impliedMfu * 100).toFixed(1)} %`,
  ];
}

const HOUR_HEAD = ['run', 'hours cover', 'reported GPU-h', 'predicted', 'error', 'in range', 'leave-one-out', 'implied MFU'];
const FLOPS_HEAD = ['model', 'reported', 'as 6ND counts', '6ND', 'error', 'PaLM form', 'error'];
const THROUGHPUT_HEAD = ['run', 'published', 'to 6ND', 'steady MFU', 'run MFU', 'run share'];

/** Returns the summary lines (same text in table and markdown). */
function summaryLines(s: BacktestSummary): string[] {
  return [
    `${s.runs} runs. Median |log error| of accelerator-hours: ${s.medianAbsLogError.toFixed(3)} in-sample, ${s.looMedianAbsLogError.toFixed(3)} leave-one-out; constant MFU ${BASELINE_CONSTANT_MFU} (Epoch AI): ${s.baselineMedianAbsLogError.toFixed(3)}.`,
    `Reported value inside the stated range (high/low = ${s.rangeRatio}): ${(s.shareInside * 100).toFixed(0)} % in-sample, ${(s.looShareInside * 100).toFixed(0)} % leave-one-out.`,
    'In-sample: the default MFU of each family is the median of its runs, this one included; leave-one-out: without it (the honest figure for a new run).',
  ];
}

/** Returns the line that lists the preset runs left out of the accelerator-hours backtest. */
function leftOutLine(leftOut: readonly LeftOutRun[]): string {
  if (leftOut.length === 0) return 'No preset run is left out.';
  return `Left out: ${leftOut.map((l) => `${l.name} (${l.reason})`).join('; ')}.`;
}

const THROUGHPUT_NOTE =
  'Steady MFU: the published throughput, converted to 6ND (all parameters, no attention, no recomputation). Run MFU: what the published hours imply. Run share = run / steady.';

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
          leftOutLine(report.leftOut),
          '',
          renderMarkdownTable(FLOPS_HEAD, report.flops.map(flopsCells)),
          '',
          renderMarkdownTable(THROUGHPUT_HEAD, report.throughput.map(throughputCells)),
          '',
          THROUGHPUT_NOTE,
          '',
        ].join('\n'),
      };
    case 'table': {
      const { width } = style;
      const text = (line: string): string[] => wrapText(line, width);
      const tableOf = (head: string[], rows: string[][]): string => fitTable({ head, rows, width });
      const energyRows = report.energy.map((r) => [r.name, formatQuantity(r.reportedEnergyMwh), formatQuantity(r.predictedEnergyMwh), pct(r.relativeError)]);
      return {
        stdout: [
          ...text('Accelerator-hours: predicted from params, tokens, accelerator and count (default MFU, failures modelled)').map(style.bold),
          tableOf(HOUR_HEAD, report.rows.map(hourCells)),
          ...summaryLines(report.summary).flatMap(text),
          ...text(leftOutLine(report.leftOut)).map(style.dim),
          '',
          ...text("Training FLOPs: predicted vs reported (the reported count converted to each prediction's convention first)").map(style.bold),
          tableOf(FLOPS_HEAD, report.flops.map(flopsCells)),
          '',
          ...text("Steady-state throughput published vs the run's hours").map(style.bold),
          tableOf(THROUGHPUT_HEAD, report.throughput.map(throughputCells)),
          ...text(THROUGHPUT_NOTE).map(style.dim),
          '',
          ...text('Energy: predicted (power factor x PUE defaults) vs reported').map(style.bold),
          tableOf(['run', 'reported MWh', 'predicted MWh', 'error'], energyRows),
          ...text('Reports count energy differently (GPU TDP only, or x PUE 1.1): the default power factor 2.0 counts the whole facility.').map(style.dim),
          '',
        ].join('\n'),
      };
    }
  }
}

/** Returns a conversion as a short cell: "x0.750 (recomputation full -> none)", "x1" when nothing changed. */
function conversionText(c: Conversion): string {
  const skipped = c.missing.length > 0 ? `; not converted: ${c.missing.join(', ')}` : '';
  return c.steps.length === 0 ? `x1${skipped ? ` (${skipped.slice(2)})` : ''}` : `x${c.factor.toFixed(3)} (${c.steps.join(', ')}${skipped})`;
}

function flopsCells(r: FlopsRow): string[] {
  return [
    r.name,
    formatScientific(r.reportedFlops),
    r.conversion6nd.steps.length === 0 ? formatScientific(r.reportedFlopsAs6nd) : `${formatScientific(r.reportedFlopsAs6nd)} ${conversionText(r.conversion6nd)}`,
    formatScientific(r.predictedFlops6nd),
    pct(r.relativeError6nd),
    r.predictedFlopsPalm === undefined ? '' : formatScientific(r.predictedFlopsPalm),
    r.relativeErrorPalm === undefined ? '' : pct(r.relativeErrorPalm),
  ];
}

/** Returns the cells of one measured-throughput row. */
function throughputCells(m: MeasuredThroughput): string[] {
  const reported = m.basis === 'MFU' ? `MFU ${(m.reported * 100).toFixed(1)} %` : `${formatQuantity(m.reported)} ${m.basis === 'step time' ? 's/step' : m.basis.replace(' per GPU', '/GPU')}`;
  const unstated = m.conversion.unknown.length > 0 ? ` [not stated: ${m.conversion.unknown.join(', ')}]` : '';
  const counted = m.basis === 'MFU' || m.basis === 'TFLOP/s per GPU' ? `${conversionText(m.conversion)}${unstated}` : 'x1 (counted in tokens)';
  const frac = (x: number | undefined): string => (x === undefined ? '' : `${(x * 100).toFixed(1)} %`);
  return [m.name, reported, counted, frac(m.mfu6nd), frac(m.runMfu6nd), m.runShare === undefined ? '' : m.runShare.toFixed(2)];
}
