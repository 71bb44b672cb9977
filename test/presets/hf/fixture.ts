import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of a real published config under test/fixtures/hf/ (SOURCES.md there says where each comes from). */
export const fixturePath = (name: string): string => fileURLToPath(new URL(`../../fixtures/hf/${name}.config.json`, import.meta.url));

/** The parsed JSON of a fixture config. */
export const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(fixturePath(name), 'utf8'));
