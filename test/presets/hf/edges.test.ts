// Hugging Face configs at their edges: null where a value may be null, the family defaults a file
// leaves to its config class, the errors a value that cannot be right gets (naming the key as the file
// spells it), and the count deltas of the options the fixtures do not exercise, worked out by hand
// from the module shapes of transformers' modeling files.
import { describe, expect, it } from 'vitest';
import { parseHfConfig, SUPPORTED_MODEL_TYPES } from '../../../src/presets/hf/index.js';
import { fixture, hfError } from './fixture.js';

type Config = Record<string, unknown>;
const error = hfError;
const without = (name: string, ...keys: string[]): Config => {
  const c = { ...fixture(name) };
  for (const k of keys) delete c[k];
  return c;
};

describe('what a config is', () => {
  it.each([
    [[], 'expected a JSON object'],
    [null, 'expected a JSON object'],
    ['llama', 'expected a JSON object'],
    [{}, `model_type: expected one of ${SUPPORTED_MODEL_TYPES.join(', ')}, got nothing`],
    [{ model_type: 5 }, `model_type: expected one of ${SUPPORTED_MODEL_TYPES.join(', ')}, got 5`],
    // Names of Object.prototype are no family.
    [{ model_type: '__proto__' }, `model_type: expected one of ${SUPPORTED_MODEL_TYPES.join(', ')}, got "__proto__"`],
    [{ model_type: 'toString' }, `model_type: expected one of ${SUPPORTED_MODEL_TYPES.join(', ')}, got "toString"`],
  ])('%j', (config, message) => {
    expect(error(config)).toBe(message);
  });

  it('a nested text_config must be an object', () => {
    expect(error({ ...fixture('gemma-3-4b'), text_config: [] })).toBe('text_config: expected an object, got []');
  });
});

describe('null and absent values', () => {
  it('null KV heads and head_dim are the defaults (all heads; d_model / heads), as transformers reads them', () => {
    const base = parseHfConfig(without('llama-3.1-8b', 'head_dim'));
    expect(parseHfConfig({ ...fixture('llama-3.1-8b'), head_dim: null }).params).toBe(base.params);
    const mha = parseHfConfig({ ...fixture('llama-3.1-8b'), num_key_value_heads: null });
    expect(mha.architecture.kvHeads).toBe(32);
    // 32 instead of 8 KV heads of 128: K and V grow by 2 x 24 x 128 x 4,096 per layer, 32 layers.
    expect(mha.params - base.params).toBe(32 * 2 * 24 * 128 * 4096);
  });

  it('null dropout rates are no dropout; a rate of exactly 1 is allowed; above 1 or below 0 is not', () => {
    expect(parseHfConfig({ ...fixture('gpt2'), resid_pdrop: null, embd_pdrop: null, attn_pdrop: null }).architecture.dropout).toBe(false);
    expect(parseHfConfig({ ...fixture('gpt2'), resid_pdrop: 1 }).architecture.dropout).toBe(true);
    expect(error({ ...fixture('gpt2'), resid_pdrop: 1.5 })).toBe('resid_pdrop: expected a probability in [0, 1], got 1.5');
    expect(error({ ...fixture('gpt2'), resid_pdrop: -1 })).toBe('resid_pdrop: expected a number >= 0, got -1');
  });

  it('a flag must be true or false; null is the family\'s default (Falcon ties its embeddings)', () => {
    expect(error({ ...fixture('llama-3.1-8b'), tie_word_embeddings: 1 })).toBe('tie_word_embeddings: expected true or false, got 1');
    const tied = parseHfConfig({ ...fixture('falcon-40b'), tie_word_embeddings: null });
    expect(tied.architecture.tiedEmbeddings).toBe(true);
    expect(parseHfConfig({ ...fixture('falcon-40b'), tie_word_embeddings: false }).params - tied.params).toBe(65024 * 8192);
  });

  it('defaults that filled in a key are listed, key=value', () => {
    expect(parseHfConfig(fixture('gpt2')).defaulted).toEqual(['n_inner=null']);
    expect(parseHfConfig(fixture('llama-2-7b')).defaulted).toEqual(['attention_bias=false', 'mlp_bias=false']);
    expect(parseHfConfig(fixture('falcon-40b')).defaulted).toEqual(['ffn_hidden_size=null', 'num_ln_in_parallel_attn=null', 'tie_word_embeddings=true', 'max_position_embeddings=2048']);
    expect(parseHfConfig(fixture('llama-3.1-8b')).defaulted).toEqual([]);
    expect(parseHfConfig(fixture('gemma-3-4b')).defaulted.every((d) => d.startsWith('text_config.'))).toBe(true);
  });
});

describe('Qwen MoE layers: (i + 1) % decoder_sparse_step == 0 and not in mlp_only_layers', () => {
  const qwen = 'qwen1.5-moe-a2.7b'; // 24 layers, every one sparse
  it('a list of layer indices in range, or null', () => {
    for (const bad of [[1.5], [-1], [24], 'x', [0, 'a']]) expect(error({ ...fixture(qwen), mlp_only_layers: bad })).toBe(`mlp_only_layers: expected a list of layer indices in [0, 23], got ${JSON.stringify(bad)}`);
    expect(parseHfConfig({ ...fixture(qwen), mlp_only_layers: null }).params).toBe(parseHfConfig(fixture(qwen)).params);
  });

  it('every layer dense: no mixture of experts left', () => {
    const dense = parseHfConfig({ ...fixture(qwen), mlp_only_layers: Array.from({ length: 24 }, (_, i) => i) });
    expect(dense.mixtureOfExperts).toBe(false);
    expect(dense.activeParams).toBe(dense.params);
  });

  it('step 3: layers 2, 5, ..., 23 are sparse (8); making layer 2 dense leaves 7, making layer 1 dense changes nothing', () => {
    const step3 = parseHfConfig({ ...fixture(qwen), decoder_sparse_step: 3 });
    const layer2 = parseHfConfig({ ...fixture(qwen), decoder_sparse_step: 3, mlp_only_layers: [2] });
    const layer1 = parseHfConfig({ ...fixture(qwen), decoder_sparse_step: 3, mlp_only_layers: [1] });
    expect(layer1.params).toBe(step3.params);
    expect(layer2.params).toBeLessThan(step3.params);
    const perSparse = step3.params - layer2.params;
    const all = parseHfConfig(fixture(qwen));
    // 24 sparse layers against 8: 16 more of the same difference.
    expect(all.params - step3.params).toBe(16 * perSparse);
  });

  it('all layers sparse: the dense width may be left out (Qwen3-30B-A3B); with a dense layer it is the default\'s', () => {
    const full = parseHfConfig(fixture('qwen3-30b-a3b'));
    const noDense = parseHfConfig(without('qwen3-30b-a3b', 'intermediate_size'));
    expect(noDense.params).toBe(full.params);
    expect(noDense.architecture.ffnDim).toBe(full.architecture.moe?.moeFfnDim);
    expect(parseHfConfig({ ...without('qwen3-30b-a3b', 'intermediate_size'), mlp_only_layers: [0] }).defaulted).toEqual(['intermediate_size=6144']);
  });
});

describe('DeepSeek (MLA and DeepSeekMoE, modeling_deepseek_v3.py)', () => {
  const v3 = fixture('deepseek-v3');
  it('attention_bias adds the biases of q_a, kv_a and o: 1,536 + 576 + 7,168 a layer, 61 layers', () => {
    expect(parseHfConfig({ ...v3, attention_bias: true }).params - parseHfConfig(v3).params).toBe(61 * (1536 + 576 + 7168));
  });

  it('the query/key head is nope + rope (128 + 64); tied embeddings drop the output layer (129,280 x 7,168)', () => {
    const p = parseHfConfig(v3);
    expect(p.architecture.headDim).toBe(192);
    expect(p.architecture.mla).toEqual({ kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128, qLoraRank: 1536 });
    expect(p.params - parseHfConfig({ ...v3, tie_word_embeddings: true }).params).toBe(129280 * 7168);
    expect(parseHfConfig({ ...v3, attention_dropout: 0.1 }).architecture.dropout).toBe(true);
  });

  it('one multi-token-prediction layer is noted as not counted; none, no note', () => {
    expect(parseHfConfig(v3).notes).toEqual(['num_nextn_predict_layers: the 1 multi-token-prediction layer(s) are not counted (DeepSeek-V3 counts its 671B without them)']);
    expect(parseHfConfig({ ...v3, num_nextn_predict_layers: 0 }).notes).toEqual([]);
    expect(parseHfConfig(fixture('llama-3.1-8b')).notes).toEqual([]);
  });

  it('all layers MoE: the dense width may be left out', () => {
    const all = { ...v3, first_k_dense_replace: 0 };
    const noDense = { ...all } as Config;
    delete noDense['intermediate_size'];
    expect(parseHfConfig(noDense).params).toBe(parseHfConfig(all).params);
  });

  it('DeepSeek-V2-Lite: an uncompressed query (q_lora_rank null), h x 16 heads x 192; a q_lora_rank R adds h R + R + R x 16 x 192 instead, 27 layers', () => {
    const lite = fixture('deepseek-v2-lite');
    const plain = parseHfConfig(lite);
    expect(plain.architecture.mla).toEqual({ kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 });
    const r = 256;
    expect(parseHfConfig({ ...lite, q_lora_rank: r }).params - plain.params).toBe(27 * (2048 * r + r + r * 16 * 192 - 2048 * 16 * 192));
  });

  it('without n_routed_experts (the V2 default is null) the model is dense', () => {
    const dense = parseHfConfig(without('deepseek-v2-lite', 'n_routed_experts', 'n_shared_experts', 'num_experts_per_tok'));
    expect(dense.mixtureOfExperts).toBe(false);
    expect(dense.architecture.moe).toBeUndefined();
  });
});

describe('Falcon (modeling_falcon.py)', () => {
  const f40 = fixture('falcon-40b');
  it('grouped KV heads must divide the heads, the error naming the keys as the file spells them', () => {
    expect(error({ ...f40, num_kv_heads: 7 })).toBe('num_kv_heads: expected a divisor of num_attention_heads (128), got 7');
    const refinedWeb = { ...f40, n_head: f40['num_attention_heads'], n_head_kv: 7 } as Config;
    delete refinedWeb['num_attention_heads'];
    delete refinedWeb['num_kv_heads'];
    expect(error(refinedWeb)).toBe('n_head_kv: expected a divisor of n_head (128), got 7');
  });

  it('one or two LayerNorms in parallel, not three; without parallel attention two per layer', () => {
    expect(error({ ...f40, num_ln_in_parallel_attn: 3 })).toBe('num_ln_in_parallel_attn: expected 1, 2 or null, got 3');
    const two = parseHfConfig(f40);
    // One LayerNorm (weight and bias, 2 x 8,192) fewer per layer, 60 layers.
    expect(two.params - parseHfConfig({ ...f40, num_ln_in_parallel_attn: 1 }).params).toBe(60 * 2 * 8192);
    expect(parseHfConfig({ ...f40, parallel_attn: false }).params).toBe(two.params);
    expect(parseHfConfig({ ...f40, parallel_attn: null }).params).toBe(two.params);
  });

  it('the FFN is 4 x d_model unless ffn_hidden_size says otherwise', () => {
    const base = parseHfConfig(f40);
    expect(base.architecture.ffnDim).toBe(4 * 8192);
    // Two matrices of 8,192 x (ffn) without bias, 60 layers: 8,192 narrower saves 2 x 8,192 x 8,192 each.
    expect(base.params - parseHfConfig({ ...f40, ffn_hidden_size: 3 * 8192 }).params).toBe(60 * 2 * 8192 * 8192);
  });
});

describe('decoder families', () => {
  it('the heads must divide the width when head_dim is not given, blaming num_attention_heads', () => {
    expect(error({ ...fixture('llama-3.1-8b'), num_attention_heads: 7, num_key_value_heads: 7 })).toBe('num_attention_heads: expected a divisor of hidden_size (4096), got 7');
  });
});
