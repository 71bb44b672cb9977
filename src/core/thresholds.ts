/** A regulatory compute threshold with its legal source. */
export interface Threshold {
  id: string;
  /** Training compute at or above which it applies, FLOPs. */
  flops: number;
  label: string;
  source: string;
  note?: string;
}

/** Compute thresholds in law or executive orders, lowest first. */
export const THRESHOLDS: readonly Threshold[] = [
  {
    id: 'eu-ai-act',
    flops: 1e25,
    label: 'EU AI Act: presumed general-purpose AI model with systemic risk',
    source: 'Regulation (EU) 2024/1689 (AI Act), Article 51(2): cumulative training compute greater than 10^25 FLOPs',
  },
  {
    id: 'us-eo-14110',
    flops: 1e26,
    label: 'former US reporting threshold for dual-use foundation models',
    source: 'Executive Order 14110 (30 Oct 2023), §4.2(b)(i): models trained with more than 10^26 operations',
    note: 'EO 14110 was rescinded on 20 Jan 2025 (Executive Order 14148); no US rule applies it now, the figure remains a reference in policy debate',
  },
];

/** Result of checking a run against one threshold. */
export interface ThresholdCheck {
  id: string;
  flops: number;
  crossed: boolean;
  label: string;
  source: string;
  note?: string;
}

/**
 * Returns, for every threshold, whether `trainingFlops` crosses it.
 * @example crossedThresholds(3.8e25).map((t) => t.crossed) // [true, false]
 */
export function crossedThresholds(trainingFlops: number): ThresholdCheck[] {
  return THRESHOLDS.map((t) => ({ id: t.id, flops: t.flops, crossed: trainingFlops > t.flops, label: t.label, source: t.source, ...(t.note ? { note: t.note } : {}) }));
}
