import { parseQuantity } from '../core/units.js';
import { OPTIMIZERS } from '../core/memory.js';
import { SOLVE_TARGETS } from '../core/solve.js';
import { UsageError } from '../errors.js';
import { PRECISIONS } from '../presets/precisions.js';

/** The commands that take estimate-style flags. */
export type CommandName = 'estimate' | 'solve';

/** What a number flag may hold. */
export type Constraint = 'positive' | 'integer' | 'fraction' | 'nonNegative';

interface BaseOption {
  /** Long flag without dashes, e.g. "peak-tflops". */
  flag: string;
  /** commander's camelCase attribute for the flag. */
  attr: string;
  /** Placeholder in help, e.g. "<n>". */
  arg?: string;
  help: string;
  commands: readonly CommandName[];
}

/** A numeric flag: parsed with SI suffixes, checked, scaled to the base unit. */
export interface NumberOption extends BaseOption {
  kind: 'number';
  constraint: Constraint;
  /** Multiplier from the flag's unit to the base unit (e.g. 1e12 for TFLOP/s). */
  scale?: number;
}

/** A string flag, possibly limited to choices. */
export interface StringOption extends BaseOption {
  kind: 'string';
  choices?: readonly string[];
  /** May be given more than once; its values are a list, read by the entry (not a scenario input). */
  repeatable?: boolean;
}

/** A boolean switch; `--no-x` switches are `negate` (the flag's value is true when given). */
export interface BooleanOption extends BaseOption {
  kind: 'boolean';
  negate?: boolean;
}

/** One entry of the option registry. */
export type OptionSpec = NumberOption | StringOption | BooleanOption;

const BOTH = ['estimate', 'solve'] as const;
const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const num = (flag: string, constraint: Constraint, help: string, extra: Partial<NumberOption> = {}): NumberOption => ({
  kind: 'number',
  flag,
  attr: camel(flag),
  arg: '<n>',
  constraint,
  help,
  commands: BOTH,
  ...extra,
});
const str = (flag: string, help: string, extra: Partial<StringOption> = {}): StringOption => ({
  kind: 'string',
  flag,
  attr: camel(flag),
  arg: '<name>',
  help,
  commands: BOTH,
  ...extra,
});

/** Every flag of estimate and solve; commander, help and the README read this list. */
export const OPTIONS: readonly OptionSpec[] = [
  str('model', 'model preset (params, tokens), see `llmcost presets`'),
  str('cluster', 'cluster preset (GPU type and count, defaults); default from presets/defaults.json'),
  str('gpu', 'GPU preset (peaks, TDP, price); overrides the cluster GPU'),
  num('params', 'positive', 'parameters N, e.g. 405B'),
  num('tokens', 'positive', 'training tokens D, e.g. 15T'),
  num('flops', 'positive', 'training compute in FLOPs, instead of 6·N·D, e.g. 3.8e25'),
  num('gpus', 'integer', 'number of GPUs, e.g. 16k'),
  str('precision', 'precision of the peak used', { choices: PRECISIONS, arg: '<p>' }),
  num('peak-tflops', 'positive', 'dense peak per GPU in TFLOP/s, instead of the GPU preset', { scale: 1e12 }),
  num('mfu', 'fraction', 'model FLOPs utilization, fraction of peak in (0, 1]'),
  num('gpu-price', 'nonNegative', 'unit price of one GPU in USD'),
  num('capex-multiplier', 'positive', 'total capex / GPU capex'),
  num('power-factor', 'positive', 'all-in facility watts per watt of GPU TDP'),
  num('tdp', 'positive', 'thermal design power of one GPU in W'),
  num('electricity-price', 'nonNegative', 'electricity price in USD/kWh'),
  num('household-kw', 'positive', 'average household draw in kW'),
  num('days', 'positive', 'time budget in days', { commands: ['solve'] }),
  str('for', 'unknown to solve for', { choices: SOLVE_TARGETS, arg: '<x>', commands: ['solve'] }),
  num('tokens-per-param', 'positive', 'tokens per parameter of the compute-optimal pair', { commands: ['solve'] }),
  str('presets-dir', 'directory of user presets (gpus/, models/, clusters/, defaults.json); repeatable, later wins', {
    arg: '<dir>',
    repeatable: true,
  }),
  { kind: 'boolean', flag: 'json', attr: 'json', help: 'print JSON (schemaVersion 1) instead of a table', commands: BOTH },
  // Failures and checkpoints (issue 4).
  num('gpu-mtbf-hours', 'positive', 'mean time between interruptions of one GPU, hours (default: Llama 3 calibration)'),
  num('interruptions-per-day', 'positive', 'job interruptions per day, instead of --gpu-mtbf-hours'),
  num('restart-minutes', 'nonNegative', 'minutes from an interruption to training again (detect, reschedule, reload)', { scale: 60 }),
  num('checkpoint-seconds', 'nonNegative', 'seconds to write one checkpoint (default: state size / --storage-gbps)'),
  num('storage-gbps', 'positive', 'checkpoint write bandwidth in GB/s (gigabytes, not gigabits)', { scale: 1e9 }),
  num('checkpoint-interval-minutes', 'positive', 'fixed checkpoint interval in minutes (default: Young/Daly optimum)', { scale: 60 }),
  { kind: 'boolean', flag: 'no-failures', attr: 'failures', negate: true, help: 'ignore failures, checkpoints and restarts', commands: BOTH },
  // Memory (issue 4).
  str('optimizer', 'optimizer and precision of the training state', { choices: Object.keys(OPTIMIZERS), arg: '<name>' }),
  num('state-bytes-per-param', 'positive', 'training-state bytes per parameter, instead of --optimizer'),
  num('micro-batch', 'integer', 'micro-batch size for activation memory'),
  num('seq-len', 'integer', 'sequence length for attention FLOPs and activation memory (default: the model preset)'),
  num('tensor-parallel', 'integer', 'tensor-parallel degree for activation memory (sequence parallelism assumed)'),
  num('pipeline-parallel', 'integer', 'pipeline stages for activation memory'),
  // Architecture-aware FLOPs, MoE and cost views (issue 3).
  num('active-params', 'positive', 'parameters active per token (mixture of experts), e.g. 37B'),
  str('flops-method', 'FLOP count that drives time and cost: 6nd (default) or palm (adds attention)', { choices: ['6nd', 'palm'], arg: '<m>' }),
  str('hf-config', 'local Hugging Face config.json: parameters and architecture (never fetched)', { arg: '<path>' }),
  num('layers', 'integer', 'transformer layers (architecture for the attention term)'),
  num('d-model', 'integer', 'hidden size (architecture)'),
  num('heads', 'integer', 'attention heads (architecture)'),
  num('vocab-size', 'integer', 'vocabulary size (architecture: embedding parameters)'),
  num('gpu-hour-price', 'nonNegative', 'cloud price of one GPU-hour in USD (default: the GPU preset)'),
  num('grid-intensity', 'nonNegative', 'grid carbon intensity in kg CO2 per kWh'),
  num('pue', 'positive', 'power usage effectiveness, multiplies the power factor (default 1: the power factor is all-in)'),
];

const EXPECTED: Record<Constraint, string> = {
  positive: 'a positive number (e.g. 405B, 15T, 3.8e25)',
  integer: 'a positive whole number (e.g. 16384 or 16k)',
  fraction: 'a number in (0, 1] (e.g. 0.4)',
  nonNegative: 'a number >= 0 (e.g. 0.083)',
};

/**
 * Parses a number flag's text to its base-unit value; throws a UsageError naming the flag.
 * @example parseNumberOption(spec('--gpus'), '16k') // 16000
 */
export function parseNumberOption(option: NumberOption, text: string): number {
  const parsed = parseQuantity(text);
  const fail = (reason: string): never => {
    throw new UsageError(`--${option.flag}: expected ${EXPECTED[option.constraint]}, ${reason}`);
  };
  if (!parsed.ok) return fail(parsed.reason);
  const { value } = parsed;
  if (option.constraint !== 'nonNegative' && value === 0) fail(`got "${text}"`);
  if (option.constraint === 'integer' && !Number.isInteger(value)) fail(`got "${text}"`);
  if (option.constraint === 'fraction' && value > 1) fail(`got "${text}"`);
  const scaled = value * (option.scale ?? 1);
  if (!Number.isFinite(scaled)) fail(`got "${text}", which is too large`);
  return scaled;
}

/** Returns the option registry's entries for one command. */
export function optionsFor(command: CommandName): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}
