import { z } from 'zod';
import * as zm from 'zod/mini';
import { clusterSchema, defaultsSchema, gpuSchema, modelSchema } from './schema.js';

/** The preset kinds that get a JSON Schema file, presets/schema/<kind>.schema.json. */
export const JSON_SCHEMA_KINDS = ['gpu', 'model', 'cluster', 'defaults'] as const;
/** One of JSON_SCHEMA_KINDS. */
export type JsonSchemaKind = (typeof JSON_SCHEMA_KINDS)[number];

const SOURCES: Record<JsonSchemaKind, { schema: z.core.$ZodType; title: string; description: string }> = {
  gpu: { schema: gpuSchema, title: 'llmcost GPU preset', description: 'An accelerator: dense peaks per precision (TFLOP/s), memory, power, prices; every number with its source. Put it in <presets dir>/gpus/<name>.json.' },
  model: { schema: modelSchema, title: 'llmcost model preset', description: 'A model: parameters, tokens and, where published, architecture and run; every number with its source. Put it in <presets dir>/models/<name>.json.' },
  cluster: { schema: clusterSchema, title: 'llmcost cluster preset', description: 'A cluster: which GPU preset, how many, and defaults of its own. Put it in <presets dir>/clusters/<name>.json.' },
  // A user's defaults.json overrides only the keys it has, so no key is required here.
  defaults: { schema: zm.partial(defaultsSchema), title: 'llmcost defaults', description: 'Global defaults, each sourced; a user defaults.json overrides only the keys it gives. Put it in <presets dir>/defaults.json.' },
};

/**
 * Returns the JSON Schema (draft 2020-12) of one preset kind, generated from its zod schema; it also
 * allows a top-level "$schema" string so editors can find it. Checks zod cannot express as JSON Schema
 * (at least one peak, whole GPU counts, cross-file references) are left to `llmcost presets validate`.
 */
export function presetJsonSchema(kind: JsonSchemaKind): Record<string, unknown> {
  const { schema, title, description } = SOURCES[kind];
  const generated = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown> & { properties?: Record<string, unknown> };
  const { $schema, properties, ...rest } = generated;
  return {
    $schema,
    title,
    description,
    ...rest,
    properties: { $schema: { type: 'string', description: 'path or URL of this JSON Schema, for editors' }, ...properties },
  };
}

/** Returns the text of presets/schema/<kind>.schema.json: the schema as 2-space JSON with a trailing newline. */
export function presetJsonSchemaText(kind: JsonSchemaKind): string {
  return `${JSON.stringify(presetJsonSchema(kind), null, 2)}\n`;
}
