import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { HfConfigError, parseHfConfig } from '../../../src/presets/hf/index.js';

/** Path of a real published config under test/fixtures/hf/ (SOURCES.md there says where each comes from). */
export const fixturePath = (name: string): string => fileURLToPath(new URL(`../../fixtures/hf/${name}.config.json`, import.meta.url));

/** The parsed JSON of a fixture config. */
export const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(fixturePath(name), 'utf8'));

/** Returns the message of the HfConfigError that parsing `config` throws; fails the test when it parses. */
export const hfError = (config: unknown): string => {
  try {
    parseHfConfig(config);
  } catch (e) {
    expect(e).toBeInstanceOf(HfConfigError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
};
