// The Llama-style decoder most families share (pre-norm, rotary, grouped-query attention), read
// from a config with one family's options: biases, norm kind and count, Q/K norms, gated FFN, MoE.
import { type ConfigReader, type Defaults, headDimOf, kvHeadsOf } from './reader.js';
import { gqa, type MoeShape, norm, type NormKind, type Shape } from './shape.js';

/** One `model_type`: how its config reads into a Shape, and which reference code the shapes follow. */
export interface Family {
  /** The transformers modeling file whose module shapes the count follows. */
  reference: string;
  /** The family's config-class defaults, used for keys a file leaves out. */
  defaults: Defaults;
  /** Keys of the context length, first the one to read. */
  contextKeys: readonly string[];
  read(r: ConfigReader): Shape;
  /** The reader of a nested config that holds the model (Gemma 3's text_config); sizes and context are read from it. */
  inner?(r: ConfigReader): ConfigReader;
  /** Keys the count reads only to report them (or that do not change it), so they are not listed as unused. */
  known?: readonly string[];
  /** Notes on what this family's count leaves out, given the config. */
  notes?(r: ConfigReader): string[];
}

/** Options of a Llama-style family. */
export interface DecoderOptions {
  /** Biases of the Q/K/V projections, the output projection and the FFN. */
  bias(r: ConfigReader): { qkv: boolean; out: boolean; mlp: boolean };
  norm: NormKind;
  /** Norms per layer: 2 (pre-attention, pre-FFN), 4 (Gemma 2/3 sandwich), 2 post-norms (OLMo 2). */
  normsPerLayer: number;
  /** Q/K norms: over one head (Qwen3, Gemma 3: head_dim weights each) or over all heads (OLMo 2). */
  qkNorm?: 'head' | 'all';
  gated: boolean;
  /** Keys whose non-zero value means the model trained with dropout. */
  dropoutKeys: readonly string[];
  moe?(r: ConfigReader, layers: number, dModel: number): MoeShape;
}

/** Reads a Llama-style config: hidden_size, num_hidden_layers, num_attention_heads, ... */
export function readDecoder(r: ConfigReader, o: DecoderOptions): Shape {
  const dModel = r.count('hidden_size');
  const layers = r.count('num_hidden_layers');
  const heads = r.count('num_attention_heads');
  const kvHeads = kvHeadsOf(r, 'num_key_value_heads', heads);
  // head_dim when the config (or the family's defaults) sets it, else d_model / heads.
  const headDim = r.has('head_dim') || typeof r.defaultOf('head_dim') === 'number'
    ? r.count('head_dim')
    : headDimOf(r, 'hidden_size', dModel, 'num_attention_heads', heads);
  const bias = o.bias(r);
  const qk = o.qkNorm === 'head' ? 2 * norm(o.norm, headDim) : o.qkNorm === 'all' ? norm(o.norm, (heads + kvHeads) * headDim) : 0;
  const moe = o.moe?.(r, layers, dModel);
  // An MoE model whose every layer is sparse may omit the dense width.
  const ffnDim = moe && moe.moeLayers === layers && !r.has('intermediate_size') ? 0 : r.count('intermediate_size');
  const shape: Shape = {
    layers,
    dModel,
    heads,
    kvHeads,
    headDim,
    vocab: r.count('vocab_size'),
    attention: gqa(dModel, heads, kvHeads, headDim, bias.qkv, bias.out) + qk,
    ffnDim,
    ffnGated: o.gated,
    mlpBias: bias.mlp,
    layerNorms: o.normsPerLayer * norm(o.norm, dModel),
    tiedEmbeddings: r.flag('tie_word_embeddings'),
    positions: 0,
    outside: norm(o.norm, dModel),
    dropout: o.dropoutKeys.some((k) => r.probability(k) > 0),
  };
  if (moe) shape.moe = moe;
  return shape;
}

/** Returns how many layers are MoE under Qwen's rule: not in mlp_only_layers and (i + 1) % decoder_sparse_step == 0. */
export function qwenMoeLayers(r: ConfigReader, layers: number): number {
  const step = r.count('decoder_sparse_step');
  const denseOnly = new Set(r.indices('mlp_only_layers', layers));
  let moe = 0;
  for (let i = 0; i < layers; i++) if (!denseOnly.has(i) && (i + 1) % step === 0) moe++;
  return moe;
}

/** The Llama-style context keys. */
export const CONTEXT = ['max_position_embeddings'] as const;
/** Keys that describe numerics, tokens, caching or positions, not the parameter count. */
export const NOT_COUNTED = [
  'architectures', 'model_type', 'torch_dtype', 'dtype', 'transformers_version', 'bos_token_id', 'eos_token_id',
  'pad_token_id', 'use_cache', 'initializer_range', 'rms_norm_eps', 'layer_norm_eps', 'layer_norm_epsilon', 'rope_theta',
  'hidden_act', 'hidden_activation', 'activation_function', 'pretraining_tp', 'sliding_window', 'use_sliding_window',
  'max_window_layers', 'rope_scaling', 'max_position_embeddings', 'partial_rotary_factor', 'rotary_pct',
  'rotary_emb_base', 'rotary_dim', 'norm_topk_prob', 'output_router_logits', 'router_aux_loss_coef',
  'router_jitter_noise', 'attention_dropout', 'layer_types', 'query_pre_attn_scalar', 'attn_logit_softcapping',
  'final_logit_softcapping', 'rope_local_base_freq', 'cache_implementation', 'clip_qkv', 'tokenizer_class',
  'quantization_config', 'sliding_window_pattern', 'sliding_window_size', '_name_or_path', 'auto_map', 'output_past',
  'tokenizer_name', 'use_return_dict', 'return_dict', 'output_hidden_states', 'output_attentions', 'torchscript',
];
