import { GROUPS, INPUT_FIELDS, RESULT_FIELDS, valueAt } from './fields.js';
import { formatHuman } from './human.js';
import { fitTable, wrapText, type LayoutCell } from './layout.js';
import type { Report } from './report.js';
import { plain, type Style } from './style.js';

export { chalkStyle, plain, type Style } from './style.js';

/**
 * Returns a report as human-readable tables within `style.width` columns: results by group, then the
 * assumptions and their origins, then the notes (wrapped at word boundaries).
 */
export function renderTable(report: Report, style: Style = plain): string {
  const { width } = style;
  const out: string[] = [...wrapText(report.title, width).map(style.bold), ''];
  const solvedFor = report.results['solvedFor'];
  if (typeof solvedFor === 'string') {
    const spec = RESULT_FIELDS.find((f) => f.key === solvedFor);
    const value = report.results[solvedFor];
    if (value !== undefined) {
      out.push(...wrapText(`Solved for ${solvedFor}: ${formatHuman(value, spec?.unit ?? 'quantity')}`, width).map(style.green), '');
    }
  }
  const results: LayoutCell[][] = [];
  for (const group of GROUPS) {
    const rows = RESULT_FIELDS.filter((f) => f.group === group && valueAt(report.results, f.key) !== undefined);
    if (rows.length === 0) continue;
    results.push([{ colSpan: 2, content: style.bold(group) }]);
    for (const field of rows) results.push([field.label, formatHuman(valueAt(report.results, field.key), field.unit)]);
  }
  out.push(fitTable({ rows: results, width }), '', style.bold('Assumptions'));
  const inputs: LayoutCell[][] = [];
  const known = Object.keys(INPUT_FIELDS);
  const keys = Object.keys(report.inputs).sort((a, b) => rank(known, a) - rank(known, b));
  for (const key of keys) {
    const input = report.inputs[key];
    if (!input) continue;
    const spec = INPUT_FIELDS[key] ?? { label: key, unit: 'text' as const };
    inputs.push([spec.label, formatHuman(input.value, spec.unit), style.dim(input.origin)]);
  }
  out.push(fitTable({ head: ['input', 'value', 'origin'], rows: inputs, width }));
  for (const note of report.notes) out.push(...wrapText(note, width, 'note: '));
  for (const warning of report.warnings) out.push(...wrapText(warning, width, 'warning: ').map(style.yellow));
  out.push(...wrapText('Sources of every number: llmcost presets show NAME, or --json (inputs.*.source).', width).map(style.dim));
  return `${out.join('\n')}\n`;
}

function rank(order: string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}
