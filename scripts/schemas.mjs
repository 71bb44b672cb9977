// Writes presets/schema/<kind>.schema.json from the zod schemas (run after the build: `npm run schemas`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { JSON_SCHEMA_KINDS, presetJsonSchemaText } from '../dist/presets/json-schema.js';

const dir = new URL('../presets/schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const kind of JSON_SCHEMA_KINDS) {
  const file = new URL(`${kind}.schema.json`, dir);
  writeFileSync(file, presetJsonSchemaText(kind));
  console.log(`wrote presets/schema/${kind}.schema.json`);
}
