// Each family's module shapes and the defaults its config class applies to keys a file leaves out.
// Module lists below are transcribed from transformers' modeling_<family>.py (named per test).
import { describe, expect, it } from 'vitest';
import { parseHfConfig } from '../../../src/presets/hf/index.js';
import { fixture } from './fixture.js';

const sum = (modules: Record<string, number>): number => Object.values(modules).reduce((a, b) => a + b, 0);
const params = (config: Record<string, unknown>): number => parseHfConfig(config).params;

describe('family defaults for keys a config leaves out', () => {
  it('Gemma ties its embeddings unless the config says otherwise (GemmaConfig tie_word_embeddings=True)', () => {
    const g = fixture('gemma-7b');
    expect(g['tie_word_embeddings']).toBeUndefined();
    expect(params({ ...g, tie_word_embeddings: false }) - params(g)).toBe(256000 * 3072);
    expect(parseHfConfig(g).defaulted).toContain('tie_word_embeddings=true');
  });

  it('GPT-NeoX has attention biases by default and two LayerNorms per layer, parallel residual or not', () => {
    const p = fixture('pythia-160m');
    const h = 768;
    expect(params(p) - params({ ...p, attention_bias: false })).toBe(12 * (3 * h + h));
    expect(params({ ...p, use_parallel_residual: false })).toBe(params(p));
  });

  it('Gemma 3 (multimodal config): the sparse text_config is completed from Gemma3TextConfig and the vision tower is named as not counted', () => {
    const c = parseHfConfig(fixture('gemma-3-4b'));
    expect(c.defaulted).toEqual(expect.arrayContaining(['text_config.num_attention_heads=8', 'text_config.num_key_value_heads=4', 'text_config.head_dim=256', 'text_config.vocab_size=262208']));
    expect(c.architecture).toMatchObject({ layers: 34, dModel: 2560, heads: 8, kvHeads: 4, headDim: 256, ffnDim: 10240, tiedEmbeddings: true, ffnGated: true });
    expect(c.notes.join(' ')).toMatch(/vision_config .* not counted/);
  });

  it('dropout follows the config: GPT-2 (pdrop 0.1), Phi-2 (resid_pdrop 0.1), StarCoder2 (0.1) yes; Llama, Falcon, BLOOM no', () => {
    for (const name of ['gpt2-xl', 'phi-2', 'starcoder2-3b']) expect(parseHfConfig(fixture(name)).architecture.dropout, name).toBe(true);
    for (const name of ['llama-3.1-8b', 'falcon-7b', 'bloom', 'mpt-30b']) expect(parseHfConfig(fixture(name)).architecture.dropout, name).toBe(false);
  });
});

describe('module shapes of the reference implementations', () => {
  it('Falcon-7B (multi-query): one KV head whatever num_kv_heads says, one LayerNorm before parallel attention and MLP (modeling_falcon.py)', () => {
    const [v, h, hd, L] = [65024, 4544, 64, 32];
    const layer = { input_layernorm: 2 * h, query_key_value: h * (h + 2 * hd), dense: h * h, dense_h_to_4h: h * 4 * h, dense_4h_to_h: 4 * h * h };
    const model = { word_embeddings: v * h, layers: L * sum(layer), ln_f: 2 * h }; // lm_head tied
    const c = parseHfConfig(fixture('falcon-7b'));
    expect(c.params).toBe(sum(model));
    expect(c.architecture.kvHeads).toBe(1);
    expect(c.unusedKeys).toEqual(['num_kv_heads']);
  });

  it('Falcon-40B (new decoder architecture): 8 KV heads, ln_attn and ln_mlp (num_ln_in_parallel_attn defaults to 2)', () => {
    const [v, h, hd, L, heads, kv] = [65024, 8192, 64, 60, 128, 8];
    const layer = { ln_attn: 2 * h, ln_mlp: 2 * h, query_key_value: h * (heads + 2 * kv) * hd, dense: h * h, dense_h_to_4h: h * 4 * h, dense_4h_to_h: 4 * h * h };
    const c = parseHfConfig(fixture('falcon-40b'));
    expect(c.params).toBe(v * h + L * sum(layer) + 2 * h);
    expect(params({ ...fixture('falcon-40b'), num_ln_in_parallel_attn: 1 })).toBe(c.params - L * 2 * h);
  });

  it('Falcon-40B as first published (model_type RefinedWeb, n_head, n_head_kv, n_layer) counts the same', () => {
    const legacy = { alibi: false, bias: false, hidden_size: 8192, model_type: 'RefinedWeb', n_head: 128, n_head_kv: 8, n_layer: 60, parallel_attn: true, vocab_size: 65024 };
    expect(params(legacy)).toBe(params(fixture('falcon-40b')));
  });

  it('Falcon-RW-1B shape (multi-head, biases, sequential attention and MLP: two LayerNorms)', () => {
    const rw = { alibi: true, bias: true, hidden_size: 2048, model_type: 'falcon', multi_query: false, new_decoder_architecture: false, num_attention_heads: 32, num_hidden_layers: 24, parallel_attn: false, vocab_size: 50304 };
    const h = 2048;
    const layer = { input_layernorm: 2 * h, post_attention_layernorm: 2 * h, query_key_value: h * 3 * h + 3 * h, dense: h * h + h, dense_h_to_4h: h * 4 * h + 4 * h, dense_4h_to_h: 4 * h * h + h };
    expect(params(rw)).toBe(50304 * h + 24 * sum(layer) + 2 * h);
  });

  it('StarCoder2-3B: biased Q/K/V/O and c_fc/c_proj, LayerNorms with bias, tied embeddings (modeling_starcoder2.py)', () => {
    const [v, h, L, I, kv, hd] = [49152, 3072, 30, 12288, 2, 128];
    const layer = {
      input_layernorm: 2 * h, q_proj: h * h + h, k_proj: h * kv * hd + kv * hd, v_proj: h * kv * hd + kv * hd, o_proj: h * h + h,
      post_attention_layernorm: 2 * h, c_fc: h * I + I, c_proj: I * h + h,
    };
    expect(params(fixture('starcoder2-3b'))).toBe(v * h + L * sum(layer) + 2 * h);
  });

  it('OLMo 2: Q/K RMSNorms over all heads (heads x head_dim weights), post-norms only (modeling_olmo2.py)', () => {
    const o = fixture('olmo-2-1124-7b');
    const olmo1 = { ...o, model_type: 'olmo' }; // parameter-free LayerNorms, no Q/K norms
    expect(params(o) - params(olmo1)).toBe(32 * (4096 + 4096 + 2 * 4096) + 4096);
  });

  it('Qwen3: RMSNorm on each query and key head adds 2 x head_dim per layer (modeling_qwen3.py)', () => {
    const q = fixture('qwen3-8b');
    expect(params(q) - params({ ...q, model_type: 'qwen2', head_dim: 128 })).toBe(36 * 2 * 128 - 36 * (32 + 2 * 8) * 128);
  });
});

describe('mixture-of-experts layouts', () => {
  it('Mixtral: every layer routes 2 of 8 SwiGLU experts of intermediate_size', () => {
    const c = parseHfConfig(fixture('mixtral-8x7b'));
    const expert = 3 * 4096 * 14336;
    expect(c.params - c.activeParams).toBe(32 * 6 * expert);
    expect(c.architecture.moe).toEqual({ experts: 8, activeExperts: 2, sharedExperts: 0, moeFfnDim: 14336, denseLayers: 0 });
  });

  it('Qwen2-MoE: decoder_sparse_step and mlp_only_layers make dense layers of intermediate_size (modeling_qwen2_moe.py)', () => {
    const q = fixture('qwen1.5-moe-a2.7b');
    const h = 2048;
    const moeMlp = 60 * 3 * h * 1408 + 3 * h * 5632 + h * 60 + h; // experts, shared expert, router, shared-expert gate
    const denseMlp = 3 * h * 5632;
    expect(params(q) - params({ ...q, mlp_only_layers: [0, 5] })).toBe(2 * (moeMlp - denseMlp));
    const everyOther = parseHfConfig({ ...q, decoder_sparse_step: 2 });
    expect(params(q) - everyOther.params).toBe(12 * (moeMlp - denseMlp));
    expect(everyOther.architecture.moe?.denseLayers).toBe(12);
  });

  it('DeepSeek-V3: 3 dense layers, 58 MoE layers of 1 shared + 8 of 256 routed experts, MLA shapes in the contract', () => {
    const c = parseHfConfig(fixture('deepseek-v3'));
    expect(c.architecture.moe).toEqual({ experts: 256, activeExperts: 8, sharedExperts: 1, moeFfnDim: 2048, denseLayers: 3 });
    expect(c.architecture.mla).toEqual({ qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 });
    expect(c.params - c.activeParams).toBe(58 * 248 * 3 * 7168 * 2048);
    expect(c.notes.join(' ')).toMatch(/multi-token-prediction/);
  });

  it('DeepSeek: moe_layer_freq 2 makes every other layer after the dense ones an MoE layer', () => {
    const d = fixture('deepseek-v2-lite');
    expect(parseHfConfig({ ...d, moe_layer_freq: 2 }).architecture.moe?.denseLayers).toBe(1 + 13);
  });
});

describe('keys the count did not use', () => {
  it('are listed; keys that do not change the count (tokens, numerics, rope) are not', () => {
    expect(parseHfConfig({ ...fixture('llama-3.1-8b'), some_future_field: 7 }).unusedKeys).toEqual(['some_future_field']);
    expect(parseHfConfig(fixture('llama-3.1-8b')).unusedKeys).toEqual([]);
  });
});
