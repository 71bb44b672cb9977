// What the default table shows (issue 14): the figures people ask for first, on one screen; --full
// shows every group and every assumption. JSON, CSV, NDJSON and markdown are always complete.
//
// Why these: "how long, on what" (wall-clock with its range, GPU-hours), "how much compute" (FLOPs,
// what thresholds count), "what does it cost" (rent, Epoch AI's amortized cost, capex to build,
// energy), "how much power" (the facility's MW and the energy), and "will it work" (goodput after
// failures; whether the training state fits the GPUs). The inputs behind them (params, tokens, GPUs,
// peak, MFU, prices) are the assumptions that matter; the rest (checkpoint bandwidth, household draw,
// depreciation, ...) rarely changes an answer and waits for --full.

/** One headline result: its dotted key in `results`, and the key of its range shown beside it. */
export interface HeadlineField {
  key: string;
  range?: string;
  /** Keys of the factors the value is the product of, shown after it: "33.4 % = 40.0 % x 92.5 % x 90.3 %". */
  product?: readonly string[];
}

/**
 * The results the default table shows, in order (labels and units from RESULT_FIELDS). A field
 * absent from a report is skipped. The throughput model (issue 10) adds its headline figures here:
 * predicted MFU, tokens/s per GPU, whether the plan fits.
 */
export const HEADLINE_RESULTS: readonly HeadlineField[] = [
  { key: 'trainingFlops' },
  { key: 'wallClockDays', range: 'wallClockDaysRange' },
  { key: 'gpuHours', range: 'gpuHoursRange' },
  { key: 'cloudCostUsd' },
  { key: 'amortizedCostUsd' },
  { key: 'capexUsd' },
  { key: 'energyCostUsd' },
  { key: 'powerMw' },
  { key: 'energyKwh' },
  // The run-level decomposition (issue 11): steady-state MFU x goodput x run utilization.
  { key: 'runMfu', product: ['mfu', 'goodput', 'runUtilization'] },
  { key: 'memory.fits' },
  // The throughput model (issue 10): the plan and its predicted MFU (tokens/s per GPU and whether it
  // fits are in --full; a plan that does not fit is a warning).
  { key: 'throughput.plan' },
  { key: 'throughput.mfu' },
];

/**
 * The inputs the default table names (with where each came from), beside every input given by flag.
 * Keys of the scenario (INPUT_FIELDS labels them); `range` as above.
 */
export const HEADLINE_INPUTS: readonly HeadlineField[] = [
  { key: 'params' },
  { key: 'activeParams' },
  { key: 'tokens' },
  { key: 'gpus' },
  { key: 'gpuPeakFlopsPerSecond' },
  { key: 'mfu' },
  { key: 'gpuPriceUsd' },
  { key: 'usdPerGpuHour' },
  { key: 'electricityUsdPerKwh' },
  { key: 'budgetDays' },
];
