import { GROUPS, INPUT_FIELDS, RESULT_FIELDS, valueAt } from './fields.js';
import { formatHuman } from './human.js';
import type { Report } from './report.js';

/** Returns one markdown table cell: pipes escaped, line breaks as spaces. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Returns a GitHub-flavoured markdown table; `align` per column: 'l' (default) or 'r' (numbers).
 * @example renderMarkdownTable(['a', 'b'], [['1', '2']]) // '| a | b |\n| --- | --- |\n| 1 | 2 |\n'
 */
export function renderMarkdownTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, align: readonly ('l' | 'r')[] = []): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  const rule = `| ${head.map((_, i) => (align[i] === 'r' ? '---:' : '---')).join(' | ')} |`;
  return `${[line(head), rule, ...rows.map(line)].join('\n')}\n`;
}

/** Returns a report as markdown: a heading, the results table by group, the assumptions table, notes and warnings. */
export function renderReportMarkdown(report: Report): string {
  const out: string[] = [`### ${markdownCell(report.title)}`, ''];
  const rows: string[][] = [];
  for (const group of GROUPS) {
    for (const field of RESULT_FIELDS) {
      if (field.group !== group) continue;
      const value = valueAt(report.results, field.key);
      if (value !== undefined) rows.push([group, field.label, formatHuman(value, field.unit)]);
    }
  }
  out.push(renderMarkdownTable(['group', 'result', 'value'], rows, ['l', 'l', 'r']));
  const inputs: string[][] = [];
  for (const [key, input] of Object.entries(report.inputs)) {
    if (!input) continue;
    const spec = INPUT_FIELDS[key] ?? { label: key, unit: 'text' as const };
    inputs.push([spec.label, formatHuman(input.value, spec.unit), input.origin]);
  }
  out.push(renderMarkdownTable(['input', 'value', 'origin'], inputs, ['l', 'r', 'l']));
  for (const note of report.notes) out.push(`> note: ${note}`, '');
  for (const warning of report.warnings) out.push(`> warning: ${warning}`, '');
  return `${out.join('\n').trimEnd()}\n`;
}
