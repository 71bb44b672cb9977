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
