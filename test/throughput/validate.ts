// Predicted vs measured tokens/s per GPU for every row of the validation table (test/validation/):
// the row's published plan, with every knob the source does not state searched for the best the
// model predicts (the authors tuned what they did not print). Used by validation.test.ts and by
// `npm run validate` (which prints the table).
import { readFileSync } from 'node:fs';
import { throughputModelRows, type ValidationRow } from '../validation/schema.js';
import { OPTIMIZERS } from '../../src/core/memory.js';
import { deviceOf, searchPlans, stateBytesOf, throughputModel, type Evaluation, type Plan, type ZeroStage } from '../../src/core/throughput/index.js';

/** One row of the validation table (test/validation/schema.ts). */
export type Row = ValidationRow;

/** One row's prediction. */
export interface Prediction {
  row: Row;
  evaluation: Evaluation | undefined;
  predicted: number;
  measured: number;
  /** log(predicted / measured). */
  logRatio: number;
}

const PRESETS = new URL('../../presets/', import.meta.url);

/** Returns the rows of the validation table the throughput model is checked on (no `system` rows). */
export function validationRows(): Row[] {
  return throughputModelRows();
}

const json = (path: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(path, PRESETS), 'utf8')) as Record<string, unknown>;
/** Returns a preset's sourced number; throws naming the preset field when it is missing (the model needs it). */
const value = (o: Record<string, unknown>, key: string): number => {
  const n = (o[key] as { value: number } | undefined)?.value;
  if (n === undefined) throw new Error(`preset ${String(o['name'])} has no ${key}, which the throughput model needs`);
  return n;
};

/**
 * The year of a row's source: printed in its citation ("Narayanan et al. 2021, ..."), else that of
 * its arXiv number (arXiv:2407.21783 is July 2024).
 */
export function sourceYear(row: Row): number {
  const cited = /\b(20\d\d)\b/.exec(row.source.paper);
  if (cited) return Number(cited[1]);
  const arxiv = /(?:arXiv:|arxiv\.org\/(?:abs|pdf)\/)(\d\d)\d\d\./i.exec(`${row.source.paper} ${row.source.url}`);
  if (arxiv) return 2000 + Number(arxiv[1]);
  throw new Error(`${row.id}: no year in its source`);
}

/**
 * How the row's attention ran, from its source's year: FlashAttention (Dao et al., arXiv:2205.14135,
 * May 2022) reached Megatron-LM and DeepSpeed in 2023, so runs published up to 2022 wrote the
 * scores to HBM (materialized) and later ones are taken to run FlashAttention.
 */
export function attentionOf(row: Row): 'flash' | 'materialized' {
  return sourceYear(row) <= 2022 ? 'materialized' : 'flash';
}

/** Returns the prediction for one row. */
export function predictRow(row: Row): Prediction {
  const gpu = json(`gpus/${row.hardware.gpu}.json`);
  const cluster = row.hardware.cluster ? json(`clusters/${row.hardware.cluster}.json`) : undefined;
  const peaks = gpu['peakTflops'] as Record<string, { value: number } | undefined>;
  const peak = (peaks[row.hardware.precision ?? 'bf16'] ?? peaks['bf16'] ?? peaks['fp16'] ?? { value: Number.NaN }).value * 1e12;
  // A run inside one scale-up domain (a TPU slice) never uses the scale-out network.
  const inDomain = row.hardware.gpus <= value(gpu, 'scaleUpDomainGpus');
  const scaleOut = cluster?.['scaleOutGbpsPerGpu'] ? value(cluster, 'scaleOutGbpsPerGpu') : inDomain && !gpu['scaleOutGbpsPerGpu'] ? 8 * value(gpu, 'scaleUpGBpsPerDirection') : value(gpu, 'scaleOutGbpsPerGpu');
  const device = deviceOf({
    gpuName: row.hardware.gpu,
    peakFlopsPerSecond: peak,
    memoryBytes: value(gpu, 'memoryGb') * 1e9,
    memoryBandwidthTBs: value(gpu, 'memoryBandwidthTBs'),
    scaleUpGBpsPerDirection: value(gpu, 'scaleUpGBpsPerDirection'),
    scaleUpDomainGpus: value(gpu, 'scaleUpDomainGpus'),
    scaleOutGbpsPerGpu: scaleOut,
  });
  const arch = row.model.architecture;
  const model = throughputModel({
    arch,
    device,
    modelFlopsPerToken: 6 * row.model.params,
    // The tool's default optimizer (mixed-precision Adam with fp32 gradients, OPTIMIZERS).
    stateBytes: stateBytesOf(OPTIMIZERS['adam-mixed']),
    sequenceParallel: row.plan.sequenceParallel ?? true,
    attention: attentionOf(row),
  });
  const fixed: Partial<Plan> = {};
  for (const key of ['tensorParallel', 'pipelineParallel', 'dataParallel', 'contextParallel', 'expertParallel', 'microBatch', 'globalBatch', 'recompute', 'virtualStages', 'zero'] as const) {
    const v = row.plan[key];
    if (v !== undefined) (fixed as Record<string, unknown>)[key] = v;
  }
  if (fixed.zero === undefined && row.plan.distributedOptimizer) fixed.zero = 1 as ZeroStage;
  // Unstated micro-batch: 1, the memory-lean case the sources use for their largest models
  // (presets/defaults.json). Unstated ZeRO for sources up to 2022: none (Megatron-LM's distributed
  // optimizer came later). Unstated interleaving and recomputation are searched.
  if (fixed.microBatch === undefined) fixed.microBatch = 1;
  if (fixed.zero === undefined && sourceYear(row) <= 2022) fixed.zero = 0;
  // A source without its global batch: two micro-batches per pipeline stage per data-parallel rank.
  const globalBatch = fixed.globalBatch ?? 2 * (fixed.pipelineParallel ?? 1) * (fixed.dataParallel ?? 1);
  const search = searchPlans(arch, { memory: model.memory, evaluate: model.evaluate, memoryBytes: device.memoryBytes, scaleUpDomainGpus: device.scaleUpDomainGpus }, {
    gpus: row.hardware.gpus,
    globalBatch,
    fixed,
    maxMicroBatch: 64,
    recompute: attentionOf(row) === 'flash' ? ['selective', 'full'] : ['none', 'selective', 'full'],
  }, 1);
  let evaluation = search.plans[0];
  if (!evaluation && search.closestMiss) evaluation = model.evaluate(search.closestMiss.plan);
  const predicted = evaluation?.tokensPerSecondPerGpu ?? Number.NaN;
  const measured = row.derived.tokensPerSecondPerGpu;
  return { row, evaluation, predicted, measured, logRatio: Math.log(predicted / measured) };
}

/**
 * The rows the fitted constants (SUSTAINED_MATMUL_FRACTION, OVERLAP_EFFICIENCY) were fitted on:
 * Narayanan et al. 2021, Tables 1 and 2 (22 rows, 32 to 3,072 A100, PTD-P and ZeRO-3). Every other
 * source is held out.
 */
export function isFitted(row: Row): boolean {
  return row.id.startsWith('narayanan2021-');
}

/**
 * Rows measured without their global batch (Korthikanti et al. 2022, abstract): the pipeline bubble is
 * not pinned, so they count only for ranking the two recompute modes, not for accuracy.
 */
export function isRankingOnly(row: Row): boolean {
  return row.plan.globalBatch === undefined;
}

/** Returns the median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** Returns Spearman's rank correlation of two equally long lists (average ranks for ties). */
export function spearman(a: number[], b: number[]): number {
  const ranks = (xs: number[]): number[] => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length).fill(0);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j++;
      for (let k = i; k <= j; k++) r[order[k]?.[1] ?? 0] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    const x = (ra[i] ?? 0) - ma;
    const y = (rb[i] ?? 0) - mb;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return num / Math.sqrt(da * db);
}
