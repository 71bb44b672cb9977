// Values that cannot be right are errors naming the key (the CLI adds the file), never a count.
import { describe, expect, it } from 'vitest';
import { HfConfigError, parseHfConfig, SUPPORTED_MODEL_TYPES } from '../../../src/presets/hf/index.js';
import { fixture } from './fixture.js';

const REQUIRED = ['llama', 'mistral', 'mixtral', 'qwen2', 'qwen2_moe', 'qwen3', 'qwen3_moe', 'deepseek_v2', 'deepseek_v3', 'gemma', 'gemma2', 'gemma3', 'gemma3_text', 'phi', 'phi3', 'gpt2', 'gpt_neox', 'gptj', 'falcon', 'olmo', 'olmo2', 'starcoder2', 'bloom', 'mpt'];

const fails = (config: unknown, message: string | RegExp): void => {
  expect(() => parseHfConfig(config)).toThrow(HfConfigError);
  expect(() => parseHfConfig(config)).toThrow(message);
};

describe('impossible values', () => {
  it('reads every family issue 12 names', () => {
    expect(SUPPORTED_MODEL_TYPES).toEqual(expect.arrayContaining(REQUIRED));
  });

  it('an unknown or missing model_type names it and the supported ones', () => {
    fails({ ...fixture('llama-3.1-8b'), model_type: 'mamba' }, /^model_type: expected one of llama, mistral, .*, mpt, got "mamba"$/);
    fails({ hidden_size: 4096 }, /^model_type: expected one of .*, got nothing$/);
    fails([], 'expected a JSON object');
    fails({ model_type: 'constructor' }, /got "constructor"/);
  });

  it.each([
    ['llama-3.1-8b', { hidden_size: 0 }, 'hidden_size: expected a positive whole number, got 0'],
    ['llama-3.1-8b', { num_hidden_layers: -32 }, 'num_hidden_layers: expected a positive whole number, got -32'],
    ['llama-3.1-8b', { intermediate_size: 14336.5 }, 'intermediate_size: expected a positive whole number, got 14336.5'],
    ['llama-3.1-8b', { vocab_size: '128256' }, 'vocab_size: expected a positive whole number, got "128256"'],
    ['llama-3.1-8b', { num_key_value_heads: 5 }, 'num_key_value_heads: expected a divisor of num_attention_heads (32), got 5'],
    ['llama-3.1-8b', { num_key_value_heads: 64 }, 'num_key_value_heads: expected a divisor of num_attention_heads (32), got 64'],
    ['llama-3.1-8b', { tie_word_embeddings: 'yes' }, 'tie_word_embeddings: expected true or false, got "yes"'],
    ['llama-3.1-8b', { attention_dropout: 1.5 }, 'attention_dropout: expected a probability in [0, 1], got 1.5'],
    ['llama-3.1-8b', { rope_scaling: { original_max_position_embeddings: 0 } }, 'rope_scaling.original_max_position_embeddings: expected a positive whole number, got 0'],
    ['mixtral-8x7b', { num_experts_per_tok: 9 }, 'num_experts_per_tok: expected at most num_local_experts (8), got 9'],
    ['qwen3-30b-a3b', { num_experts: 0 }, 'num_experts: expected a positive whole number, got 0'],
    ['qwen1.5-moe-a2.7b', { mlp_only_layers: [24] }, 'mlp_only_layers: expected a list of layer indices in [0, 23], got [24]'],
    ['qwen1.5-moe-a2.7b', { decoder_sparse_step: 0 }, 'decoder_sparse_step: expected a positive whole number, got 0'],
    ['deepseek-v3', { first_k_dense_replace: 62 }, 'first_k_dense_replace: expected at most num_hidden_layers (61), got 62'],
    ['deepseek-v3', { num_experts_per_tok: 257 }, 'num_experts_per_tok: expected at most n_routed_experts (256), got 257'],
    ['deepseek-v3', { kv_lora_rank: -512 }, 'kv_lora_rank: expected a positive whole number, got -512'],
    ['deepseek-v3', { n_shared_experts: -1 }, 'n_shared_experts: expected a whole number >= 0, got -1'],
    ['gpt2-xl', { n_head: 24 }, 'n_head: expected a divisor of n_embd (1600), got 24'],
    ['pythia-160m', { num_attention_heads: 10 }, 'num_attention_heads: expected a divisor of hidden_size (768), got 10'],
    ['falcon-7b', { num_attention_heads: 70 }, 'num_attention_heads: expected a divisor of hidden_size (4544), got 70'],
    ['falcon-40b', { num_kv_heads: 7 }, 'num_kv_heads: expected a divisor of num_attention_heads (128), got 7'],
    ['bloom', { num_attention_heads: 100 }, 'num_attention_heads: expected a divisor of n_embed (14336), got 100'],
    ['mpt-30b', { n_heads: 0 }, 'n_heads: expected a positive whole number, got 0'],
    ['mpt-30b', { attn_config: 'flash' }, 'attn_config: expected an object or null, got "flash"'],
    ['gemma-3-4b', { text_config: [1] }, 'text_config: expected an object, got [1]'],
    ['gemma-3-4b', { text_config: { hidden_size: -1 } }, 'text_config.hidden_size: expected a positive whole number, got -1'],
    ['gpt-j-6b', { n_inner: 0 }, 'n_inner: expected a positive whole number, got 0'],
  ])('%s with %j: "%s"', (name, change, message) => {
    fails({ ...fixture(name), ...change }, message);
  });

  it('no published fixture gives a count that is not a positive whole number', () => {
    for (const name of ['llama-3.1-8b', 'deepseek-v3', 'gemma-3-4b', 'falcon-7b', 'mpt-30b']) {
      const c = parseHfConfig(fixture(name));
      expect(Number.isSafeInteger(c.params) && c.params > 0 && c.activeParams > 0 && c.activeParams <= c.params).toBe(true);
    }
  });
});
