// zod/mini, not the classic `zod` API: the same validation and messages from ~15x less code to load,
// which is most of the CLI's start-up time (see README, Performance). Write `z.optional(x)`,
// `x.check(z.minLength(1))`, `x.check(z.positive(...))`, `z.partial(schema)` instead of the methods.
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { OPTIMIZERS, type Optimizer } from '../core/memory.js';
import { PRECISIONS, type Precision } from './precisions.js';
import { ARCHITECTURE_RELATIONS, relationProblem, relations, type ArchitectureNumbers } from '../core/quantity.js';
import { quantity, related, sourced } from './rules.js';

export { PRECISIONS, type Precision };

// zod/mini has no default locale: use zod's English messages (formatIssue rewrites them).
z.config(en());

const name = z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]*$/, 'expected a lower-case name (a-z, 0-9, ".", "-")'));
const source = z.string().check(z.minLength(3, 'expected a source: title + table/section, or URL'));

// The quantity rule set (src/core/quantity.ts): the same rules and messages as the flags.
/** A positive number with where it comes from. */
export const sourcedNumber = sourced('positive');
/** A fraction in (0, 1] with where it comes from. */
export const sourcedFraction = sourced('fraction');
/** A positive whole number (a count) with where it comes from. */
export const sourcedCount = sourced('integer');
/** A number >= 0 with where it comes from. */
export const sourcedNonNegative = sourced('nonNegative');
/** A sourced number in JSON: `{ value, source, note? }`. */
export type SourcedNumber = z.infer<typeof sourcedNumber>;

const peaks = z.strictObject(
  Object.fromEntries(PRECISIONS.map((p) => [p, z.optional(sourcedNumber)])) as Record<
    Precision,
    z.ZodMiniOptional<typeof sourcedNumber>
  >,
);

/** An accelerator: dense peaks per precision (TFLOP/s), memory, power, prices, memory and link bandwidths. */
export const gpuSchema = z.strictObject({
  name,
  label: z.string().check(z.minLength(1)),
  vendor: z.enum(['nvidia', 'amd', 'google', 'other']),
  /** Architecture generation; published runs on one family calibrate the default MFU of all its parts. */
  family: name,
  peakTflops: peaks.check(z.refine((p) => Object.values(p).some((v) => v !== undefined), 'expected at least one precision')),
  /** HBM capacity, GB (10^9 bytes); a figure given in GiB is converted (32 GiB = 34.36 GB). */
  memoryGb: sourcedNumber,
  /** HBM bandwidth, TB/s (10^12 bytes/s), the datasheet peak (reads + writes share it). */
  memoryBandwidthTBs: z.optional(sourcedNumber),
  /**
   * Scale-up link (NVLink / Infinity Fabric / ICI) bandwidth of one GPU, GB/s (10^9 bytes/s), per
   * direction, summed over all its links: half the bidirectional figure datasheets quote (H100 SXM:
   * 900 GB/s bidirectional = 450 GB/s per direction).
   */
  scaleUpGBpsPerDirection: z.optional(sourcedNumber),
  /** GPUs that reach each other over the scale-up link (8 for HGX H100, 72 for GB200 NVL72, a TPU slice). */
  scaleUpDomainGpus: z.optional(sourcedCount),
  /**
   * The vendor's reference system for this GPU (e.g. "NVIDIA DGX H100"): the two fields below describe
   * it, and are the defaults when the GPU is given without a cluster (a cluster's own fields win).
   */
  referenceSystem: z.optional(z.string().check(z.minLength(1))),
  /** GPUs in one server (node) of the reference system. */
  gpusPerNode: z.optional(sourcedCount),
  /** Scale-out network (InfiniBand / RoCE / Ethernet / TPU DCN) per GPU in the reference system, Gb/s (10^9 bits/s), per direction. */
  scaleOutGbpsPerGpu: z.optional(sourcedNumber),
  tdpW: z.optional(sourcedNumber),
  priceUsd: z.optional(sourcedNonNegative),
  cloudUsdPerHour: z.optional(sourcedNonNegative),
  note: z.optional(z.string()),
});
/** An accelerator preset. */
export type GpuPreset = z.infer<typeof gpuSchema>;

const count = quantity('integer');

/** A published architecture: enough to count FLOPs and memory precisely. */
export const architectureSchema = z.strictObject({
  layers: count,
  dModel: count,
  heads: count,
  kvHeads: z.optional(count),
  ffnDim: z.optional(count),
  vocabSize: z.optional(count),
  /** Attention head dimension when it is not dModel / heads (PaLM 540B: 256). */
  headDim: z.optional(count),
  /** Input and output embeddings shared (GPT-3, PaLM) or separate (Llama). */
  tiedEmbeddings: z.optional(z.boolean()),
  seqLen: count,
  /** Gated FFN (SwiGLU/GeGLU: three d_model x ffnDim matrices, as Llama) rather than a two-matrix MLP (GPT-3). */
  ffnGated: z.optional(z.boolean()),
  /** Trained with dropout (adds dropout masks to the stored activations, Korthikanti et al. 2022 Table 2). */
  dropout: z.optional(z.boolean()),
  /** Multi-head latent attention (DeepSeek-V2/V3): low-rank query and key-value projections. */
  mla: z.optional(z.strictObject({
    /** Query compression rank; absent when queries are not compressed (DeepSeek-V2-Lite). */
    qLoraRank: z.optional(count),
    kvLoraRank: count,
    qkNopeHeadDim: count,
    qkRopeHeadDim: count,
    vHeadDim: count,
  })),
  moe: z.optional(z
    .strictObject({
      experts: count,
      activeExperts: count,
      sharedExperts: z.optional(quantity('nonNegativeInteger')),
      moeFfnDim: z.optional(count),
      denseLayers: z.optional(quantity('nonNegativeInteger')),
    })),
  source,
  note: z.optional(z.string()),
}).check(
  // The relations flags over an architecture keep too (src/core/quantity.ts); the part is blamed, the whole named by its key.
  ...ARCHITECTURE_RELATIONS.map((r) => related(r.part.split('.'), (a: ArchitectureNumbers) => relationProblem(r, a, 'part', r.whole.split('.').pop() as string))),
);

/** What the published accelerator-hours (or wall-clock) of a run cover. */
export const RUN_COVERAGES = ['pre-training', 'all-training', 'whole-project', 'steps-only', 'unknown'] as const;
/** One of RUN_COVERAGES. */
export type RunCoverage = (typeof RUN_COVERAGES)[number];

/**
 * How a published FLOP count, FLOP rate or MFU was counted; an absent field is not stated by the source.
 * The backtest converts between conventions (src/core/conventions.ts) before comparing.
 */
export const flopConventionSchema = z.strictObject({
  /** Recomputed forward passes counted: 'full' (every layer checkpointed: hardware FLOPs, +33 %), 'selective' (attention only), 'none' (model FLOPs). */
  recomputation: z.optional(z.enum(['none', 'selective', 'full'])),
  /** Attention-score FLOPs (QK^T, attention x V): not counted, the causal half, or the full s x s matrix (PaLM's 12·L·H·Q·T). */
  attention: z.optional(z.enum(['none', 'causal', 'full'])),
  /** Which parameters the 6·N term counts: all (6ND, PaLM), all but the input embedding lookup (Megatron: the logit layer counts), or the non-embedding ones (Kaplan et al.). */
  params: z.optional(z.enum(['total', 'no-input-embedding', 'non-embedding'])),
});
/** A FLOP-counting convention. */
export type FlopConvention = z.infer<typeof flopConventionSchema>;

/** A published MFU in (0, 1], with the FLOP convention it was computed with. */
const reportedMfu = z.strictObject({
  value: quantity('fraction'),
  flops: z.optional(flopConventionSchema),
  source,
  note: z.optional(z.string()),
});

/** A published steady-state throughput per accelerator (at least one rate), and where it was measured. */
const throughputSchema = z
  .strictObject({
    tokensPerSecondPerGpu: z.optional(quantity('positive')),
    /** Achieved TFLOP/s per accelerator, counted by `flops`. */
    tflopsPerGpu: z.optional(quantity('positive')),
    flops: z.optional(flopConventionSchema),
    /** Seconds per optimizer step. */
    stepSeconds: z.optional(quantity('positive')),
    /** Accelerators in the configuration it was measured on, when not the run's own count. */
    gpus: z.optional(count),
    source,
    note: z.optional(z.string()),
  })
  .check(z.refine((t) => t.tokensPerSecondPerGpu !== undefined || t.tflopsPerGpu !== undefined || t.stepSeconds !== undefined, 'expected tokensPerSecondPerGpu, tflopsPerGpu or stepSeconds'));

/** The parallel plan and batch of a published run, as its source gives them (absent: not stated). */
const runPlanSchema = z.strictObject({
  tensorParallel: z.optional(count),
  pipelineParallel: z.optional(count),
  dataParallel: z.optional(count),
  contextParallel: z.optional(count),
  expertParallel: z.optional(count),
  /** Interleaved pipeline stages per GPU (Megatron's virtual pipeline size). */
  virtualStages: z.optional(count),
  sequenceParallel: z.optional(z.boolean()),
  /** ZeRO stage (FSDP full sharding = 3); 0 for plain data parallelism. */
  zeroStage: z.optional(quantity('nonNegativeInteger').check(z.maximum(3, 'expected a ZeRO stage 0 to 3'))),
  recompute: z.optional(z.enum(['none', 'selective', 'full'])),
  /** Sequences per micro-batch per GPU. */
  microBatch: z.optional(count),
  /** Sequences per optimizer step (the final value when it was ramped). */
  globalBatch: z.optional(count),
  seqLen: z.optional(count),
  source,
  note: z.optional(z.string()),
});

/** A published training run of a model. */
export const runSchema = z.strictObject({
  gpu: name,
  precision: z.enum(PRECISIONS),
  gpus: z.optional(sourcedCount),
  gpuHours: z.optional(sourcedNumber),
  wallClockDays: z.optional(sourcedNumber),
  /** What gpuHours / wallClockDays cover: pre-training only, pre- and post-training, the whole project, only the steps' own time (steps x step time), or not stated (also when absent). */
  coverage: z.optional(z.strictObject({ value: z.enum(RUN_COVERAGES), source, note: z.optional(z.string()) })),
  mfu: z.optional(reportedMfu),
  throughput: z.optional(throughputSchema),
  plan: z.optional(runPlanSchema),
  energyMwh: z.optional(sourcedNumber),
  co2Tonnes: z.optional(sourcedNumber),
  costUsd: z.optional(sourcedNumber),
  note: z.optional(z.string()),
});
/** A published run of a model preset. */
export type RunPreset = z.infer<typeof runSchema>;

/** A model: parameters, tokens and, where published, architecture and run. */
export const modelSchema = z.strictObject({
  name,
  label: z.string().check(z.minLength(1)),
  params: sourcedNumber,
  activeParams: z.optional(sourcedNumber),
  tokens: sourcedNumber,
  reportedFlops: z.optional(z.strictObject({ value: quantity('positive'), flops: z.optional(flopConventionSchema), source, note: z.optional(z.string()) })),
  architecture: z.optional(architectureSchema),
  run: z.optional(runSchema),
  note: z.optional(z.string()),
}).check(related(['activeParams', 'value'], (m: { params: { value: number }; activeParams?: { value: number } }) =>
  m.activeParams === undefined ? undefined : relations.atMost(m.activeParams.value, m.params.value, 'params.value')));
/** A model preset. */
export type ModelPreset = z.infer<typeof modelSchema>;

/** A cluster: which GPU, how many, and defaults of its own. */
export const clusterSchema = z.strictObject({
  name,
  label: z.string().check(z.minLength(1)),
  gpu: name,
  gpus: sourcedCount,
  /** GPUs in one server (node) of the cluster. */
  gpusPerNode: z.optional(sourcedCount),
  /** Scale-out network (InfiniBand / RoCE / Ethernet) per GPU, Gb/s (10^9 bits/s), per direction. */
  scaleOutGbpsPerGpu: z.optional(sourcedNumber),
  mfu: z.optional(sourcedFraction),
  /** Published low-high MFU of the cluster's runs. */
  mfuRange: z.optional(z.strictObject({ low: quantity('fraction'), high: quantity('fraction'), source, note: z.optional(z.string()) }).check(
    related(['low'], (r: { low: number; high: number }) => relations.ordered(r.low, r.high)),
  )),
  powerFactor: z.optional(sourcedNumber),
  electricityUsdPerKwh: z.optional(sourcedNonNegative),
  gpuPriceUsd: z.optional(sourcedNonNegative),
  note: z.optional(z.string()),
}).check(related(['mfu', 'value'], (c: { mfu?: { value: number }; mfuRange?: { low: number; high: number } }) =>
  c.mfu && c.mfuRange && c.mfuRange.low <= c.mfuRange.high ? relations.within(c.mfu.value, c.mfuRange.low, c.mfuRange.high, 'mfuRange') : undefined));
/** A cluster preset. */
export type ClusterPreset = z.infer<typeof clusterSchema>;

/** Global defaults, each sourced. */
export const defaultsSchema = z.strictObject({
  precision: z.strictObject({ value: z.enum(PRECISIONS), source, note: z.optional(z.string()) }),
  cluster: z.strictObject({ value: name, source, note: z.optional(z.string()) }),
  mfu: sourcedFraction,
  capexMultiplier: sourcedNumber,
  powerFactor: sourcedNumber,
  electricityUsdPerKwh: sourcedNonNegative,
  householdKw: sourcedNumber,
  tokensPerParam: sourcedNumber,
  gpuMtbfHours: sourcedNumber,
  restartMinutes: sourcedNonNegative,
  storageGBps: sourcedNumber,
  optimizer: z.strictObject({ value: z.enum(Object.keys(OPTIMIZERS) as [Optimizer, ...Optimizer[]]), source, note: z.optional(z.string()) }),
  microBatch: sourcedCount,
  tensorParallel: sourcedCount,
  pipelineParallel: sourcedCount,
  gridKgCo2PerKwh: sourcedNonNegative,
  pue: sourcedNumber,
  depreciationOomPerYear: sourcedNumber,
  serverCostOverhead: sourcedNumber,
  interconnectCostFraction: sourcedNumber,
  hardwareAgeYears: sourcedNumber,
  amortizedPowerPerTdp: sourcedNumber,
  flopsMethod: z.strictObject({ value: z.enum(['6nd', 'palm']), source, note: z.optional(z.string()) }),
});
/** The global defaults. */
export type Defaults = z.infer<typeof defaultsSchema>;

/** The kinds of preset, each a folder under presets/. */
export const PRESET_KINDS = ['gpus', 'models', 'clusters'] as const;
/** One kind of preset. */
export type PresetKind = (typeof PRESET_KINDS)[number];
