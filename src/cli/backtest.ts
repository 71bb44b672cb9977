import { fitTable, wrapText } from '../format/layout.js';
import type { Conversion } from '../core/conventions.js';
import { formatQuantity, formatScientific } from '../core/units.js';
import { renderCsv } from '../format/csv.js';
import type { OutputFormat } from '../format/formats.js';
import { renderMarkdownTable } from '../format/markdown.js';
import { renderNdjson } from '../format/ndjson.js';
import type { Row } from '../format/rows.js';
import type { Style } from '../format/table.js';
import type { LeftOutRun, MeasuredThroughput } from '../presets/observations.js';
import type { PresetSet } from '../presets/parse.js';
import type { CommandOutput } from './context.js';
import { buildBacktest, type BacktestReport, type BacktestReportRow, type MethodSummary } from './backtest-report.js';
import type { FlopsRow } from './backtest-flops.js';
import { predictedCalibration } from '../presets/calibrate.js';
import { resolveScenario } from '../presets/resolve.js';

export { buildBacktest, type BacktestReport, type BacktestReportRow } from './backtest-report.js';
export type { EnergyRow, FlopsRow } from './backtest-flops.js';

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
const share = (x: number): string => `${(x * 100).toFixed(1)} %`;
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
const yes = (b: boolean): string => (b ? 'yes' : 'no');

/** Returns the run's name with what scales its MFU, e.g. "deepseek-v3 (fp8, MoE)". */
function runLabel(r: BacktestReportRow): string {
  const marks = [...(r.precision === 'bf16' || r.precision === 'fp16' ? [] : [r.precision]), ...(r.moe ? ['MoE'] : [])];
  return marks.length === 0 ? r.name : `${r.name} (${marks.join(', ')})`;
}

/** Returns the cells of one run: reported and predicted hours, the factors, the log error and the range, in-sample and leave-one-out. */
function hourCells(r: BacktestReportRow): string[] {
  return [
    runLabel(r),
    formatQuantity(r.reportedGpuHours),
    formatQuantity(r.predictedGpuHours),
    share(r.steadyStateMfu),
    share(r.goodput),
    share(r.runUtilization),
    signed(r.logError),
    yes(r.inside),
    signed(r.looLogError),
    yes(r.looInside),
  ];
}

const HOUR_HEAD = ['run', 'reported GPU-h', 'predicted', 'steady MFU', 'goodput', 'run util.', 'ln error', 'in 80 %', 'LOO ln error', 'LOO in 80 %'];
const SUMMARY_HEAD = ['method', 'runs', 'median |ln error|', 'LOO', 'in 80 % range', 'LOO', 'range high/low', 'LOO'];
const FLOPS_HEAD = ['model', 'reported', 'as 6ND counts', '6ND', 'error', 'PaLM form', 'error'];
const THROUGHPUT_HEAD = ['run', 'published', 'to 6ND', 'steady MFU', 'run MFU', 'run share'];

/** Returns the cells of one method's summary. */
function summaryCells(m: MethodSummary): string[] {
  const name = m.key === 'best constant' && m.mfu !== undefined ? `best constant (${share(m.mfu)})` : m.key;
  return [
    name,
    String(m.runs),
    m.inSample.medianAbsLogError.toFixed(3),
    m.leaveOneOut.medianAbsLogError.toFixed(3),
    `${(m.inSample.coverage * 100).toFixed(0)} %`,
    `${(m.leaveOneOut.coverage * 100).toFixed(0)} %`,
    m.inSample.medianRangeRatio.toFixed(2),
    m.leaveOneOut.medianRangeRatio.toFixed(2),
  ];
}

/** Returns the lines that explain the decomposition, the prior, the range and the factors (same text in every format). */
function explanation(report: BacktestReport): string[] {
  const lines = [
    'GPU-hours = FLOPs / (GPUs x dense peak of the run\'s precision x steady-state MFU x goodput x run utilization). ln error = ln(predicted / reported). In-sample: every constant fitted on all runs; leave-one-out (LOO): every constant (family MFU, utilization prior, the range\'s percentiles) refitted without the run.',
  ];
  if (report.methods.some((m) => m.key === 'default')) {
    lines.push("default (--mfu-from not given): each run by the throughput model's MFU where it predicts it (below), else by the published-run MFU, each with its own range; published: the published-run MFU for every run.");
  }
  const u = report.utilization;
  if (u) {
    lines.push(
      `Run utilization prior ${u.value.toFixed(2)}: the median share of their own published steady-state throughput that ${u.shares.length} runs' hours imply, failures taken out (${u.shares.map((s) => `${s.name} ${s.share.toFixed(2)}`).join(', ')}); 10th-90th percentile ${u.low.toFixed(2)}-${u.high.toFixed(2)}.`,
    );
  }
  const r = report.range;
  if (r) lines.push(`80 % range of an estimate: x${r.low.toFixed(2)} to x${r.high.toFixed(2)} (10th and 90th percentiles of the ${r.runs} runs' LOO residuals; high/low ${(r.high / r.low).toFixed(2)}).`);
  const best = report.methods.find((m) => m.key === 'best constant');
  if (best?.lowestInSampleMedianAbsLogError !== undefined) {
    lines.push(`Baselines predict FLOPs / (GPUs x 16-bit peak x constant). No constant does better in-sample than ${best.lowestInSampleMedianAbsLogError.toFixed(3)} (the constant fitted to that very statistic); the best constant above is the median run MFU, a fit that stays stable when a run is left out.`);
  }
  lines.push(`FP8: ${report.fp8Speedup.value}x the BF16 speed (only the matrix multiplies run at the FP8 peak), so MFU against the FP8 peak is 0.685 of the BF16 MFU.`);
  const m = report.moe;
  const check = m.medianRatio === undefined ? '' : `; the presets' MoE runs reach ${m.medianRatio.toFixed(2)} of their family's dense runs (median; ${m.runs.map((x) => `${x.name} ${x.ratio.toFixed(2)}`).join(', ')})`;
  lines.push(`Mixture of experts: x${m.factor} (NVIDIA NeMo tables: Mixtral-8x7B vs dense models on the same systems)${check}.`);
  return lines;
}

/** Returns the line that lists the preset runs left out of the accelerator-hours backtest. */
function leftOutLine(leftOut: readonly LeftOutRun[]): string {
  if (leftOut.length === 0) return 'No preset run is left out.';
  return `Left out: ${leftOut.map((l) => `${l.name} (${l.reason})`).join('; ')}.`;
}

const THROUGHPUT_NOTE =
  'Steady MFU: the published throughput, converted to 6ND (all parameters, no attention, no recomputation). Run MFU: what the published hours imply. Run share = run / steady.';
const PREDICTED_HEAD = ['run', 'reported run MFU', 'predicted steady MFU', 'plan', 'LOO ln error', 'LOO in 80 %'];
const PREDICTED_NOTE =
  "Predicted steady MFU: the throughput model (llmcost plan's model) for the run's GPUs, precision and published plan (its stated knobs; the rest searched), else the best plan estimate's search finds; x the utilization prior x goodput gives the run. Runs without a GPU count, an architecture or link data (TPUs) are not predicted.";

/** Returns the cells of one run the throughput model predicts. */
function predictedCells(report: BacktestReport): string[][] {
  const reported = new Map(report.rows.map((r) => [r.name, r.reportedRunMfu]));
  return report.predicted.map((p) => [p.name, share(reported.get(p.name) ?? NaN), share(p.steadyStateMfu), p.plan, signed(p.looLogError), yes(p.looInside)]);
}

const HOURS_TITLE = 'Accelerator-hours of published runs: predicted from params, tokens, accelerator, precision and count';

/** Runs `backtest`: renders the report in the chosen format. */
export function backtestCommand(presets: PresetSet, format: OutputFormat, style: Style): CommandOutput {
  const predicted = predictedCalibration(presets, (flags) => resolveScenario('estimate', flags, presets));
  const report = buildBacktest(presets, predicted?.steady);
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
          renderMarkdownTable(SUMMARY_HEAD, report.methods.map(summaryCells)),
          '',
          ...(report.predicted.length > 0 ? [renderMarkdownTable(PREDICTED_HEAD, predictedCells(report)), '', PREDICTED_NOTE, ''] : []),
          ...explanation(report),
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
          ...text(HOURS_TITLE).map(style.bold),
          tableOf(HOUR_HEAD, report.rows.map(hourCells)),
          '',
          ...text('Accuracy of accelerator-hours, by method').map(style.bold),
          tableOf(SUMMARY_HEAD, report.methods.map(summaryCells)),
          ...explanation(report).flatMap(text),
          ...text(leftOutLine(report.leftOut)).map(style.dim),
          '',
          ...(report.predicted.length > 0
            ? [...text('The throughput model (--mfu-from predicted) on the runs it can predict').map(style.bold), tableOf(PREDICTED_HEAD, predictedCells(report)), ...text(PREDICTED_NOTE).map(style.dim), '']
            : []),
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
