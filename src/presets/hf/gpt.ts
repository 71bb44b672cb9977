// GPT-style families with LayerNorms and biased two-matrix GELU MLPs: GPT-2, GPT-J, GPT-NeoX
// (Pythia), BLOOM, MPT, Phi (1, 1.5, 2). Module shapes from transformers' modeling_<family>.py.
import type { Family } from './decoder.js';
import { ConfigReader, headDimOf, kvHeadsOf } from './reader.js';
import { gqa, norm, type Shape } from './shape.js';

/** A classic block: fused or separate Q/K/V over full multi-head attention, a 2-matrix MLP. */
function classic(r: ConfigReader, o: {
  dModel: number; layers: number; heads: number; headsKey: string; hiddenKey: string; ffnDim: number;
  qkvBias: boolean; outBias: boolean; mlpBias: boolean; layerNorms: number; tied: boolean; positions: number; outside: number; dropout: boolean;
}): Shape {
  const headDim = headDimOf(r, o.hiddenKey, o.dModel, o.headsKey, o.heads);
  return {
    layers: o.layers,
    dModel: o.dModel,
    heads: o.heads,
    kvHeads: o.heads,
    headDim,
    vocab: r.count('vocab_size'),
    attention: gqa(o.dModel, o.heads, o.heads, headDim, o.qkvBias, o.outBias),
    ffnDim: o.ffnDim,
    ffnGated: false,
    mlpBias: o.mlpBias,
    layerNorms: o.layerNorms,
    tiedEmbeddings: o.tied,
    positions: o.positions,
    outside: o.outside,
    dropout: o.dropout,
  };
}
// Read every key (no short-circuit) so that each counts as used.
const dropped = (r: ConfigReader, keys: readonly string[]): boolean => keys.map((k) => r.probability(k)).some((p) => p > 0);
// Keys of GPT-2's sequence-summary head (classification), not part of the language model.
const SUMMARY = ['summary_type', 'summary_use_proj', 'summary_activation', 'summary_proj_to_labels', 'summary_first_dropout', 'task_specific_params'];
const keyOf = (r: ConfigReader, keys: readonly string[]): string => keys.find((k) => r.config[k] !== undefined) ?? (keys[0] as string);

/** GPT2LMHeadModel: learned positions (n_positions rows), fused c_attn, MLP of n_inner (4 x n_embd when null), tied head. */
export const gpt2: Family = {
  reference: 'transformers models/gpt2/modeling_gpt2.py',
  defaults: { vocab_size: 50257, n_positions: 1024, n_embd: 768, n_layer: 12, n_head: 12, n_inner: null, resid_pdrop: 0.1, embd_pdrop: 0.1, attn_pdrop: 0.1 },
  contextKeys: ['n_positions', 'n_ctx'],
  known: ['n_ctx', ...SUMMARY, 'scale_attn_weights', 'scale_attn_by_inverse_layer_idx', 'reorder_and_upcast_attn'],
  read: (r) => {
    const dModel = r.count(['n_embd', 'hidden_size']);
    return classic(r, {
      dModel, layers: r.count(['n_layer', 'num_hidden_layers']), heads: r.count(['n_head', 'num_attention_heads']), headsKey: keyOf(r, ['n_head', 'num_attention_heads']), hiddenKey: keyOf(r, ['n_embd', 'hidden_size']),
      ffnDim: r.optionalCount('n_inner') ?? 4 * dModel, qkvBias: true, outBias: true, mlpBias: true, layerNorms: 4 * dModel,
      tied: r.flag('tie_word_embeddings', true), positions: r.count(['n_positions', 'n_ctx']), outside: 2 * dModel, dropout: dropped(r, ['resid_pdrop', 'embd_pdrop', 'attn_pdrop']),
    });
  },
};

/** GPTJForCausalLM: parallel attention and MLP after one LayerNorm, Q/K/V/out without bias, untied head with bias. */
export const gptj: Family = {
  reference: 'transformers models/gptj/modeling_gptj.py',
  defaults: { vocab_size: 50400, n_positions: 2048, n_embd: 4096, n_layer: 28, n_head: 16, n_inner: null, resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0, tie_word_embeddings: false },
  contextKeys: ['n_positions'],
  known: ['rotary', 'rotary_dim', ...SUMMARY, 'gradient_checkpointing', 'scale_attn_weights'],
  read: (r) => {
    const dModel = r.count(['n_embd', 'hidden_size']);
    const vocab = r.count('vocab_size');
    return classic(r, {
      dModel, layers: r.count(['n_layer', 'num_hidden_layers']), heads: r.count(['n_head', 'num_attention_heads']), headsKey: keyOf(r, ['n_head', 'num_attention_heads']), hiddenKey: keyOf(r, ['n_embd', 'hidden_size']),
      ffnDim: r.optionalCount('n_inner') ?? 4 * dModel, qkvBias: false, outBias: false, mlpBias: true, layerNorms: 2 * dModel,
      tied: r.flag('tie_word_embeddings'), positions: 0, outside: 2 * dModel + vocab, dropout: dropped(r, ['resid_pdrop', 'embd_pdrop', 'attn_pdrop']),
    });
  },
};

/** GPTNeoXForCausalLM (Pythia, GPT-NeoX-20B): two LayerNorms per layer (parallel residual or not), biases, untied embed_out. */
export const gptNeox: Family = {
  reference: 'transformers models/gpt_neox/modeling_gpt_neox.py',
  defaults: {
    vocab_size: 50432, hidden_size: 6144, num_hidden_layers: 44, num_attention_heads: 64, intermediate_size: 24576,
    max_position_embeddings: 2048, attention_bias: true, tie_word_embeddings: false, hidden_dropout: 0, attention_dropout: 0,
  },
  contextKeys: ['max_position_embeddings'],
  known: ['use_parallel_residual', 'rotary_pct', 'rotary_emb_base', 'classifier_dropout'],
  read: (r) => {
    const dModel = r.count('hidden_size');
    const bias = r.flag('attention_bias');
    return classic(r, {
      dModel, layers: r.count('num_hidden_layers'), heads: r.count('num_attention_heads'), headsKey: 'num_attention_heads', hiddenKey: 'hidden_size',
      ffnDim: r.count('intermediate_size'), qkvBias: bias, outBias: bias, mlpBias: true, layerNorms: 4 * dModel,
      tied: r.flag('tie_word_embeddings'), positions: 0, outside: 2 * dModel, dropout: dropped(r, ['hidden_dropout', 'attention_dropout']),
    });
  },
};

/** BloomForCausalLM: LayerNorm after the embeddings, fused biased QKV, MLP of 4 x hidden, ALiBi, tied head. */
export const bloom: Family = {
  reference: 'transformers models/bloom/modeling_bloom.py',
  defaults: { vocab_size: 250880, hidden_size: 64, n_layer: 2, n_head: 8, hidden_dropout: 0, attention_dropout: 0, seq_length: 2048 },
  contextKeys: ['seq_length'],
  known: ['apply_residual_connection_post_layernorm', 'attention_softmax_in_fp32', 'bias_dropout_fusion', 'masked_softmax_fusion', 'offset_alibi', 'skip_bias_add', 'skip_bias_add_qkv', 'slow_but_exact', 'unk_token_id', 'n_inner', 'seq_length'],
  read: (r) => {
    const hiddenKey = keyOf(r, ['hidden_size', 'n_embed']);
    const dModel = r.count(['hidden_size', 'n_embed']);
    return classic(r, {
      dModel, layers: r.count(['n_layer', 'num_hidden_layers']), heads: r.count(['n_head', 'num_attention_heads']), headsKey: keyOf(r, ['n_head', 'num_attention_heads']), hiddenKey,
      ffnDim: 4 * dModel, qkvBias: true, outBias: true, mlpBias: true, layerNorms: 4 * dModel, tied: r.flag('tie_word_embeddings', true), positions: 0,
      outside: 4 * dModel, dropout: dropped(r, ['hidden_dropout', 'attention_dropout']),
    });
  },
};

/** MptForCausalLM: LayerNorms without bias and Linear layers without bias (no_bias), ALiBi, MLP of expansion_ratio x d_model, tied head. */
export const mpt: Family = {
  reference: 'transformers models/mpt/modeling_mpt.py (MPT-7B/30B; expansion_ratio, qk_ln and no_bias as in llm-foundry)',
  defaults: { d_model: 2048, n_heads: 16, n_layers: 24, expansion_ratio: 4, max_seq_len: 2048, vocab_size: 50368, no_bias: true, resid_pdrop: 0, emb_pdrop: 0, learned_pos_emb: true },
  contextKeys: ['max_seq_len'],
  known: ['init_config', 'logit_scale', 'norm_type', 'embedding_fraction', 'init_device', 'use_cache', 'verbose', 'ffn_config', 'fc_type', 'use_pad_tok_in_ffn'],
  read: (r) => {
    const dModel = r.count('d_model');
    const heads = r.count('n_heads');
    const bias = !r.flag('no_bias');
    const attn = new ConfigReader(r.object('attn_config') ?? {}, { alibi: true, qk_ln: false, attn_pdrop: 0 }, 'attn_config.');
    const alibi = attn.flag('alibi');
    const qkLn = attn.flag('qk_ln');
    const learnedPositions = r.flag('learned_pos_emb'); // llm-foundry: a wpe table only without ALiBi
    const normKind = bias ? 'layernorm' : 'weight';
    const shape = classic(r, {
      dModel, layers: r.count('n_layers'), heads, headsKey: 'n_heads', hiddenKey: 'd_model',
      ffnDim: r.count('expansion_ratio') * dModel, qkvBias: bias, outBias: bias, mlpBias: bias, layerNorms: 2 * norm(normKind, dModel),
      tied: r.flag('tie_word_embeddings', true), positions: !alibi && learnedPositions ? r.count('max_seq_len') : 0, outside: norm(normKind, dModel),
      dropout: dropped(r, ['resid_pdrop', 'emb_pdrop']) || attn.probability('attn_pdrop') > 0,
    });
    if (qkLn) shape.attention += 2 * norm(normKind, dModel);
    return shape;
  },
};

/** PhiForCausalLM (Phi-1, 1.5, 2): parallel attention and MLP after one LayerNorm, biases everywhere, untied head with bias. */
export const phi: Family = {
  reference: 'transformers models/phi/modeling_phi.py',
  defaults: {
    vocab_size: 51200, hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 24, num_attention_heads: 32,
    num_key_value_heads: null, max_position_embeddings: 2048, tie_word_embeddings: false, qk_layernorm: false,
    resid_pdrop: 0, embd_pdrop: 0, attention_dropout: 0,
  },
  contextKeys: ['max_position_embeddings'],
  known: ['partial_rotary_factor', 'resid_pdrop', 'embd_pdrop', 'attention_dropout'],
  read: (r) => {
    const dModel = r.count('hidden_size');
    const heads = r.count('num_attention_heads');
    const kvHeads = kvHeadsOf(r, 'num_key_value_heads', heads);
    const vocab = r.count('vocab_size');
    const shape = classic(r, {
      dModel, layers: r.count('num_hidden_layers'), heads, headsKey: 'num_attention_heads', hiddenKey: 'hidden_size',
      ffnDim: r.count('intermediate_size'), qkvBias: true, outBias: true, mlpBias: true, layerNorms: 2 * dModel,
      tied: r.flag('tie_word_embeddings'), positions: 0, outside: 2 * dModel + vocab,
      dropout: dropped(r, ['resid_pdrop', 'embd_pdrop', 'attention_dropout']),
    });
    shape.kvHeads = kvHeads;
    shape.attention = gqa(dModel, heads, kvHeads, shape.headDim, true, true) + (r.flag('qk_layernorm') ? 2 * norm('layernorm', shape.headDim) : 0);
    return shape;
  },
};
