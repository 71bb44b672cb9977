// The GPT-style families (src/presets/hf/gpt.ts) counted to the parameter, not to the 0.5 % that
// counts.test.ts allows against published totals: GPT-J's total from the module shapes of
// transformers' modeling_gptj.py, and the deltas of the options no fixture sets (MPT's qk_ln,
// learned positions without ALiBi and biases; Phi's qk_layernorm; untied heads; a longer position
// table), each worked out by hand from the modeling file named. The errors name the keys as the
// file spells them (GPT-2/GPT-J/BLOOM accept both their own names and the attribute_map aliases).
import { describe, expect, it } from 'vitest';
import { parseHfConfig } from '../../../src/presets/hf/index.js';
import { fixture, hfError } from './fixture.js';

type Config = Record<string, unknown>;
const params = (config: Config): number => parseHfConfig(config).params;
const error = hfError;
/** A fixture with some keys renamed (old name -> new name, same value) and others set. */
const renamed = (name: string, names: Record<string, string>, set: Config = {}): Config => {
  const c = { ...fixture(name) };
  for (const [from, to] of Object.entries(names)) {
    c[to] = c[from];
    delete c[from];
  }
  return { ...c, ...set };
};

describe('GPT-J 6B (modeling_gptj.py), exactly', () => {
  it('wte + 28 x (ln_1, q/k/v/out without bias, fc_in and fc_out with bias) + ln_f + lm_head with bias', () => {
    const d = 4096;
    const vocab = 50400;
    const layer = 2 * d + 4 * d * d + (d * 4 * d + 4 * d) + (4 * d * d + d);
    const total = vocab * d + 28 * layer + 2 * d + (d * vocab + vocab);
    // The model card's 6,053,381,344 is counted on the JAX model; its text says the transformers modules hold ~2.5M fewer.
    expect(total).toBe(6_050_882_784);
    expect(6_053_381_344 - total).toBe(2_498_560);
    expect(params(fixture('gpt-j-6b'))).toBe(total);
  });
});

describe('MPT (modeling_mpt.py; qk_ln, learned_pos_emb and no_bias as in llm-foundry)', () => {
  const mpt = fixture('mpt-30b'); // d_model 7,168, 48 layers, ALiBi, no_bias, max_seq_len 8,192
  const attn = mpt['attn_config'] as Config;
  const d = 7168;
  it('qk_ln adds a LayerNorm on Q and one on K per layer: weight only with no_bias (2 d), weight and bias without (4 d)', () => {
    expect(params({ ...mpt, attn_config: { ...attn, qk_ln: true } }) - params(mpt)).toBe(48 * 2 * d);
    const biased = { ...mpt, no_bias: false };
    expect(params({ ...biased, attn_config: { ...attn, qk_ln: true } }) - params(biased)).toBe(48 * 4 * d);
  });

  it('a wpe table of max_seq_len rows only without ALiBi and with learned_pos_emb', () => {
    const noAlibi = { ...mpt, attn_config: { ...attn, alibi: false } };
    expect(params(noAlibi) - params(mpt)).toBe(8192 * d);
    expect(params({ ...noAlibi, learned_pos_emb: false })).toBe(params(mpt));
    expect(params({ ...mpt, learned_pos_emb: false })).toBe(params(mpt));
  });

  it('attn_config absent or empty: its defaults (ALiBi on, no qk_ln, no attention dropout)', () => {
    const without = { ...mpt };
    delete without['attn_config'];
    expect(params(without)).toBe(params(mpt));
    expect(params({ ...mpt, attn_config: {} })).toBe(params(mpt));
    expect(parseHfConfig({ ...mpt, attn_config: {} }).architecture.dropout).toBe(false);
  });

  it('no_bias false: Q/K/V (3 d), out (d), the MLP (4 d + d) and both LayerNorms (2 d) gain biases per layer, and norm_f (d)', () => {
    expect(params({ ...mpt, no_bias: false }) - params(mpt)).toBe(48 * (3 * d + d + 5 * d + 2 * d) + d);
  });

  it('errors inside attn_config name the nested key', () => {
    expect(error({ ...mpt, attn_config: { ...attn, alibi: 1 } })).toBe('attn_config.alibi: expected true or false, got 1');
    expect(error({ ...mpt, attn_config: { ...attn, qk_ln: 'yes' } })).toBe('attn_config.qk_ln: expected true or false, got "yes"');
  });
});

describe('Phi (modeling_phi.py)', () => {
  const phi2 = fixture('phi-2'); // hidden 2,560, 32 heads of 80, 32 layers
  it('qk_layernorm adds q_layernorm and k_layernorm of head_dim (weight and bias) per layer', () => {
    expect(params({ ...phi2, qk_layernorm: true }) - params(phi2)).toBe(32 * 2 * 2 * 80);
  });

  it('fewer KV heads shrink K and V: 2 x (32 - 8) x 80 x (2,560 + 1 bias) per layer', () => {
    expect(params(phi2) - params({ ...phi2, num_key_value_heads: 8 })).toBe(32 * 2 * 24 * 80 * 2561);
  });

  it('heads that do not divide the width are blamed on num_attention_heads, against hidden_size', () => {
    expect(error({ ...phi2, num_attention_heads: 7, num_key_value_heads: 7 })).toBe('num_attention_heads: expected a divisor of hidden_size (2560), got 7');
  });
});

describe('GPT-2, GPT-J and BLOOM under either name of a key', () => {
  it.each([
    ['gpt2', {}, { n_head: 7 }, 'n_head: expected a divisor of n_embd (768), got 7'],
    ['gpt2', { n_head: 'num_attention_heads', n_embd: 'hidden_size' }, { num_attention_heads: 7 }, 'num_attention_heads: expected a divisor of hidden_size (768), got 7'],
    ['gpt-j-6b', {}, { n_head: 7 }, 'n_head: expected a divisor of n_embd (4096), got 7'],
    ['gpt-j-6b', { n_head: 'num_attention_heads', n_embd: 'hidden_size' }, { num_attention_heads: 7 }, 'num_attention_heads: expected a divisor of hidden_size (4096), got 7'],
    ['bloom-560m', {}, { num_attention_heads: 7 }, 'num_attention_heads: expected a divisor of n_embed (1024), got 7'],
    ['bloom-560m', { num_attention_heads: 'n_head', n_embed: 'hidden_size' }, { n_head: 7 }, 'n_head: expected a divisor of hidden_size (1024), got 7'],
  ])('%s renamed %j, set %j', (name, names, set, message) => {
    expect(error(renamed(name, names, set))).toBe(message);
  });

  it('an untied head adds vocab x d_model (GPT-2 and BLOOM tie by default)', () => {
    expect(params({ ...fixture('gpt2'), tie_word_embeddings: false }) - params(fixture('gpt2'))).toBe(50257 * 768);
    expect(params({ ...fixture('bloom-560m'), tie_word_embeddings: false }) - params(fixture('bloom-560m'))).toBe(250880 * 1024);
    expect(params({ ...fixture('gpt-j-6b'), tie_word_embeddings: true }) - params(fixture('gpt-j-6b'))).toBe(-50400 * 4096);
  });

  it('GPT-2 learns n_positions position rows (wpe = Embedding(max_position_embeddings), mapped to n_positions)', () => {
    expect(params({ ...fixture('gpt2'), n_positions: 2048 }) - params(fixture('gpt2'))).toBe(1024 * 768);
  });
});
