// The validation table of measured training throughputs (issue 10): one row per published
// measurement, with the plan it ran and a convention-free figure derived from it. See README.md here.
import { readdirSync, readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { architectureSchema } from '../../src/presets/schema.js';

const count = z.int().check(z.positive());
const positive = z.number().check(z.positive());
const fraction = positive.check(z.maximum(1));
const text = z.string().check(z.minLength(3));

/** The parallel plan as published (absent keys are listed in the row's `notStated`). */
export const validationPlanSchema = z.strictObject({
  tensorParallel: count,
  pipelineParallel: count,
  dataParallel: count,
  contextParallel: count,
  expertParallel: count,
  /** Sequences per micro-batch. */
  microBatch: z.optional(count),
  /** Sequences per optimizer step (all data-parallel ranks). */
  globalBatch: z.optional(count),
  recompute: z.optional(z.enum(['none', 'selective', 'full'])),
  /** Interleaved 1F1B model chunks per pipeline stage (1 = not interleaved). */
  virtualStages: z.optional(count),
  sequenceParallel: z.optional(z.boolean()),
  /** ZeRO stage over data parallelism (0 = none). */
  zero: z.optional(z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)])),
  /** Megatron's distributed optimizer (optimizer state sharded over data parallelism, like ZeRO-1). */
  distributedOptimizer: z.optional(z.boolean()),
});

/** The keys of a plan. */
export const PLAN_KEYS = Object.keys(validationPlanSchema.shape);

/** FLOP conventions of the sources: how their TFLOP/s and utilization were counted. */
export const FLOP_CONVENTIONS = ['megatron-recompute', 'megatron-model', 'unstated'] as const;

/** Software stacks that change the model or the schedule beyond what a row's architecture and plan say. */
export const NON_STANDARD_SYSTEMS = ['megascale'] as const;

/** One published measurement: source, model, hardware, plan, the values as printed, and a derived figure. */
export const validationRowSchema = z.strictObject({
  /** Unique, stable name of the row. */
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]*$/)),
  /** Rows of one group measured several plans of one model on one cluster: their ranking can be checked. */
  group: z.optional(z.string().check(z.minLength(3))),
  /**
   * Set when the run used a stack that changes the model beyond its `architecture` and `plan`
   * ('megascale': parallel transformer blocks, sliding-window attention, LAMB, communication overlap;
   * Jiang et al. 2024 §3): the throughput model is neither fitted nor validated on such rows. Absent:
   * the standard transformer the architecture describes (Megatron-LM, DeepSpeed, Meta's stack).
   */
  system: z.optional(z.enum(NON_STANDARD_SYSTEMS)),
  source: z.strictObject({ paper: text, table: text, row: text, url: z.string().check(z.regex(/^https:\/\//)) }),
  model: z.strictObject({
    label: text,
    /** Parameters as the source states them. */
    params: positive,
    architecture: architectureSchema,
  }),
  hardware: z.strictObject({
    /** A built-in GPU preset name. */
    gpu: z.string(),
    gpus: count,
    /** A built-in cluster preset name. */
    cluster: z.optional(z.string()),
    precision: z.optional(z.enum(['bf16', 'fp16', 'fp8'])),
  }),
  plan: validationPlanSchema,
  /** Keys ("plan.microBatch", "architecture.dropout", "hardware.precision") the source does not state. */
  notStated: z.array(z.string().check(z.regex(/^(plan|architecture|hardware)\.[a-zA-Z]+$/))),
  /** Keys given in the row that are derived or inferred rather than printed, with the reason. */
  inferred: z.record(z.string().check(z.regex(/^(plan|architecture|hardware)\.[a-zA-Z]+$/)), text),
  /** The measurement exactly as reported (units in the names); `reported` quotes it. */
  measured: z.strictObject({
    tflopsPerGpu: z.optional(positive),
    /** Fraction of the GPU's peak, in the source's own FLOP convention (Narayanan et al.: with recomputation). */
    peakFraction: z.optional(fraction),
    /** What the source calls MFU. */
    mfu: z.optional(fraction),
    iterationSeconds: z.optional(positive),
    /** Tokens per second over all GPUs (MegaScale Table 2). */
    tokensPerSecond: z.optional(positive),
    aggregatePflops: z.optional(positive),
    /** Days to train on 300B tokens, as printed (Narayanan et al. 2021 Table 2, MegaScale Table 2). */
    trainingDays: z.optional(positive),
    reported: text,
  }),
  /** How the source counts FLOPs; perTokenFlops is that count divided by the tokens of an iteration. */
  flops: z.strictObject({
    convention: z.enum(FLOP_CONVENTIONS),
    perTokenFlops: positive,
    /** V in the Megatron formula when it is not the Megatron papers' padded GPT-2 vocabulary, 51,200. */
    vocabSize: z.optional(count),
    formula: text,
  }),
  /** A figure with no FLOP convention: tokens per second per GPU (and the iteration time where the batch is known). */
  derived: z.strictObject({
    tokensPerSecondPerGpu: positive,
    iterationSeconds: z.optional(positive),
    /** Which measured value it comes from. */
    from: z.enum(['tflopsPerGpu', 'iterationSeconds', 'tokensPerSecond', 'mfu']),
    derivation: text,
    /** The same figure under other conventions, where the source's is unstated. */
    alternatives: z.optional(z.array(z.strictObject({ assumption: text, tokensPerSecondPerGpu: positive }))),
  }),
  note: z.optional(z.string()),
});
/** One row of the validation table. */
export type ValidationRow = z.infer<typeof validationRowSchema>;

const DIR = new URL('./', import.meta.url);

/** Returns the names of the JSON files of the validation table (one per source). */
export function validationFiles(): string[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
}

/** Returns every row of every file, parsed; throws naming the file and row on a malformed one. */
export function validationRows(): ValidationRow[] {
  return validationFiles().flatMap((file) => {
    const raw = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as unknown[];
    return raw.map((row, i) => {
      const parsed = validationRowSchema.safeParse(row);
      if (!parsed.success) throw new Error(`${file} row ${i}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
  });
}

/** Returns the rows the throughput model may be fitted or validated on: every row run on a standard stack (no `system`). */
export function throughputModelRows(): ValidationRow[] {
  return validationRows().filter((r) => r.system === undefined);
}
