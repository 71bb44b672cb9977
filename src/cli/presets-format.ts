import { renderCsv } from '../format/csv.js';
import type { OutputFormat } from '../format/formats.js';
import { renderMarkdownTable } from '../format/markdown.js';
import { renderNdjson } from '../format/ndjson.js';
import type { Row } from '../format/rows.js';
import type { PresetSet } from '../presets/parse.js';
import type { CommandOutput } from './context.js';

type Kind = 'gpus' | 'models' | 'clusters';
const KIND_LABEL: Record<Kind, string> = { gpus: 'gpu', models: 'model', clusters: 'cluster' };

/** Returns a preset's fields with each sourced number `{ value, source, note? }` replaced by its value. */
export function presetValues(preset: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(preset)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      out[key] = 'value' in v && 'source' in v ? v['value'] : presetValues(v);
    } else out[key] = value;
  }
  return out;
}

/** Returns one row per preset: kind, name, label, origin, file, then its values (sources left out). */
export function presetRows(presets: PresetSet, name?: string): Row[] {
  const rows: Row[] = [];
  for (const kind of ['gpus', 'models', 'clusters'] as const) {
    for (const preset of presets[kind].values()) {
      if (name !== undefined && preset.name.toLowerCase() !== name.toLowerCase()) continue;
      const { name: n, label, origin, file, ...rest } = preset as typeof preset & { name: string; label: string };
      rows.push({ kind: KIND_LABEL[kind], name: n, label, origin, file, ...presetValues(rest) });
    }
  }
  return rows;
}

function render(rows: Row[], format: Exclude<OutputFormat, 'table' | 'json'>): string {
  if (format === 'csv') return renderCsv(rows);
  if (format === 'ndjson') return renderNdjson(rows);
  const cells = rows.map((r) => [String(r['kind']), String(r['name']), String(r['label']), String(r['origin'])]);
  return renderMarkdownTable(['kind', 'name', 'label', 'from'], cells);
}

/** Runs `presets --format csv|ndjson|markdown`: one row per preset (values, without sources). */
export function presetsListRows(format: Exclude<OutputFormat, 'table' | 'json'>, presets: PresetSet): CommandOutput {
  return { stdout: render(presetRows(presets), format) };
}

/** Runs `presets show NAME --format csv|ndjson|markdown` (the name is checked by presetsShowCommand first). */
export function presetsShowRows(name: string, format: Exclude<OutputFormat, 'table' | 'json'>, presets: PresetSet): CommandOutput {
  const rows = presetRows(presets, name);
  if (format !== 'markdown') return { stdout: render(rows, format) };
  const cells: string[][] = [];
  const walk = (obj: object, prefix: string): void => {
    for (const [key, value] of Object.entries(obj)) {
      if (prefix === '' && ['kind', 'name', 'label', 'origin', 'file'].includes(key)) continue;
      if (value !== null && typeof value === 'object') walk(value, `${prefix}${key}.`);
      else cells.push([`${prefix}${key}`, String(value)]);
    }
  };
  const out: string[] = [];
  for (const row of rows) {
    out.push(`### ${String(row['kind'])} ${String(row['name'])}: ${String(row['label'])}`, '', `from ${String(row['file'])} (${String(row['origin'])})`, '');
    cells.length = 0;
    walk(row, '');
    out.push(renderMarkdownTable(['field', 'value'], cells));
  }
  return { stdout: `${out.join('\n').trimEnd()}\n` };
}
