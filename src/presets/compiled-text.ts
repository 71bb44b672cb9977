// The text of dist/presets.json: a first line of JSON (the defaults, the run calibration, and where
// each preset's JSON lies in the rest), then every preset's JSON, one after another. A start-up
// parses the first line and only the presets it asks for (an estimate: its model, GPU and cluster),
// not all ~170 kB: the others are parsed when first listed or iterated. A file of one line (the
// JSON of compilePresets, as tests write it) is read whole.
import { COMPILED_PRESETS_FORMAT, presetsFromCompiled, type CompiledPresets } from './compiled.js';
import { useCompiledCalibration } from './calibrate.js';
import type { PresetSet } from './parse.js';

const KINDS = ['gpus', 'models', 'clusters'] as const;

/** Where a preset's JSON lies in the text after the first line: name, start, end (string offsets). */
type Span = [name: string, start: number, end: number];

/** Returns the text of dist/presets.json for compiled presets (what the build writes). */
export function compiledPresetsText(compiled: CompiledPresets): string {
  let body = '';
  const index: Record<(typeof KINDS)[number], Span[]> = { gpus: [], models: [], clusters: [] };
  for (const kind of KINDS) {
    for (const preset of compiled[kind]) {
      const json = JSON.stringify(preset);
      index[kind].push([preset.name, body.length, body.length + json.length]);
      body += json;
    }
  }
  const { compiledPresetsFormat, defaults, calibration } = compiled;
  return `${JSON.stringify({ compiledPresetsFormat, defaults, calibration, index })}\n${body}\n`;
}

/**
 * Returns the preset set of the text of dist/presets.json (or of one line of compilePresets' JSON),
 * or undefined when it is not compiled presets of this format; throws on JSON it cannot parse.
 */
export function presetsFromCompiledText(text: string): PresetSet | undefined {
  const newline = text.indexOf('\n');
  const head = JSON.parse(newline === -1 ? text : text.slice(0, newline)) as Record<string, unknown> | null;
  if (head === null || typeof head !== 'object' || !('index' in head)) return presetsFromCompiled(newline === -1 ? head : JSON.parse(text));
  const index = head['index'] as Partial<Record<(typeof KINDS)[number], Span[]>> | null;
  const calibration = head['calibration'] as CompiledPresets['calibration'] | undefined;
  if (head['compiledPresetsFormat'] !== COMPILED_PRESETS_FORMAT || !head['defaults'] || !calibration || !Array.isArray(calibration.observations)) return undefined;
  if (!index || !KINDS.every((kind) => Array.isArray(index[kind]))) return undefined;
  const body = text.slice(newline + 1);
  const map = <T>(spans: Span[]): Map<string, T> => lazyMap<T>(spans, (start, end) => JSON.parse(body.slice(start, end)) as T);
  const set: PresetSet = {
    gpus: map(index.gpus as Span[]),
    models: map(index.models as Span[]),
    clusters: map(index.clusters as Span[]),
    defaults: head['defaults'] as PresetSet['defaults'],
  };
  useCompiledCalibration(set, calibration);
  return set;
}

/**
 * Returns a Map of the presets at `spans` whose get() and has() parse one preset when first asked;
 * any other use (iteration, size, set) parses them all, in order, and makes it a plain Map again.
 */
function lazyMap<T>(spans: Span[], parse: (start: number, end: number) => T): Map<string, T> {
  const where = new Map(spans.map(([name, start, end]) => [name, [start, end] as const]));
  const parsed = new Map<string, T>();
  const map = new Map<string, T>();
  const one = (name: string): T | undefined => {
    const done = parsed.get(name);
    if (done !== undefined) return done;
    const span = where.get(name);
    if (!span) return undefined;
    const value = parse(span[0], span[1]);
    parsed.set(name, value);
    return value;
  };
  const whole = (): void => {
    for (const key of OVERRIDDEN) delete (map as unknown as Record<PropertyKey, unknown>)[key];
    for (const [name] of spans) Map.prototype.set.call(map, name, one(name) as T);
  };
  const own = (key: PropertyKey, value: unknown): void => {
    Object.defineProperty(map, key, { value, configurable: true, writable: true, enumerable: false });
  };
  own('get', (name: string) => one(name));
  own('has', (name: string) => where.has(name));
  Object.defineProperty(map, 'size', { get: () => where.size, configurable: true, enumerable: false });
  for (const key of OVERRIDDEN) {
    if (key === 'get' || key === 'has' || key === 'size') continue;
    const method = (Map.prototype as unknown as Record<PropertyKey, (...args: unknown[]) => unknown>)[key] as (...args: unknown[]) => unknown;
    own(key, (...args: unknown[]) => {
      whole();
      return method.apply(map, args);
    });
  }
  return map;
}

/** The Map members a lazy map answers itself until it is made whole. */
const OVERRIDDEN: readonly PropertyKey[] = ['get', 'has', 'size', 'keys', 'values', 'entries', 'forEach', Symbol.iterator, 'set', 'delete', 'clear'];
