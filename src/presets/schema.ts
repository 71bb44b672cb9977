import { z } from 'zod';
import { OPTIMIZERS, type Optimizer } from '../core/memory.js';
import { PRECISIONS, type Precision } from './precisions.js';

export { PRECISIONS, type Precision };

const name = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'expected a lower-case name (a-z, 0-9, ".", "-")');
const source = z.string().min(3, 'expected a source: title + table/section, or URL');
const positive = z.number({ error: 'expected a positive number' }).positive('expected a positive number');

/** A positive number with where it comes from. */
export const sourcedNumber = z.strictObject({ value: positive, source, note: z.string().optional() });
/** A fraction in (0, 1] with where it comes from. */
export const sourcedFraction = z.strictObject({
  value: positive.max(1, 'expected a fraction in (0, 1]'),
  source,
  note: z.string().optional(),
});
/** A sourced number in JSON: `{ value, source, note? }`. */
export type SourcedNumber = z.infer<typeof sourcedNumber>;

const peaks = z.strictObject(
  Object.fromEntries(PRECISIONS.map((p) => [p, sourcedNumber.optional()])) as Record<
    Precision,
    z.ZodOptional<typeof sourcedNumber>
  >,
);

/** An accelerator: dense peaks per precision (TFLOP/s), memory, power, prices. */
export const gpuSchema = z.strictObject({
  name,
  label: z.string().min(1),
  vendor: z.enum(['nvidia', 'amd', 'google', 'other']),
  /** Architecture generation; published runs on one family calibrate the default MFU of all its parts. */
  family: name,
  peakTflops: peaks.refine((p) => Object.values(p).some((v) => v !== undefined), 'expected at least one precision'),
  memoryGb: sourcedNumber,
  memoryBandwidthTBs: sourcedNumber.optional(),
  tdpW: sourcedNumber.optional(),
  priceUsd: sourcedNumber.optional(),
  cloudUsdPerHour: sourcedNumber.optional(),
  note: z.string().optional(),
});
/** An accelerator preset. */
export type GpuPreset = z.infer<typeof gpuSchema>;

const count = z.number({ error: 'expected a positive integer' }).int('expected a positive integer').positive('expected a positive integer');

/** A published architecture: enough to count FLOPs and memory precisely. */
export const architectureSchema = z.strictObject({
  layers: count,
  dModel: count,
  heads: count,
  kvHeads: count.optional(),
  ffnDim: count.optional(),
  vocabSize: count.optional(),
  /** Attention head dimension when it is not dModel / heads (PaLM 540B: 256). */
  headDim: count.optional(),
  /** Input and output embeddings shared (GPT-3, PaLM) or separate (Llama). */
  tiedEmbeddings: z.boolean().optional(),
  seqLen: count,
  moe: z
    .strictObject({
      experts: count,
      activeExperts: count,
      sharedExperts: z.number().int().nonnegative().optional(),
      moeFfnDim: count.optional(),
      denseLayers: z.number().int().nonnegative().optional(),
    })
    .optional(),
  source,
  note: z.string().optional(),
});

/** A published training run of a model. */
export const runSchema = z.strictObject({
  gpu: name,
  precision: z.enum(PRECISIONS),
  gpus: sourcedNumber.optional(),
  gpuHours: sourcedNumber.optional(),
  wallClockDays: sourcedNumber.optional(),
  mfu: sourcedFraction.optional(),
  energyMwh: sourcedNumber.optional(),
  co2Tonnes: sourcedNumber.optional(),
  costUsd: sourcedNumber.optional(),
  note: z.string().optional(),
});

/** A model: parameters, tokens and, where published, architecture and run. */
export const modelSchema = z.strictObject({
  name,
  label: z.string().min(1),
  params: sourcedNumber,
  activeParams: sourcedNumber.optional(),
  tokens: sourcedNumber,
  reportedFlops: sourcedNumber.optional(),
  architecture: architectureSchema.optional(),
  run: runSchema.optional(),
  note: z.string().optional(),
});
/** A model preset. */
export type ModelPreset = z.infer<typeof modelSchema>;

/** A cluster: which GPU, how many, and defaults of its own. */
export const clusterSchema = z.strictObject({
  name,
  label: z.string().min(1),
  gpu: name,
  gpus: sourcedNumber.refine((n) => Number.isInteger(n.value), 'expected a whole number of GPUs'),
  mfu: sourcedFraction.optional(),
  /** Published low-high MFU of the cluster's runs. */
  mfuRange: z.strictObject({ low: positive.max(1), high: positive.max(1), source, note: z.string().optional() }).optional(),
  powerFactor: sourcedNumber.optional(),
  electricityUsdPerKwh: sourcedNumber.optional(),
  gpuPriceUsd: sourcedNumber.optional(),
  note: z.string().optional(),
});
/** A cluster preset. */
export type ClusterPreset = z.infer<typeof clusterSchema>;

/** Global defaults, each sourced. */
export const defaultsSchema = z.strictObject({
  precision: z.strictObject({ value: z.enum(PRECISIONS), source, note: z.string().optional() }),
  cluster: z.strictObject({ value: name, source, note: z.string().optional() }),
  mfu: sourcedFraction,
  capexMultiplier: sourcedNumber,
  powerFactor: sourcedNumber,
  electricityUsdPerKwh: sourcedNumber,
  householdKw: sourcedNumber,
  tokensPerParam: sourcedNumber,
  gpuMtbfHours: sourcedNumber,
  restartMinutes: sourcedNumber,
  storageGBps: sourcedNumber,
  optimizer: z.strictObject({ value: z.enum(Object.keys(OPTIMIZERS) as [Optimizer, ...Optimizer[]]), source, note: z.string().optional() }),
  microBatch: sourcedNumber,
  tensorParallel: sourcedNumber,
  pipelineParallel: sourcedNumber,
  gridKgCo2PerKwh: sourcedNumber,
  pue: sourcedNumber,
  depreciationOomPerYear: sourcedNumber,
  flopsMethod: z.strictObject({ value: z.enum(['6nd', 'palm']), source, note: z.string().optional() }),
});
/** The global defaults. */
export type Defaults = z.infer<typeof defaultsSchema>;

/** The kinds of preset, each a folder under presets/. */
export const PRESET_KINDS = ['gpus', 'models', 'clusters'] as const;
/** One kind of preset. */
export type PresetKind = (typeof PRESET_KINDS)[number];
