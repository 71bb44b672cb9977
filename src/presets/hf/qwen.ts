// Qwen2, Qwen2-MoE (Qwen1.5-MoE, Qwen2-57B-A14B), Qwen3 and Qwen3-MoE.
// Module shapes from transformers' modeling_qwen2*.py / modeling_qwen3*.py; defaults from their configs.
import { CONTEXT, type DecoderOptions, type Family, qwenMoeLayers, readDecoder } from './decoder.js';
import type { ConfigReader } from './reader.js';
import { readExperts } from './shape.js';

const base: Pick<DecoderOptions, 'norm' | 'normsPerLayer' | 'gated' | 'dropoutKeys'> = {
  norm: 'weight',
  normsPerLayer: 2,
  gated: true,
  dropoutKeys: ['attention_dropout'],
};
const SIZES = { vocab_size: 151936, hidden_size: 4096, intermediate_size: 22016, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, max_position_embeddings: 32768, tie_word_embeddings: false };
// Qwen2 attention: biases on Q, K and V, none on the output projection (Qwen2Attention).
const qkvBias = (): { qkv: boolean; out: boolean; mlp: boolean } => ({ qkv: true, out: false, mlp: false });
const attentionBias = (c: ConfigReader): { qkv: boolean; out: boolean; mlp: boolean } => {
  const b = c.flag('attention_bias');
  return { qkv: b, out: b, mlp: false };
};
const KNOWN = ['use_mrope', 'mlp_only_layers', 'decoder_sparse_step'];

/** Qwen2ForCausalLM (also Qwen2.5): Llama shapes with Q/K/V biases. */
export const qwen2: Family = {
  reference: 'transformers models/qwen2/modeling_qwen2.py',
  defaults: { ...SIZES, head_dim: null },
  contextKeys: CONTEXT,
  known: KNOWN,
  read: (r) => readDecoder(r, { ...base, bias: qkvBias }),
};

/** Qwen2MoeForCausalLM: routed SwiGLU experts of moe_intermediate_size, one shared expert with a sigmoid gate (h x 1). */
export const qwen2Moe: Family = {
  reference: 'transformers models/qwen2_moe/modeling_qwen2_moe.py',
  defaults: {
    ...SIZES, hidden_size: 2048, intermediate_size: 5632, num_hidden_layers: 24, num_attention_heads: 16, num_key_value_heads: 16,
    head_dim: null, decoder_sparse_step: 1, moe_intermediate_size: 1408, shared_expert_intermediate_size: 5632,
    num_experts_per_tok: 4, num_experts: 60, mlp_only_layers: [], qkv_bias: true,
  },
  contextKeys: CONTEXT,
  known: KNOWN,
  read: (r) =>
    readDecoder(r, {
      ...base,
      bias: (c) => ({ qkv: c.flag('qkv_bias', true), out: false, mlp: false }),
      moe: (c, layers, dModel) => {
        const { experts, activeExperts } = readExperts(c, 'num_experts', 'num_experts_per_tok');
        const expertFfn = c.count('moe_intermediate_size');
        const sharedFfn = c.wholeOrZero('shared_expert_intermediate_size');
        return {
          experts,
          activeExperts,
          expertFfn,
          sharedFfn,
          sharedExperts: Math.round(sharedFfn / expertFfn),
          // gate (E x h) and shared_expert_gate (1 x h).
          router: dModel * experts + (sharedFfn > 0 ? dModel : 0),
          moeLayers: qwenMoeLayers(c, layers),
        };
      },
    }),
};

/** Qwen3ForCausalLM: biases only with attention_bias, RMSNorm on each query and key head (head_dim weights each). */
export const qwen3: Family = {
  reference: 'transformers models/qwen3/modeling_qwen3.py',
  defaults: { ...SIZES, head_dim: 128, attention_bias: false },
  contextKeys: CONTEXT,
  known: KNOWN,
  read: (r) => readDecoder(r, { ...base, qkNorm: 'head', bias: attentionBias }),
};

/** Qwen3MoeForCausalLM: Qwen3 attention, routed SwiGLU experts of moe_intermediate_size, no shared expert. */
export const qwen3Moe: Family = {
  reference: 'transformers models/qwen3_moe/modeling_qwen3_moe.py',
  defaults: {
    ...SIZES, hidden_size: 2048, intermediate_size: 6144, num_hidden_layers: 24, num_attention_heads: 32, num_key_value_heads: 4,
    head_dim: null, attention_bias: false, decoder_sparse_step: 1, moe_intermediate_size: 768, num_experts_per_tok: 8,
    num_experts: 128, mlp_only_layers: [],
  },
  contextKeys: CONTEXT,
  known: KNOWN,
  read: (r) =>
    readDecoder(r, {
      ...base,
      qkNorm: 'head',
      bias: attentionBias,
      moe: (c, layers, dModel) => {
        const { experts, activeExperts } = readExperts(c, 'num_experts', 'num_experts_per_tok');
        return { experts, activeExperts, expertFfn: c.count('moe_intermediate_size'), sharedFfn: 0, sharedExperts: 0, router: dModel * experts, moeLayers: qwenMoeLayers(c, layers) };
      },
    }),
};
