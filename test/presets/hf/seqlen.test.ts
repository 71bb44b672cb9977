// The sequence length for attention FLOPs and activations: the pre-training length where the config
// states it, else the context key up to 8,192 tokens, else the documented default of 4,096.
import { describe, expect, it } from 'vitest';
import { parseHfConfig } from '../../../src/presets/hf/index.js';
import { LONG_CONTEXT_DEFAULT_SEQ_LEN } from '../../../src/presets/hf/shape.js';
import { fixture } from './fixture.js';

describe('sequence length from a config', () => {
  it.each([
    // Llama 3 paper §3.4: pre-trained at 8K, extended to 128K; the config keeps 8192 in rope_scaling.
    ['llama-3.1-8b', 8192, /^rope_scaling\.original_max_position_embeddings/],
    // DeepSeek-V3 report §4.3: pre-trained at 4K, YaRN extension to 128K (rope_scaling.original 4096).
    ['deepseek-v3', 4096, /^rope_scaling\.original_max_position_embeddings/],
    // Phi-3 configs state the pre-training length at the top level.
    ['phi-3-mini-4k', 4096, /^original_max_position_embeddings/],
    // Qwen2.5 report §3: pre-trained at 4,096 (then 32,768); the config says 131,072: the default applies.
    ['qwen2.5-7b', LONG_CONTEXT_DEFAULT_SEQ_LEN, /^default 4096 for a long-context config \(max_position_embeddings = 131072/],
    ['gpt2-xl', 1024, /^n_positions$/],
    ['mpt-30b', 8192, /^max_seq_len$/],
    // BLOOM paper §3.5: sequence length 2,048; its config has no such key (BloomConfig has none).
    ['bloom', 2048, /^seq_length \(family default\)$/],
    ['falcon-7b', 2048, /^max_position_embeddings \(family default\)$/],
    ['gemma-3-4b', LONG_CONTEXT_DEFAULT_SEQ_LEN, /text_config\.max_position_embeddings \(family default\) = 131072/],
  ])('%s: %i (%s)', (name, seqLen, source) => {
    const c = parseHfConfig(fixture(name));
    expect(c.architecture.seqLen).toBe(seqLen);
    expect(c.seqLenSource).toMatch(source);
  });

  it('never takes a long max_position_embeddings as the training length', () => {
    for (const name of ['qwen2.5-7b', 'qwen3-8b', 'qwen3-30b-a3b', 'mixtral-8x7b', 'mistral-7b-v0.1', 'starcoder2-3b', 'gemma-3-1b']) {
      const c = parseHfConfig(fixture(name));
      expect(c.architecture.seqLen, name).toBe(LONG_CONTEXT_DEFAULT_SEQ_LEN);
      expect(c.seqLenSource, name).toMatch(/--seq-len to set/);
    }
  });
});
