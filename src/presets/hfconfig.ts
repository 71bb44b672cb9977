import type { ModelPreset } from './schema.js';

/** What llmcost derives from a Hugging Face `config.json`. */
export interface HfModelConfig {
  /** Total parameters (all experts). */
  params: number;
  /** Parameters active per token; equal to params for dense models. */
  activeParams: number;
  architecture: NonNullable<ModelPreset['architecture']>;
  /** Keys present in the file that the count did not use. */
  unusedKeys: string[];
  /** The config family the count followed. */
  family: 'llama' | 'mixtral' | 'qwen2-moe' | 'deepseek';
}

type Json = Record<string, unknown>;

/** Keys that describe the run, tokenizer or numerics, not the parameter count. */
const IGNORABLE = new Set([
  'architectures', 'model_type', 'torch_dtype', 'transformers_version', 'bos_token_id', 'eos_token_id', 'pad_token_id',
  'use_cache', 'initializer_range', 'rms_norm_eps', 'rope_theta', 'rope_scaling', 'hidden_act', 'attention_dropout',
  'pretraining_tp', 'mlp_bias', 'attention_bias', 'tie_word_embeddings', 'max_position_embeddings', 'head_dim',
  'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'intermediate_size', 'vocab_size',
  'num_local_experts', 'num_experts_per_tok', 'num_experts', 'moe_intermediate_size', 'shared_expert_intermediate_size',
  'n_routed_experts', 'n_shared_experts', 'first_k_dense_replace', 'q_lora_rank', 'kv_lora_rank', 'qk_nope_head_dim',
  'qk_rope_head_dim', 'v_head_dim', 'decoder_sparse_step', 'mlp_only_layers', 'moe_layer_freq',
]);

/** Thrown with a message naming the key and what was expected; the CLI adds the file name. */
export class HfConfigError extends Error {}

function int(config: Json, key: string, fallback?: number): number {
  const value = config[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new HfConfigError(`${key}: expected a non-negative integer, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Returns the parameter counts and architecture of a Hugging Face config (pure): Llama/Mistral,
 * Mixtral, Qwen2-MoE and DeepSeek-V2/V3 (MLA attention, shared + routed experts). SwiGLU MLPs
 * (three matrices), RMSNorm weights, untied embeddings unless `tie_word_embeddings`.
 * @example parseHfConfig(llama31_8b).params // 8,030,261,248
 */
export function parseHfConfig(config: unknown): HfModelConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new HfConfigError('expected a JSON object');
  const c = config as Json;
  const h = int(c, 'hidden_size');
  const layers = int(c, 'num_hidden_layers');
  const heads = int(c, 'num_attention_heads');
  const kvHeads = int(c, 'num_key_value_heads', heads);
  const vocab = int(c, 'vocab_size');
  const headDim = int(c, 'head_dim', Math.floor(h / heads));
  const tied = c['tie_word_embeddings'] === true;
  const bias = c['attention_bias'] === true || c['model_type'] === 'qwen2' || c['model_type'] === 'qwen2_moe';
  // Long-context configs (Llama 3.1) keep the pre-training length in rope_scaling.
  const rope = c['rope_scaling'] as Json | null | undefined;
  const original = rope && typeof rope === 'object' ? rope['original_max_position_embeddings'] : undefined;
  const seqLen = typeof original === 'number' ? int(rope as Json, 'original_max_position_embeddings') : int(c, 'max_position_embeddings');

  // Attention per layer: MLA (DeepSeek) or grouped-query attention.
  let attention: number;
  const isMla = c['kv_lora_rank'] !== undefined;
  if (isMla) {
    const kvRank = int(c, 'kv_lora_rank');
    const nope = int(c, 'qk_nope_head_dim');
    const rope = int(c, 'qk_rope_head_dim');
    const v = int(c, 'v_head_dim');
    const qRank = c['q_lora_rank'] === null || c['q_lora_rank'] === undefined ? 0 : int(c, 'q_lora_rank');
    const q = qRank > 0 ? h * qRank + qRank + qRank * heads * (nope + rope) : h * heads * (nope + rope);
    attention = q + h * (kvRank + rope) + kvRank + kvRank * heads * (nope + v) + heads * v * h;
  } else {
    attention = h * heads * headDim + 2 * h * kvHeads * headDim + heads * headDim * h;
    if (bias) attention += heads * headDim + 2 * kvHeads * headDim;
  }
  const norms = 2 * h;
  const dense = 3 * h * int(c, 'intermediate_size');

  // Mixture of experts: which layers, how many experts, how many active.
  const experts = c['num_local_experts'] ?? c['n_routed_experts'] ?? c['num_experts'];
  let family: HfModelConfig['family'] = 'llama';
  let total = 0;
  let active = 0;
  let moe: NonNullable<ModelPreset['architecture']>['moe'];
  if (experts === undefined || experts === null) {
    total = active = layers * (attention + dense + norms);
  } else {
    const e = int(c, c['num_local_experts'] !== undefined ? 'num_local_experts' : c['n_routed_experts'] !== undefined ? 'n_routed_experts' : 'num_experts');
    const k = int(c, 'num_experts_per_tok');
    const expertFfn = c['moe_intermediate_size'] !== undefined ? int(c, 'moe_intermediate_size') : int(c, 'intermediate_size');
    const sharedFfn =
      c['n_shared_experts'] !== undefined
        ? int(c, 'n_shared_experts') * expertFfn
        : c['shared_expert_intermediate_size'] !== undefined
          ? int(c, 'shared_expert_intermediate_size')
          : 0;
    const denseLayers = c['first_k_dense_replace'] !== undefined ? int(c, 'first_k_dense_replace') : 0;
    const moeLayers = layers - denseLayers;
    // Qwen2-MoE gates its shared expert with one extra h-vector.
    const sharedGate = c['shared_expert_intermediate_size'] !== undefined ? h : 0;
    const router = h * e;
    const perMoeTotal = attention + norms + router + e * 3 * h * expertFfn + 3 * h * sharedFfn + sharedGate;
    const perMoeActive = attention + norms + router + k * 3 * h * expertFfn + 3 * h * sharedFfn + sharedGate;
    total = denseLayers * (attention + dense + norms) + moeLayers * perMoeTotal;
    active = denseLayers * (attention + dense + norms) + moeLayers * perMoeActive;
    family = isMla ? 'deepseek' : c['num_local_experts'] !== undefined ? 'mixtral' : 'qwen2-moe';
    moe = { experts: e, activeExperts: k, sharedExperts: sharedFfn > 0 ? Math.round(sharedFfn / expertFfn) : 0, moeFfnDim: expertFfn, denseLayers };
  }
  const embeddings = vocab * h * (tied ? 1 : 2) + h; // + final norm
  const architecture: NonNullable<ModelPreset['architecture']> = {
    layers,
    dModel: h,
    heads,
    kvHeads,
    ffnDim: int(c, 'intermediate_size'),
    vocabSize: vocab,
    headDim: isMla ? int(c, 'qk_nope_head_dim') + int(c, 'qk_rope_head_dim') : headDim,
    tiedEmbeddings: tied,
    seqLen,
    ...(moe ? { moe } : {}),
    source: 'Hugging Face config.json',
  };
  return {
    params: total + embeddings,
    activeParams: active + embeddings,
    architecture,
    unusedKeys: Object.keys(c).filter((key) => !IGNORABLE.has(key)),
    family,
  };
}
