// DeepSeek-V2 and V3: multi-head latent attention (MLA) and DeepSeekMoE (shared + routed experts).
// Module shapes from transformers' modeling_deepseek_v2.py / modeling_deepseek_v3.py.
import { CONTEXT, type Family } from './decoder.js';
import type { ConfigReader, Defaults } from './reader.js';
import { linear, type MoeShape, norm, readExperts, type Shape } from './shape.js';

/** Parameters of one MLA block: low-rank (or plain) query, compressed KV with a shared rotary key, output. */
function mlaParams(r: ConfigReader, dModel: number, heads: number): { params: number; mla: NonNullable<Shape['mla']> } {
  const qLoraRank = r.optionalCount('q_lora_rank');
  const kvLoraRank = r.count('kv_lora_rank');
  const qkNopeHeadDim = r.count('qk_nope_head_dim');
  const qkRopeHeadDim = r.count('qk_rope_head_dim');
  const vHeadDim = r.count('v_head_dim');
  const bias = r.flag('attention_bias');
  const qHead = qkNopeHeadDim + qkRopeHeadDim;
  const query = qLoraRank === undefined
    ? linear(dModel, heads * qHead, false)
    : linear(dModel, qLoraRank, bias) + norm('weight', qLoraRank) + linear(qLoraRank, heads * qHead, false);
  const kv = linear(dModel, kvLoraRank + qkRopeHeadDim, bias) + norm('weight', kvLoraRank) + linear(kvLoraRank, heads * (qkNopeHeadDim + vHeadDim), false);
  const params = query + kv + linear(heads * vHeadDim, dModel, bias);
  const mla = { kvLoraRank, qkNopeHeadDim, qkRopeHeadDim, vHeadDim, ...(qLoraRank === undefined ? {} : { qLoraRank }) };
  return { params, mla };
}

/** Returns the MoE layers: n_routed_experts set, index >= first_k_dense_replace and index % moe_layer_freq == 0. */
function deepseekMoe(r: ConfigReader, layers: number, dModel: number, routerBias: boolean): MoeShape | undefined {
  if (!r.has('n_routed_experts') && r.defaultOf('n_routed_experts') === null) return undefined;
  const { experts, activeExperts } = readExperts(r, 'n_routed_experts', 'num_experts_per_tok');
  const first = r.wholeOrZero('first_k_dense_replace');
  r.atMost('first_k_dense_replace', first, layers, 'num_hidden_layers');
  const freq = r.count('moe_layer_freq');
  let moeLayers = 0;
  for (let i = first; i < layers; i++) if (i % freq === 0) moeLayers++;
  const expertFfn = r.count('moe_intermediate_size');
  const shared = r.wholeOrZero('n_shared_experts');
  // V3's router also holds e_score_correction_bias (one per expert), stored in the checkpoint.
  return { experts, activeExperts, expertFfn, sharedFfn: shared * expertFfn, sharedExperts: shared, router: dModel * experts + (routerBias ? experts : 0), moeLayers };
}

function readDeepseek(r: ConfigReader, routerBias: boolean): Shape {
  const dModel = r.count('hidden_size');
  const layers = r.count('num_hidden_layers');
  const heads = r.count('num_attention_heads');
  const { params: attention, mla } = mlaParams(r, dModel, heads);
  const moe = deepseekMoe(r, layers, dModel, routerBias);
  const shape: Shape = {
    layers,
    dModel,
    heads,
    kvHeads: heads, // MLA: every head has its own key and value, decompressed from the shared latent
    headDim: mla.qkNopeHeadDim + mla.qkRopeHeadDim,
    vocab: r.count('vocab_size'),
    attention,
    mla,
    ffnDim: moe && moe.moeLayers === layers && !r.has('intermediate_size') ? 0 : r.count('intermediate_size'),
    ffnGated: true,
    mlpBias: false,
    layerNorms: 2 * dModel,
    tiedEmbeddings: r.flag('tie_word_embeddings'),
    positions: 0,
    outside: dModel,
    dropout: r.probability('attention_dropout') > 0,
  };
  if (moe) shape.moe = moe;
  return shape;
}

const KNOWN = [
  'num_key_value_heads', 'topk_method', 'n_group', 'topk_group', 'routed_scaling_factor', 'scoring_func', 'aux_loss_alpha',
  'seq_aux', 'ep_size', 'num_nextn_predict_layers', 'rope_interleave', 'first_k_dense_replace', 'moe_layer_freq',
];
const mtpNote = (r: ConfigReader): string[] => {
  const n = r.config['num_nextn_predict_layers'];
  return typeof n === 'number' && n > 0 ? [`num_nextn_predict_layers: the ${n} multi-token-prediction layer(s) are not counted (DeepSeek-V3 counts its 671B without them)`] : [];
};
const V2: Defaults = {
  vocab_size: 102400, hidden_size: 4096, intermediate_size: 11008, moe_intermediate_size: 1407, num_hidden_layers: 30,
  num_attention_heads: 32, n_shared_experts: null, n_routed_experts: null, num_experts_per_tok: null, moe_layer_freq: 1,
  first_k_dense_replace: 0, q_lora_rank: 1536, kv_lora_rank: 512, qk_rope_head_dim: 64, v_head_dim: 128, qk_nope_head_dim: 128,
  max_position_embeddings: 2048, tie_word_embeddings: false, attention_bias: false,
};

/** DeepseekV2ForCausalLM (also DeepSeek-V2-Lite, whose queries are not compressed: q_lora_rank null). */
export const deepseekV2: Family = {
  reference: 'transformers models/deepseek_v2/modeling_deepseek_v2.py',
  defaults: V2,
  contextKeys: CONTEXT,
  known: KNOWN,
  read: (r) => readDeepseek(r, false),
  notes: mtpNote,
};

/** DeepseekV3ForCausalLM: V2's shapes with a router bias per expert. */
export const deepseekV3: Family = {
  reference: 'transformers models/deepseek_v3/modeling_deepseek_v3.py',
  defaults: {
    ...V2, vocab_size: 129280, hidden_size: 7168, intermediate_size: 18432, moe_intermediate_size: 2048, num_hidden_layers: 61,
    num_attention_heads: 128, n_shared_experts: 1, n_routed_experts: 256, num_experts_per_tok: 8, first_k_dense_replace: 3,
    max_position_embeddings: 4096,
  },
  contextKeys: CONTEXT,
  known: KNOWN,
  read: (r) => readDeepseek(r, true),
  notes: mtpNote,
};
