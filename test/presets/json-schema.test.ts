import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_KINDS, presetJsonSchema, presetJsonSchemaText } from '../../src/presets/json-schema.js';
import { builtinPresetsDir, readPresetDir } from '../../src/presets/load.js';
import { parsePresets } from '../../src/presets/parse.js';

const committed = (kind: string): string => readFileSync(new URL(`../../presets/schema/${kind}.schema.json`, import.meta.url), 'utf8');
const KIND_OF = { gpus: 'gpu', models: 'model', clusters: 'cluster', defaults: 'defaults' } as const;

describe('shipped JSON Schemas (presets/schema/*.schema.json)', () => {
  it.each(JSON_SCHEMA_KINDS)('%s: the committed file equals a fresh generation (run `npm run schemas` after changing src/presets/schema.ts)', (kind) => {
    expect(committed(kind)).toBe(presetJsonSchemaText(kind));
  });

  it('every built-in preset uses only properties its schema declares, and has every required one', () => {
    const files = readPresetDir(builtinPresetsDir(), 'built-in');
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const schema = presetJsonSchema(KIND_OF[file.kind]) as { properties: Record<string, unknown>; required?: string[]; additionalProperties: boolean };
      const data = JSON.parse(file.text) as Record<string, unknown>;
      expect(schema.additionalProperties, file.path).toBe(false);
      for (const key of Object.keys(data)) expect(Object.keys(schema.properties), `${file.path}: ${key}`).toContain(key);
      for (const key of schema.required ?? []) expect(Object.keys(data), `${file.path}: ${key}`).toContain(key);
    }
  });

  it('a preset naming its schema with "$schema" (as editors want) still validates', () => {
    const files = readPresetDir(builtinPresetsDir(), 'built-in');
    const withSchema = files.map((f) =>
      f.kind === 'gpus' ? { ...f, text: JSON.stringify({ $schema: '../schema/gpu.schema.json', ...JSON.parse(f.text) }) } : f,
    );
    expect(parsePresets(withSchema).errors).toEqual([]);
    const nonString = files.map((f) => (f.path.endsWith('h100.json') ? { ...f, text: JSON.stringify({ $schema: 1, ...JSON.parse(f.text) }) } : f));
    expect(parsePresets(nonString).errors).toContain('presets/gpus/h100.json: (top level): unknown key "$schema"');
  });

  it('numbers are positive and names lower-case in the generated schema (from the zod rules)', () => {
    const gpu = presetJsonSchema('gpu') as { properties: { name: { pattern: string }; memoryGb: { properties: { value: { exclusiveMinimum: number } } } } };
    expect(new RegExp(gpu.properties.name.pattern).test('h100')).toBe(true);
    expect(new RegExp(gpu.properties.name.pattern).test('H100')).toBe(false);
    expect(gpu.properties.memoryGb.properties.value.exclusiveMinimum).toBe(0);
  });
});
