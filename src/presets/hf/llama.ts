// Llama and its close relatives: Mistral, Mixtral, OLMo, OLMo 2, Phi-3, StarCoder2.
// Module shapes from transformers' modeling_<family>.py; defaults from <Family>Config.__init__.
import { CONTEXT, type DecoderOptions, type Family, readDecoder } from './decoder.js';
import type { ConfigReader } from './reader.js';
import { readExperts } from './shape.js';

const noBias = (): { qkv: boolean; out: boolean; mlp: boolean } => ({ qkv: false, out: false, mlp: false });
const rms: Pick<DecoderOptions, 'norm' | 'normsPerLayer' | 'gated' | 'dropoutKeys'> = {
  norm: 'weight',
  normsPerLayer: 2,
  gated: true,
  dropoutKeys: ['attention_dropout'],
};
const LLAMA_SIZES = { vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32 };
const MISTRAL_SIZES = { ...LLAMA_SIZES, intermediate_size: 14336, num_key_value_heads: 8, max_position_embeddings: 131072, tie_word_embeddings: false };

/** LlamaForCausalLM: RMSNorm, SwiGLU, biases only where attention_bias / mlp_bias say. */
export const llama: Family = {
  reference: 'transformers models/llama/modeling_llama.py',
  defaults: { ...LLAMA_SIZES, num_key_value_heads: null, head_dim: null, max_position_embeddings: 2048, tie_word_embeddings: false, attention_bias: false, mlp_bias: false },
  contextKeys: CONTEXT,
  read: (r) =>
    readDecoder(r, {
      ...rms,
      bias: (c) => {
        const attention = c.flag('attention_bias');
        const mlp = c.flag('mlp_bias');
        return { qkv: attention, out: attention, mlp };
      },
    }),
};

/** MistralForCausalLM: Llama without biases; head_dim may be set (Mistral-Nemo). */
export const mistral: Family = {
  reference: 'transformers models/mistral/modeling_mistral.py',
  defaults: { ...MISTRAL_SIZES, head_dim: null },
  contextKeys: CONTEXT,
  read: (r) => readDecoder(r, { ...rms, bias: noBias }),
};

/** MixtralForCausalLM: Mistral attention, every FFN a sparse MoE of SwiGLU experts of intermediate_size, router h x E. */
export const mixtral: Family = {
  reference: 'transformers models/mixtral/modeling_mixtral.py',
  defaults: { ...MISTRAL_SIZES, head_dim: null, num_local_experts: 8, num_experts_per_tok: 2 },
  contextKeys: CONTEXT,
  read: (r) =>
    readDecoder(r, {
      ...rms,
      bias: noBias,
      moe: (c: ConfigReader, layers, dModel) => {
        const { experts, activeExperts } = readExperts(c, 'num_local_experts', 'num_experts_per_tok');
        return { experts, activeExperts, expertFfn: c.count('intermediate_size'), sharedFfn: 0, sharedExperts: 0, router: dModel * experts, moeLayers: layers };
      },
    }),
};

const OLMO_DEFAULTS = { ...LLAMA_SIZES, vocab_size: 50304, num_key_value_heads: null, max_position_embeddings: 2048, tie_word_embeddings: false, attention_bias: false };
const attentionBias = (c: ConfigReader): { qkv: boolean; out: boolean; mlp: boolean } => {
  const b = c.flag('attention_bias');
  return { qkv: b, out: b, mlp: false };
};

/** OlmoForCausalLM: Llama shapes with LayerNorms that have no parameters. */
export const olmo: Family = {
  reference: 'transformers models/olmo/modeling_olmo.py',
  defaults: OLMO_DEFAULTS,
  contextKeys: CONTEXT,
  read: (r) => readDecoder(r, { ...rms, norm: 'none', bias: attentionBias }),
};

/** Olmo2ForCausalLM: RMSNorm after attention and after the FFN (no pre-norms), Q/K RMSNorm over all heads. */
export const olmo2: Family = {
  reference: 'transformers models/olmo2/modeling_olmo2.py',
  defaults: OLMO_DEFAULTS,
  contextKeys: CONTEXT,
  read: (r) => readDecoder(r, { ...rms, qkNorm: 'all', bias: attentionBias }),
};

/** Phi3ForCausalLM: fused qkv_proj and gate_up_proj without biases, RMSNorm; the same parameters as Llama. */
export const phi3: Family = {
  reference: 'transformers models/phi3/modeling_phi3.py',
  defaults: {
    vocab_size: 32064, hidden_size: 3072, intermediate_size: 8192, num_hidden_layers: 32, num_attention_heads: 32,
    num_key_value_heads: null, max_position_embeddings: 4096, tie_word_embeddings: false,
  },
  contextKeys: CONTEXT,
  known: ['original_max_position_embeddings', 'resid_pdrop', 'embd_pdrop'],
  read: (r) => readDecoder(r, { ...rms, dropoutKeys: ['resid_pdrop', 'embd_pdrop', 'attention_dropout'], bias: noBias }),
};

/** Starcoder2ForCausalLM: biases everywhere (use_bias), LayerNorm, a two-matrix GELU MLP, tied embeddings. */
export const starcoder2: Family = {
  reference: 'transformers models/starcoder2/modeling_starcoder2.py',
  defaults: {
    vocab_size: 49152, hidden_size: 3072, intermediate_size: 12288, num_hidden_layers: 30, num_attention_heads: 24,
    num_key_value_heads: 2, max_position_embeddings: 4096, use_bias: true, tie_word_embeddings: true,
  },
  contextKeys: CONTEXT,
  // mlp_type 'default' and norm_type 'layer_norm' are the only values transformers implements.
  known: ['norm_epsilon', 'residual_dropout', 'embedding_dropout', 'mlp_type', 'norm_type'],
  read: (r) =>
    readDecoder(r, {
      norm: 'layernorm',
      normsPerLayer: 2,
      gated: false,
      dropoutKeys: ['residual_dropout', 'embedding_dropout', 'attention_dropout'],
      bias: (c) => {
        const b = c.flag('use_bias');
        return { qkv: b, out: b, mlp: b };
      },
    }),
};
