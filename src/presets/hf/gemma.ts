// Gemma, Gemma 2 and Gemma 3 (the language model; a multimodal Gemma 3 config nests it in text_config).
// Module shapes from transformers' modeling_gemma*.py; defaults from Gemma*Config (tied embeddings, head_dim 256).
import { CONTEXT, type DecoderOptions, type Family, readDecoder } from './decoder.js';
import { ConfigReader, isObject } from './reader.js';

const base: Pick<DecoderOptions, 'norm' | 'gated' | 'dropoutKeys' | 'bias'> = {
  norm: 'weight',
  gated: true, // GeGLU: gate, up and down projections
  dropoutKeys: ['attention_dropout'],
  bias: (c) => {
    const b = c.flag('attention_bias');
    return { qkv: b, out: b, mlp: false };
  },
};

/** GemmaForCausalLM: two RMSNorms per layer, embeddings tied unless the config says otherwise. */
export const gemma: Family = {
  reference: 'transformers models/gemma/modeling_gemma.py',
  defaults: {
    vocab_size: 256000, hidden_size: 3072, intermediate_size: 24576, num_hidden_layers: 28, num_attention_heads: 16,
    num_key_value_heads: 16, head_dim: 256, max_position_embeddings: 8192, tie_word_embeddings: true, attention_bias: false,
  },
  contextKeys: CONTEXT,
  read: (r) => readDecoder(r, { ...base, normsPerLayer: 2 }),
};

/** Gemma2ForCausalLM: four RMSNorms per layer (before and after attention and FFN). */
export const gemma2: Family = {
  reference: 'transformers models/gemma2/modeling_gemma2.py',
  defaults: {
    vocab_size: 256000, hidden_size: 2304, intermediate_size: 9216, num_hidden_layers: 26, num_attention_heads: 8,
    num_key_value_heads: 4, head_dim: 256, max_position_embeddings: 8192, tie_word_embeddings: true, attention_bias: false,
  },
  contextKeys: CONTEXT,
  read: (r) => readDecoder(r, { ...base, normsPerLayer: 4 }),
};

/** Gemma3ForCausalLM (text): Gemma 2's four norms plus RMSNorm on each query and key head. */
export const gemma3Text: Family = {
  reference: 'transformers models/gemma3/modeling_gemma3.py (Gemma3TextModel)',
  defaults: {
    vocab_size: 262208, hidden_size: 2304, intermediate_size: 9216, num_hidden_layers: 26, num_attention_heads: 8,
    num_key_value_heads: 4, head_dim: 256, max_position_embeddings: 131072, tie_word_embeddings: true, attention_bias: false,
  },
  contextKeys: CONTEXT,
  read: (r) => readDecoder(r, { ...base, normsPerLayer: 4, qkNorm: 'head' }),
};

/** Gemma3ForConditionalGeneration: counts the language model of text_config; the vision tower is not counted. */
export const gemma3: Family = {
  ...gemma3Text,
  reference: 'transformers models/gemma3/modeling_gemma3.py (language model of Gemma3ForConditionalGeneration)',
  contextKeys: CONTEXT,
  known: ['vision_config', 'mm_tokens_per_image', 'boi_token_index', 'eoi_token_index', 'image_token_index', 'initializer_range'],
  inner: textReader,
  notes: (r) => (r.config['vision_config'] !== undefined ? ['vision_config (SigLIP vision encoder and projector) not counted: the count is the language model'] : []),
};

/** Returns a reader of text_config with Gemma 3 text defaults (a text-only file is read as it is). */
export function textReader(r: ConfigReader): ConfigReader {
  const text = r.config['text_config'];
  if (text === undefined) return r;
  if (!isObject(text)) r.fail('text_config', 'an object', text);
  r.used.add('text_config');
  return new ConfigReader(text, gemma3Text.defaults, 'text_config.');
}
