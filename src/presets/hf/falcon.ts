// Falcon: multi-query attention (7B), the new decoder architecture with grouped KV heads and two
// parallel LayerNorms (40B, 180B), or classic multi-head attention. Module shapes from
// transformers' modeling_falcon.py; defaults from FalconConfig (RefinedWeb* are its remote-code names).
import type { Family } from './decoder.js';
import { relations } from '../../core/quantity.js';
import { type ConfigReader, headDimOf } from './reader.js';
import { linear, norm, type Shape } from './shape.js';

function readFalcon(r: ConfigReader): Shape {
  const dModel = r.count('hidden_size');
  const layers = r.count(['num_hidden_layers', 'n_layer']);
  const headsKey = r.config['num_attention_heads'] !== undefined ? 'num_attention_heads' : 'n_head';
  const heads = r.count(['num_attention_heads', 'n_head']);
  const headDim = headDimOf(r, 'hidden_size', dModel, headsKey, heads);
  const newDecoder = r.flag('new_decoder_architecture');
  const multiQuery = r.flag('multi_query');
  const kvKey = r.config['num_kv_heads'] !== undefined ? 'num_kv_heads' : 'n_head_kv';
  // FalconAttention: grouped KV heads in the new architecture, one with multi_query, else full multi-head.
  const kvHeads = newDecoder ? r.optionalCount(['num_kv_heads', 'n_head_kv']) ?? heads : multiQuery ? 1 : heads;
  const problem = relations.divides(kvHeads, heads, headsKey);
  if (problem !== undefined) r.problem(kvKey, problem);
  const bias = r.flag('bias');
  const qkv = newDecoder ? (heads + 2 * kvHeads) * headDim : multiQuery ? dModel + 2 * headDim : 3 * dModel;
  const ffnDim = r.optionalCount('ffn_hidden_size') ?? 4 * dModel;
  const parallel = r.flag('parallel_attn', true);
  // FalconDecoderLayer: two LayerNorms without parallel attention; with it, ln_attn + ln_mlp when
  // num_ln_in_parallel_attn is 2 (the default of the new architecture), else one input_layernorm.
  const lnInParallel = r.optionalCount('num_ln_in_parallel_attn') ?? (newDecoder ? 2 : 1);
  if (lnInParallel > 2) r.fail('num_ln_in_parallel_attn', '1, 2 or null', lnInParallel);
  const norms = !parallel ? 2 : lnInParallel;
  return {
    layers,
    dModel,
    heads,
    kvHeads,
    headDim,
    vocab: r.count('vocab_size'),
    attention: linear(dModel, qkv, bias) + linear(dModel, dModel, bias),
    ffnDim,
    ffnGated: false,
    mlpBias: bias,
    layerNorms: norms * norm('layernorm', dModel),
    tiedEmbeddings: r.flag('tie_word_embeddings', true),
    positions: 0,
    outside: norm('layernorm', dModel),
    dropout: r.probability('hidden_dropout') > 0 || r.probability('attention_dropout') > 0,
  };
}

const DEFAULTS = {
  vocab_size: 65024, hidden_size: 4544, num_hidden_layers: 32, num_attention_heads: 71, num_kv_heads: null,
  multi_query: true, new_decoder_architecture: false, parallel_attn: true, bias: false, max_position_embeddings: 2048,
  ffn_hidden_size: null, num_ln_in_parallel_attn: null, tie_word_embeddings: true, hidden_dropout: 0, attention_dropout: 0,
};
const KNOWN = ['alibi', 'apply_residual_connection_post_layernorm', 'n_head_kv', 'n_layer', 'n_head', 'activation'];

/** FalconForCausalLM. */
export const falcon: Family = {
  reference: 'transformers models/falcon/modeling_falcon.py',
  defaults: DEFAULTS,
  contextKeys: ['max_position_embeddings'],
  known: KNOWN,
  read: readFalcon,
};

/** The remote-code name of Falcon-40B's config: the new decoder architecture. */
export const refinedWeb: Family = { ...falcon, defaults: { ...DEFAULTS, new_decoder_architecture: true } };
