import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HfConfigError, parseHfConfig } from '../../src/presets/hfconfig.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/hf/${name}.config.json`, import.meta.url), 'utf8'));
const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('parseHfConfig', () => {
  it('Llama 3.1 8B: 8.03e9 parameters (model card; the released checkpoint has 8,030,261,248)', () => {
    const c = parseHfConfig(fixture('llama-3.1-8b'));
    expect(rel(c.params, 8.03e9)).toBeLessThan(0.01);
    expect(c.params).toBe(8_030_261_248);
    expect(c.activeParams).toBe(c.params);
    expect(c.architecture).toMatchObject({ layers: 32, dModel: 4096, heads: 32, kvHeads: 8, vocabSize: 128256, seqLen: 8192, tiedEmbeddings: false });
    expect(c.unusedKeys).toEqual(['some_future_field']);
  });

  it('Mixtral 8x7B: 46.7B total, 12.9B active (Mistral AI, "Mixtral of experts", 2024)', () => {
    const c = parseHfConfig(fixture('mixtral-8x7b'));
    expect(rel(c.params, 46.7e9)).toBeLessThan(0.01);
    expect(rel(c.activeParams, 12.9e9)).toBeLessThan(0.01);
    expect(c.family).toBe('mixtral');
  });

  it('DeepSeek-V3: 671B total, 37B active (DeepSeek-V3 technical report, abstract; MTP module not counted)', () => {
    const c = parseHfConfig(fixture('deepseek-v3'));
    expect(rel(c.params, 671e9)).toBeLessThan(0.01);
    expect(rel(c.activeParams, 37e9)).toBeLessThan(0.02);
    expect(c.family).toBe('deepseek');
    expect(c.unusedKeys).toContain('num_nextn_predict_layers');
  });

  it.each([
    [{}, 'hidden_size: expected a non-negative integer, got nothing'],
    [{ hidden_size: 4096.5 }, 'hidden_size: expected a non-negative integer, got 4096.5'],
    [[], 'expected a JSON object'],
  ])('rejects %j with a message naming the key', (config, message) => {
    expect(() => parseHfConfig(config)).toThrow(HfConfigError);
    expect(() => parseHfConfig(config)).toThrow(message);
  });
});
