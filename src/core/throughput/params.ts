// The parameter count of an architecture as the throughput model holds it (the weights that the
// memory and data-parallel traffic of a plan are made of): to check it against a stated count.
import type { ThroughputArchitecture } from './block.js';

/**
 * Returns the parameters of `arch` (a count): per block two norms, the attention projections (MLA's
 * low-rank ones where given), the FFN or the router, routed and shared experts; the embedding and,
 * when not tied, the output table (none without a vocabulary). The same shapes as blockCost's
 * denseParams + expertParams at TP 1, and edgeCost's tables.
 */
export function architectureParams(arch: ThroughputArchitecture): number {
  const h = arch.dModel;
  const a = arch.heads;
  const qk = arch.mla ? arch.mla.qkNopeHeadDim + arch.mla.qkRopeHeadDim : (arch.headDim ?? h / a);
  const v = arch.mla ? arch.mla.vHeadDim : qk;
  let attention: number;
  if (arch.mla) {
    const m = arch.mla;
    attention = (m.qLoraRank ? h * m.qLoraRank + m.qLoraRank * a * qk : h * a * qk) + h * (m.kvLoraRank + m.qkRopeHeadDim) + m.kvLoraRank * a * (m.qkNopeHeadDim + v);
  } else {
    attention = h * (a + 2 * (arch.kvHeads ?? a)) * qk;
  }
  attention += h * a * v;
  const matrices = arch.ffnGated ? 3 : 2;
  const denseBlock = 2 * h + attention + matrices * h * (arch.ffnDim ?? 4 * h);
  let blocks = arch.layers * denseBlock;
  if (arch.moe) {
    const e = arch.moe;
    const width = e.moeFfnDim ?? arch.ffnDim ?? 4 * h;
    const moeBlock = 2 * h + attention + h * e.experts + matrices * h * width * ((e.sharedExperts ?? 0) + e.experts);
    const dense = Math.min(arch.layers, e.denseLayers ?? 0);
    blocks = dense * denseBlock + (arch.layers - dense) * moeBlock;
  }
  const tables = arch.vocabSize === undefined ? 0 : (arch.tiedEmbeddings ? 1 : 2) * arch.vocabSize * h;
  return blocks + tables;
}
