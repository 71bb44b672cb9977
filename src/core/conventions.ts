/**
 * FLOP-counting conventions of published counts, rates and MFUs, and the conversion between them,
 * so that a reported figure is compared with a prediction counted the same way (issue 11). A
 * training token costs, per convention (N parameters, A = 12·L·H·Q·T full-attention FLOPs per
 * token, PaLM paper Appendix B):
 *   model FLOPs:            6·N + a,           a = A (full), A/2 (causal), 0 (not counted)
 *   selective recomputation: 6·N + a·4/3       (attention forward recomputed, Korthikanti et al. 2022 §5)
 *   full recomputation:      8·N + a·4/3       (every forward pass twice: +33 %, e.g. Gopher's count)
 * N is all parameters (6ND, PaLM), all but the input embedding table (Megatron's count, Narayanan et al.
 * 2021 Eq. 3 and Korthikanti et al. 2022: the logit layer's 6·V·h counts, the lookup does not; the same
 * as all parameters when embeddings are tied) or the non-embedding ones (Kaplan et al. 2020).
 */

/** How a FLOP figure was counted; an absent field is not stated by its source. */
export interface FlopConvention {
  recomputation?: 'none' | 'selective' | 'full' | undefined;
  attention?: 'none' | 'causal' | 'full' | undefined;
  params?: 'total' | 'no-input-embedding' | 'non-embedding' | undefined;
}

/** A fully stated convention. */
export type FullConvention = Required<{ [K in keyof FlopConvention]: NonNullable<FlopConvention[K]> }>;

/** The convention of the 6·N·D count (Kaplan et al. 2020): all (active) parameters, no attention, no recomputation. */
export const SIX_ND: FullConvention = { recomputation: 'none', attention: 'none', params: 'total' };
/** The convention of PaLM's count and MFU (Chowdhery et al. 2022, Appendix B): 6·N + 12·L·H·Q·T, no recomputation. */
export const PALM: FullConvention = { recomputation: 'none', attention: 'full', params: 'total' };

/** What the per-token count of a model needs: its (active) parameters and, where known, embeddings and attention. */
export interface ConventionShape {
  /** Parameters active per token. */
  params: number;
  /** Parameters of one embedding table (vocabulary x dModel), when the architecture is known. */
  embeddingTableParams?: number | undefined;
  /** Input and output share one table (then only the non-embedding count leaves it out). */
  tiedEmbeddings?: boolean | undefined;
  /** Full-attention FLOPs per training token, 12·L·H·Q·T, when the architecture is known. */
  attentionFlopsPerToken?: number | undefined;
}

/**
 * Returns the training FLOPs per token of a model under a fully stated convention.
 * @example flopsPerToken({ params: 1e9, attentionFlopsPerToken: 1e8 }, { recomputation: 'full', attention: 'full', params: 'total' }) // 8e9 + 1.333e8
 */
export function flopsPerToken(shape: ConventionShape, convention: FullConvention): number {
  const table = shape.embeddingTableParams ?? 0;
  const tables = shape.tiedEmbeddings ? 1 : 2;
  const left = convention.params === 'non-embedding' ? tables : convention.params === 'no-input-embedding' ? tables - 1 : 0;
  const n = shape.params - left * table;
  const full = shape.attentionFlopsPerToken ?? 0;
  const attention = convention.attention === 'full' ? full : convention.attention === 'causal' ? full / 2 : 0;
  switch (convention.recomputation) {
    case 'none':
      return 6 * n + attention;
    case 'selective':
      return 6 * n + (attention * 4) / 3;
    case 'full':
      return 8 * n + (attention * 4) / 3;
  }
}

/** A reported figure converted to another convention. */
export interface Conversion {
  /** Multiply the reported FLOPs (or FLOP rate, or MFU) by this to count them as the target does. */
  factor: number;
  /** What was converted, one entry per field, e.g. "recomputation full -> none"; empty when nothing was. */
  steps: string[];
  /** Fields the source does not state, taken to be as the target counts them. */
  unknown: (keyof FlopConvention)[];
  /** Conversions that need the architecture (embeddings, attention) and could not be made without it. */
  missing: string[];
}

const FIELDS = ['recomputation', 'attention', 'params'] as const;

/**
 * Returns the factor that turns a figure counted by `from` into one counted by `to` (the ratio of
 * per-token FLOPs), with what it changed; fields `from` does not state are taken as in `to` and
 * listed as unknown, and an attention or embedding change is skipped (and listed) when the shape
 * lacks the numbers it needs.
 * @example convertFlops({ params: 280e9 }, { recomputation: 'full' }, SIX_ND).factor // 0.75 (Gopher's count)
 */
export function convertFlops(shape: ConventionShape, from: FlopConvention, to: FullConvention): Conversion {
  const unknown = FIELDS.filter((f) => from[f] === undefined);
  const missing: string[] = [];
  const source = { ...to } as FullConvention;
  const steps: string[] = [];
  for (const f of FIELDS) {
    const value = from[f];
    if (value === undefined || value === to[f]) continue;
    if (f === 'attention' && shape.attentionFlopsPerToken === undefined) {
      missing.push(`attention ${value} -> ${to[f]} (architecture unknown)`);
      continue;
    }
    if (f === 'params' && shape.embeddingTableParams === undefined) {
      missing.push(`params ${value} -> ${to[f]} (architecture unknown)`);
      continue;
    }
    (source as Record<string, string>)[f] = value;
    steps.push(`${f} ${value} -> ${to[f]}`);
  }
  return { factor: flopsPerToken(shape, to) / flopsPerToken(shape, source), steps, unknown, missing };
}

/** Returns a short human description of a convention, e.g. "recompute full, attention causal, N total" ("?" where not stated). */
export function describeConvention(c: FlopConvention): string {
  return `recompute ${c.recomputation ?? '?'}, attention ${c.attention ?? '?'}, N ${c.params ?? '?'}`;
}
