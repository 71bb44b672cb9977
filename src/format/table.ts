import Table from 'cli-table3';
import { GROUPS, INPUT_FIELDS, RESULT_FIELDS, valueAt } from './fields.js';
import { formatHuman } from './human.js';
import type { Report } from './report.js';
import { plain, type Style } from './style.js';

export { chalkStyle, plain, type Style } from './style.js';

function newTable(head?: string[]): Table.Table {
  return new Table({ ...(head ? { head } : {}), style: { head: [], border: [], compact: true } });
}

/** Returns a report as human-readable tables: results by group, then the assumptions and their origins. */
export function renderTable(report: Report, style: Style = plain): string {
  const out: string[] = [style.bold(report.title), ''];
  const solvedFor = report.results['solvedFor'];
  if (typeof solvedFor === 'string') {
    const spec = RESULT_FIELDS.find((f) => f.key === solvedFor);
    const value = report.results[solvedFor];
    if (value !== undefined) {
      out.push(style.green(`Solved for ${solvedFor}: ${formatHuman(value, spec?.unit ?? 'quantity')}`), '');
    }
  }
  const results = newTable();
  for (const group of GROUPS) {
    const rows = RESULT_FIELDS.filter((f) => f.group === group && valueAt(report.results, f.key) !== undefined);
    if (rows.length === 0) continue;
    results.push([{ colSpan: 2, content: style.bold(group) }]);
    for (const field of rows) {
      results.push([field.label, formatHuman(valueAt(report.results, field.key), field.unit)]);
    }
  }
  out.push(results.toString(), '', style.bold('Assumptions'));
  const inputs = newTable(['input', 'value', 'origin']);
  const known = Object.keys(INPUT_FIELDS);
  const keys = Object.keys(report.inputs).sort((a, b) => rank(known, a) - rank(known, b));
  for (const key of keys) {
    const input = report.inputs[key];
    if (!input) continue;
    const spec = INPUT_FIELDS[key] ?? { label: key, unit: 'text' as const };
    inputs.push([spec.label, formatHuman(input.value, spec.unit), style.dim(input.origin)]);
  }
  out.push(inputs.toString());
  for (const note of report.notes) out.push(`note: ${note}`);
  for (const warning of report.warnings) out.push(style.yellow(`warning: ${warning}`));
  out.push(style.dim('Sources of every preset number: llmcost presets show NAME, or --json (inputs.*.source).'));
  return `${out.join('\n')}\n`;
}

function rank(order: string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}
