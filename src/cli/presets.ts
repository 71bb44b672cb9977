import { UsageError } from '../errors.js';
import { formatHuman, withCommas } from '../format/human.js';
import { shownPath } from '../presets/input-file.js';
import { directoryProblem, validatePresetDir } from '../presets/load.js';
import { safeText } from '../text.js';
import type { Located, PresetSet } from '../presets/parse.js';
import type { ClusterPreset, GpuPreset, ModelPreset } from '../presets/schema.js';
import { closestNames } from '../presets/suggest.js';
import type { CommandOutput, Context } from './context.js';
import { fitTable, wrapText } from '../format/layout.js';

type AnyPreset = Located<GpuPreset> | Located<ModelPreset> | Located<ClusterPreset>;
const KIND_LABEL = { gpus: 'gpu', models: 'model', clusters: 'cluster' } as const;

function summary(kind: keyof typeof KIND_LABEL, p: AnyPreset): string {
  if (kind === 'gpus') {
    const g = p as GpuPreset;
    const bf16 = g.peakTflops.bf16 ?? g.peakTflops.fp16;
    return `${bf16 ? `${bf16.value} TFLOP/s dense ${g.peakTflops.bf16 ? 'bf16' : 'fp16'}, ` : ''}${g.memoryGb.value} GB${g.tdpW ? `, ${formatHuman(g.tdpW.value, 'watts')}` : ''}`;
  }
  if (kind === 'models') {
    const m = p as ModelPreset;
    const active = m.activeParams ? ` (${formatHuman(m.activeParams.value, 'quantity')} active)` : '';
    return `${formatHuman(m.params.value, 'quantity')} params${active}, ${formatHuman(m.tokens.value, 'quantity')} tokens`;
  }
  const c = p as ClusterPreset;
  return `${withCommas(c.gpus.value)} x ${c.gpu}`;
}

function allPresets(presets: PresetSet): Array<[keyof typeof KIND_LABEL, AnyPreset]> {
  return (['gpus', 'models', 'clusters'] as const).flatMap((kind) =>
    [...presets[kind].values()].map((p): [keyof typeof KIND_LABEL, AnyPreset] => [kind, p]),
  );
}

const strip = ({ file, origin, ...rest }: AnyPreset): object => ({ ...rest, file, origin });

/** Runs `presets`: lists every preset (kind, name, summary, where it came from). */
export function presetsListCommand(json: boolean, ctx: Context): CommandOutput {
  const presets = ctx.presets();
  const rows = allPresets(presets);
  if (json) {
    const doc = {
      schemaVersion: 1,
      command: 'presets',
      presets: rows.map(([kind, p]) => ({ kind: KIND_LABEL[kind], ...strip(p) })),
      defaults: presets.defaults,
    };
    return { stdout: `${JSON.stringify(doc, null, 2)}\n` };
  }
  const style = ctx.style();
  const cells = rows.map(([kind, p]) => [KIND_LABEL[kind], style.bold(p.name), p.label, summary(kind, p), style.dim(p.origin)]);
  const table = fitTable({ head: ['kind', 'name', 'label', 'summary', 'from'], rows: cells, width: style.width });
  return { stdout: `${table}\nDetails and sources: llmcost presets show NAME\n` };
}

/** Runs `presets show NAME`: every field of one preset with its source. */
export function presetsShowCommand(name: string, json: boolean, ctx: Context): CommandOutput {
  const presets = ctx.presets();
  const matches = allPresets(presets).filter(([, p]) => p.name.toLowerCase() === name.toLowerCase());
  if (matches.length === 0) {
    const near = closestNames(name, allPresets(presets).map(([, p]) => p.name));
    throw new UsageError(`presets show: no preset named "${name}"; did you mean ${near.map((n) => `"${n}"`).join(', ')}?`);
  }
  if (json) {
    const doc = { schemaVersion: 1, command: 'presets show', presets: matches.map(([kind, p]) => ({ kind: KIND_LABEL[kind], ...strip(p) })) };
    return { stdout: `${JSON.stringify(doc, null, 2)}\n` };
  }
  const style = ctx.style();
  const out: string[] = [];
  for (const [kind, p] of matches) {
    out.push(...wrapText(`${KIND_LABEL[kind]} ${p.name}: ${p.label}`, style.width).map(style.bold));
    out.push(...wrapText(`from ${p.file} (${p.origin})`, style.width).map(style.dim));
    out.push(fitTable({ head: ['field', 'value', 'source'], rows: flatten(p), width: style.width }));
  }
  return { stdout: `${out.join('\n')}\n` };
}

/**
 * Runs `presets validate DIR`: every problem of the directory's presets, one per line on stderr
 * (exit 2), or "ok: N presets in DIR" on stdout. A missing directory is a usage error.
 */
export function presetsValidateCommand(dir: string): CommandOutput {
  if (dir.trim() === '') throw new UsageError('presets validate: expected a directory, got an empty value');
  const problem = directoryProblem(dir);
  if (problem !== undefined) throw new UsageError(`presets validate ${shownPath(dir)}: cannot read: ${problem}`);
  const { count, errors } = validatePresetDir(dir);
  if (errors.length === 0) return { stdout: `ok: ${count} presets in ${shownPath(dir)}\n` };
  // One line per problem whatever a file holds (errors echo values already cut and escaped).
  const lines = errors.map((e) => safeText(e));
  const summary = `llmcost: presets validate: ${errors.length} problem${errors.length > 1 ? 's' : ''} in ${shownPath(dir)}`;
  return { stdout: '', stderr: `${[...lines, summary].join('\n')}\n`, exitCode: 2 };
}

/** Flattens a preset into rows of [field path, value, source + note]. */
function flatten(preset: object, prefix = ''): Array<[string, string, string]> {
  const rows: Array<[string, string, string]> = [];
  for (const [key, value] of Object.entries(preset)) {
    if (['name', 'label', 'file', 'origin'].includes(key) && prefix === '') continue;
    const path = prefix + key;
    if (value && typeof value === 'object' && 'value' in value && 'source' in value) {
      const v = value as { value: unknown; source: string; note?: string };
      rows.push([path, String(v.value), v.note ? `${v.source} (${v.note})` : v.source]);
    } else if (value && typeof value === 'object') {
      const nested = value as Record<string, unknown>;
      if (typeof nested['source'] === 'string') {
        // One source for the whole group (an architecture, an MFU range): say it once, above its fields.
        const { source: src, note, ...rest } = nested;
        rows.push([path, '', note ? `${String(src)} (${String(note)})` : String(src)]);
        rows.push(...flatten(rest, `${path}.`));
      } else rows.push(...flatten(nested, `${path}.`));
    } else rows.push([path, String(value), '']);
  }
  return rows;
}
