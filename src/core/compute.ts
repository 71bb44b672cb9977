/**
 * Returns training compute in FLOPs by the 6·N·D rule (Kaplan et al. 2020, "Scaling Laws for
 * Neural Language Models", §2.1): 2 FLOPs per parameter per token forward, 4 backward.
 * @example trainingFlops6nd(405e9, 15e12) // 3.645e25
 */
export function trainingFlops6nd(params: number, tokens: number): number {
  return 6 * params * tokens;
}

/** Returns the parameter count that a compute budget (FLOPs) buys at a fixed token count, by 6·N·D. */
export function paramsForFlops(trainingFlops: number, tokens: number): number {
  return trainingFlops / (6 * tokens);
}

/** Returns the token count that a compute budget (FLOPs) buys at a fixed parameter count, by 6·N·D. */
export function tokensForFlops(trainingFlops: number, params: number): number {
  return trainingFlops / (6 * params);
}

/**
 * Returns the compute-optimal parameter count for a budget (FLOPs) when tokens = ratio × params
 * (Hoffmann et al. 2022, Chinchilla: ratio ≈ 20), i.e. N = √(C / (6·ratio)).
 * @example computeOptimalParams(5.76e23, 20) // ≈ 6.9e10 (Chinchilla 70B)
 */
export function computeOptimalParams(trainingFlops: number, tokensPerParam: number): number {
  return Math.sqrt(trainingFlops / (6 * tokensPerParam));
}

/** The architecture numbers the attention term needs. */
export interface AttentionShape {
  layers: number;
  /** Query heads. */
  heads: number;
  /** Query/key head dimension (dModel / heads unless the model says otherwise). */
  headDim: number;
  /** Value head dimension when it differs from the query/key one (MLA: 128 against 192). */
  valueHeadDim?: number | undefined;
  seqLen: number;
}

/**
 * Returns the attention FLOPs per training token, 12·L·H·Q·T (PaLM paper, Chowdhery et al. 2022,
 * Appendix B): 6·L·H·T·Q for the QK^T product and as much for attention-times-V, forward and
 * backward. With a value head size of its own (MLA) the second product uses it: 6·L·H·T·(Q + Q_v).
 * @example attentionFlopsPerToken({ layers: 118, heads: 48, headDim: 256, seqLen: 2048 }) // ≈ 3.56e10 (PaLM 540B)
 */
export function attentionFlopsPerToken(shape: AttentionShape): number {
  return 6 * shape.layers * shape.heads * shape.seqLen * (shape.headDim + (shape.valueHeadDim ?? shape.headDim));
}

/**
 * Returns training compute in FLOPs by the PaLM form, (6·N + 12·L·H·Q·T)·D, N = the model's
 * (active) parameter count, embeddings included, as PaLM counts it (PaLM paper, Appendix B:
 * N = 540.35B gives its 2.56e24 FLOPs and 46.2 % MFU).
 * @example trainingFlopsPalm(540.35e9, 780e9, { layers: 118, heads: 48, headDim: 256, seqLen: 2048 }) // ≈ 2.56e24
 */
export function trainingFlopsPalm(params: number, tokens: number, shape: AttentionShape): number {
  return (6 * params + attentionFlopsPerToken(shape)) * tokens;
}

/** Ways to count training FLOPs. */
export type FlopsMethod = '6nd' | 'palm';

/** The architecture numbers a FLOP count reads (the shape of presets' `Architecture`). */
export interface ComputeArchitecture {
  layers: number;
  dModel: number;
  heads: number;
  headDim?: number | undefined;
  seqLen: number;
  /** Multi-head latent attention: Q/K heads of qkNope + qkRope, V heads of vHeadDim. */
  mla?: { qkNopeHeadDim: number; qkRopeHeadDim: number; vHeadDim: number } | undefined;
}

/** Returns the attention shape of an architecture: query/key and value head sizes (MLA's differ). */
export function attentionShapeOf(arch: ComputeArchitecture): AttentionShape {
  const { layers, heads, seqLen, mla } = arch;
  if (mla) return { layers, heads, seqLen, headDim: mla.qkNopeHeadDim + mla.qkRopeHeadDim, valueHeadDim: mla.vHeadDim };
  return { layers, heads, seqLen, headDim: arch.headDim ?? arch.dModel / heads };
}

/** What the FLOP count of a run is made from. */
export interface ComputeInputs {
  /** Total parameters. */
  params: number;
  /** Parameters active per token (MoE); equal to params for dense models. */
  activeParams?: number | undefined;
  tokens: number;
  /** Architecture for the attention term; only 6·N·D without it. */
  architecture?: ComputeArchitecture | undefined;
  method: FlopsMethod;
}

/** Both FLOP counts of a run and the one that drives time and cost. */
export interface ComputeResult {
  trainingFlops: number;
  flopsMethod: FlopsMethod;
  trainingFlops6nd: number;
  trainingFlopsPalm?: number;
  /** Share of the PaLM count that is attention (12·L·H·Q·T over the per-token total). */
  attentionShare?: number;
}

/**
 * Returns the training FLOPs by 6·N·D (N = active parameters) and, when the architecture is known,
 * by the PaLM form with the attention term on the same N; `method` picks the one that drives time and cost.
 */
export function trainingCompute(inputs: ComputeInputs): ComputeResult {
  const active = inputs.activeParams ?? inputs.params;
  const flops6nd = trainingFlops6nd(active, inputs.tokens);
  const arch = inputs.architecture;
  if (!arch) {
    if (inputs.method === 'palm') throw new Error('trainingCompute: the palm method needs the architecture');
    return { trainingFlops: flops6nd, flopsMethod: '6nd', trainingFlops6nd: flops6nd };
  }
  const shape = attentionShapeOf(arch);
  const palm = trainingFlopsPalm(active, inputs.tokens, shape);
  const attention = attentionFlopsPerToken(shape);
  return {
    trainingFlops: inputs.method === 'palm' ? palm : flops6nd,
    flopsMethod: inputs.method,
    trainingFlops6nd: flops6nd,
    trainingFlopsPalm: palm,
    attentionShare: attention / (6 * active + attention),
  };
}
