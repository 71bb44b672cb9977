// The module shapes of one decoder model, in one normal form every family reads its config into,
// and the parameter count of that form (pure arithmetic).
import type { ModelPreset } from '../schema.js';
import { ConfigReader } from './reader.js';

/** The architecture contract (CONTRACTS.md item 1). */
export type Architecture = NonNullable<ModelPreset['architecture']>;

/** Parameters of a Linear(inputs, outputs) layer, with or without its bias. */
export const linear = (inputs: number, outputs: number, bias: boolean): number => inputs * outputs + (bias ? outputs : 0);

/** Parameters of a norm over `width`: LayerNorm has weight and bias, RMSNorm a weight, OLMo's LayerNorm none. */
export function norm(kind: NormKind, width: number): number {
  return kind === 'layernorm' ? 2 * width : kind === 'none' ? 0 : width;
}
/** Which norm a family uses: `layernorm` (weight + bias), `weight` (RMSNorm, or LayerNorm without bias), `none` (no parameters). */
export type NormKind = 'layernorm' | 'weight' | 'none';

/** Parameters of a feed-forward block of width `ffn`: gated (SwiGLU/GeGLU: gate, up, down) or two matrices. */
export function mlp(dModel: number, ffn: number, gated: boolean, bias: boolean): number {
  return gated ? 2 * linear(dModel, ffn, bias) + linear(ffn, dModel, bias) : linear(dModel, ffn, bias) + linear(ffn, dModel, bias);
}

/** Parameters of grouped-query attention: Q, K, V and output projections. */
export function gqa(dModel: number, heads: number, kvHeads: number, headDim: number, qkvBias: boolean, outBias: boolean): number {
  return linear(dModel, (heads + 2 * kvHeads) * headDim, qkvBias) + linear(heads * headDim, dModel, outBias);
}

/** Mixture-of-experts layers of a model. */
export interface MoeShape {
  experts: number;
  activeExperts: number;
  /** Width of one routed expert's FFN. */
  expertFfn: number;
  /** Total width of the always-on shared expert(s), 0 without. */
  sharedFfn: number;
  /** Number of shared experts as the contract counts them (sharedFfn / expertFfn, or 1 for Qwen's one wide expert). */
  sharedExperts: number;
  /** Parameters of the router and any gate of the shared expert, per MoE layer. */
  router: number;
  /** How many of the layers are MoE layers (the others use the dense FFN). */
  moeLayers: number;
}

/** One model in normal form: what the parameter count and the architecture contract need. */
export interface Shape {
  layers: number;
  dModel: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
  /** Parameters of one layer's attention (projections, biases, Q/K norms). */
  attention: number;
  mla?: Architecture['mla'];
  /** Width of the dense FFN (dense layers; 0 when every layer is MoE and the config names none). */
  ffnDim: number;
  ffnGated: boolean;
  mlpBias: boolean;
  moe?: MoeShape;
  /** Parameters of one layer's norms (pre/post attention and FFN). */
  layerNorms: number;
  tiedEmbeddings: boolean;
  /** Rows of a learned position embedding (GPT-2), 0 for rotary or ALiBi positions. */
  positions: number;
  /** Parameters outside the layers besides the embeddings: final norm, embedding norm (BLOOM), LM-head bias. */
  outside: number;
  dropout: boolean;
}

/** Returns total and active parameters of a shape. */
export function countParams(s: Shape): { params: number; activeParams: number } {
  const expert = (f: number): number => mlp(s.dModel, f, s.ffnGated, s.mlpBias);
  const dense = s.attention + s.layerNorms + (s.ffnDim > 0 ? expert(s.ffnDim) : 0);
  const outside = s.vocab * s.dModel * (s.tiedEmbeddings ? 1 : 2) + s.positions * s.dModel + s.outside;
  if (!s.moe) {
    const params = s.layers * dense + outside;
    return { params, activeParams: params };
  }
  const m = s.moe;
  const moeBase = s.attention + s.layerNorms + m.router + (m.sharedFfn > 0 ? expert(m.sharedFfn) : 0);
  const denseLayers = s.layers - m.moeLayers;
  return {
    params: denseLayers * dense + m.moeLayers * (moeBase + m.experts * expert(m.expertFfn)) + outside,
    activeParams: denseLayers * dense + m.moeLayers * (moeBase + m.activeExperts * expert(m.expertFfn)) + outside,
  };
}

/** Reads the MoE sizes common to the families and checks experts per token against the experts. */
export function readExperts(r: ConfigReader, expertsKey: string, activeKey: string): { experts: number; activeExperts: number } {
  const experts = r.count(expertsKey);
  const activeExperts = r.count(activeKey);
  r.atMost(activeKey, activeExperts, experts, expertsKey);
  return { experts, activeExperts };
}

/** Returns the architecture contract of a shape (seqLen and source filled in by the caller). */
export function architectureOf(s: Shape, seqLen: number, source: string): Architecture {
  const arch: Architecture = {
    layers: s.layers,
    dModel: s.dModel,
    heads: s.heads,
    kvHeads: s.kvHeads,
    headDim: s.headDim,
    vocabSize: s.vocab,
    tiedEmbeddings: s.tiedEmbeddings,
    seqLen,
    ffnGated: s.ffnGated,
    dropout: s.dropout,
    source,
  };
  // A model whose layers are all MoE and that names no dense width: the expert width is its FFN.
  const ffn = s.ffnDim > 0 ? s.ffnDim : s.moe?.expertFfn;
  if (ffn !== undefined) arch.ffnDim = ffn;
  if (s.mla) arch.mla = s.mla;
  if (s.moe) {
    arch.moe = {
      experts: s.moe.experts,
      activeExperts: s.moe.activeExperts,
      sharedExperts: s.moe.sharedExperts,
      moeFfnDim: s.moe.expertFfn,
      denseLayers: s.layers - s.moe.moeLayers,
    };
  }
  return arch;
}

/** Default training length for a long-context config that does not state its pre-training length (README: Sequence length). */
export const LONG_CONTEXT_DEFAULT_SEQ_LEN = 4096;
/** Longest `max_position_embeddings` taken as the training length itself; above it, a long-context extension is assumed. */
export const LONGEST_PRETRAINING_CONTEXT = 8192;

/**
 * Returns the sequence length for attention FLOPs and activations and where it came from: the
 * pre-training length where the config states it (`original_max_position_embeddings`, top level or
 * in `rope_scaling`), else the family's context key when it is at most 8,192 tokens, else 4,096.
 */
export function seqLenOf(r: ConfigReader, contextKeys: readonly string[]): { seqLen: number; seqLenSource: string } {
  const rope = r.object('rope_scaling');
  if (rope && rope['original_max_position_embeddings'] !== undefined) {
    const inner = new ConfigReader(rope, {}, `${r.prefix}rope_scaling.`);
    return { seqLen: inner.count('original_max_position_embeddings'), seqLenSource: `${r.prefix}rope_scaling.original_max_position_embeddings (pre-training length)` };
  }
  if (r.has('original_max_position_embeddings')) {
    return { seqLen: r.count('original_max_position_embeddings'), seqLenSource: `${r.prefix}original_max_position_embeddings (pre-training length)` };
  }
  const key = contextKeys.find((k) => r.config[k] !== undefined) ?? (contextKeys[0] as string);
  const from = r.has(contextKeys) ? `${r.prefix}${key}` : `${r.prefix}${key} (family default)`;
  const context = r.count(contextKeys);
  if (context <= LONGEST_PRETRAINING_CONTEXT) return { seqLen: context, seqLenSource: from };
  return {
    seqLen: Math.min(context, LONG_CONTEXT_DEFAULT_SEQ_LEN),
    seqLenSource: `default ${LONG_CONTEXT_DEFAULT_SEQ_LEN} for a long-context config (${from} = ${context} is read as an extension; --seq-len to set)`,
  };
}
