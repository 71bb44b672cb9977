// Which keys of a Hugging Face config each family reads (test/fixtures/hf/, real published configs):
// the alias names transformers' config classes accept (their attribute_map and legacy keywords) give
// the same model, every dropout key of a family decides "trained with dropout" on its own, and the
// keys a family neither reads nor knows are the only ones listed as unused.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHfConfig } from '../../../src/presets/hf/index.js';
import { fixture } from './fixture.js';

type Config = Record<string, unknown>;
/** The fixture with `from` renamed to `to` (and `drop` removed). */
const renamed = (name: string, pairs: Record<string, string>, drop: string[] = []): Config => {
  const c = { ...fixture(name) };
  for (const [from, to] of Object.entries(pairs)) {
    expect(c[from], `${name} has ${from}`).toBeDefined();
    c[to] = c[from];
    delete c[from];
  }
  for (const k of drop) delete c[k];
  return c;
};
const counts = (c: Config) => {
  const p = parseHfConfig(c);
  return { params: p.params, activeParams: p.activeParams, architecture: { ...p.architecture, source: undefined }, unusedKeys: p.unusedKeys, seqLen: p.architecture.seqLen };
};

describe('alias keys (transformers attribute_map and legacy keywords) read as the keys they stand for', () => {
  it.each([
    // GPT2Config.attribute_map: hidden_size -> n_embd, num_attention_heads -> n_head, num_hidden_layers -> n_layer; n_ctx is the legacy context key.
    ['gpt2-medium', { n_embd: 'hidden_size', n_head: 'num_attention_heads', n_layer: 'num_hidden_layers' }, []],
    ['gpt2-medium', {}, ['n_positions']],
    ['gpt-j-6b', { n_embd: 'hidden_size', n_head: 'num_attention_heads', n_layer: 'num_hidden_layers' }, []],
    // BloomConfig: n_layer and n_head (attribute_map: num_hidden_layers, num_attention_heads); n_embed is the legacy hidden_size.
    ['bloom-7b1', { n_layer: 'num_hidden_layers', n_head: 'num_attention_heads', hidden_size: 'n_embed' }, []],
    // FalconConfig accepts the RefinedWeb names n_layer, n_head and n_head_kv.
    ['falcon-40b', { num_hidden_layers: 'n_layer', num_attention_heads: 'n_head', num_kv_heads: 'n_head_kv' }, []],
  ] as const)('%s with %j (and without %j)', (name, pairs, drop) => {
    const original = counts(fixture(name));
    const aliased = counts(renamed(name, pairs, [...drop]));
    expect(aliased).toEqual(original);
  });

  it('the fixtures the aliases are checked on differ from their family\'s defaults, so a key not read would show', () => {
    expect(fixture('gpt2-medium')['n_embd']).not.toBe(768);
    expect(fixture('gpt-j-6b')['n_layer']).toBe(28);
    expect(fixture('bloom-7b1')['hidden_size']).not.toBe(64);
  });
});

describe('trained with dropout: any one of a family\'s dropout keys above 0', () => {
  it.each([
    ['gpt2', ['resid_pdrop', 'embd_pdrop', 'attn_pdrop']],
    ['gpt-j-6b', ['resid_pdrop', 'embd_pdrop', 'attn_pdrop']],
    ['pythia-160m', ['hidden_dropout', 'attention_dropout']],
    ['bloom-560m', ['hidden_dropout', 'attention_dropout']],
    ['falcon-40b', ['hidden_dropout', 'attention_dropout']],
    ['phi-2', ['resid_pdrop', 'embd_pdrop', 'attention_dropout']],
    ['phi-3-mini-4k', ['resid_pdrop', 'embd_pdrop', 'attention_dropout']],
    ['starcoder2-3b', ['residual_dropout', 'embedding_dropout', 'attention_dropout']],
    ['llama-3.1-8b', ['attention_dropout']],
    ['qwen2.5-7b', ['attention_dropout']],
    ['gemma-2-2b', ['attention_dropout']],
    ['deepseek-v3', ['attention_dropout']],
  ] as const)('%s: %j', (name, keys) => {
    const zero = Object.fromEntries(keys.map((k) => [k, 0]));
    expect(parseHfConfig({ ...fixture(name), ...zero }).architecture.dropout).toBe(false);
    for (const k of keys) expect(parseHfConfig({ ...fixture(name), ...zero, [k]: 0.1 }).architecture.dropout, k).toBe(true);
  });

  it('MPT: resid_pdrop, emb_pdrop, or attn_config.attn_pdrop', () => {
    const base = fixture('mpt-30b');
    const attn = base['attn_config'] as Config;
    const zero = { ...base, resid_pdrop: 0, emb_pdrop: 0, attn_config: { ...attn, attn_pdrop: 0 } };
    expect(parseHfConfig(zero).architecture.dropout).toBe(false);
    expect(parseHfConfig({ ...zero, resid_pdrop: 0.1 }).architecture.dropout).toBe(true);
    expect(parseHfConfig({ ...zero, emb_pdrop: 0.1 }).architecture.dropout).toBe(true);
    expect(parseHfConfig({ ...zero, attn_config: { ...attn, attn_pdrop: 0.1 } }).architecture.dropout).toBe(true);
  });
});

describe('unused keys: only what a family neither reads nor knows', () => {
  // The keys each fixture has that no count reads and no family lists as known (everything else is read or known).
  const EXPECTED: Record<string, string[]> = {
    'gpt2-medium': ['n_special', 'predict_special_tokens'], // OpenAI GPT-1 keys left in the config
    'falcon-7b': ['num_kv_heads'], // multi_query (one KV head) decides; the key is not read by the old decoder
    'phi-3-medium-4k': ['attention_bias'],
    'phi-3-mini-4k': ['attention_bias'],
    'phi-3.5-mini': ['attention_bias'],
  };
  const names = readdirSync(fileURLToPath(new URL('../../fixtures/hf/', import.meta.url))).filter((n) => n.endsWith('.config.json')).map((n) => n.replace('.config.json', ''));

  it.each(names)('%s', (name) => {
    expect(parseHfConfig(fixture(name)).unusedKeys).toEqual(EXPECTED[name] ?? []);
  });

  it('an unknown key is listed, with the nested config\'s prefix', () => {
    expect(parseHfConfig({ ...fixture('llama-3.1-8b'), my_key: 1 }).unusedKeys).toEqual(['my_key']);
    const gemma3 = fixture('gemma-3-4b');
    expect(parseHfConfig({ ...gemma3, text_config: { ...(gemma3['text_config'] as Config), my_key: 1 } }).unusedKeys).toEqual(['text_config.my_key']);
  });
});
