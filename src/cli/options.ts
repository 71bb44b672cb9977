import { EXPECTED as RULE_EXPECTED, keepsRule, type QuantityRule } from '../core/quantity.js';
import { parseQuantity, type QuantityForms } from '../core/units.js';
import { OPTIMIZERS } from '../core/memory.js';
import { SOLVE_TARGETS } from '../core/solve.js';
import { UsageError } from '../errors.js';
import { safeText } from '../text.js';
import { PRECISIONS } from '../presets/precisions.js';
import type { Input, Scenario } from '../scenario/types.js';

/** The commands that take estimate-style flags. */
export type CommandName = 'estimate' | 'solve';

/** What a number flag may hold: a rule of the one quantity rule set (src/core/quantity.ts). */
export type Constraint = QuantityRule;

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

/** The scenario inputs that hold one number (what a numeric flag can set directly). */
export type NumberInput = { [K in keyof Scenario]-?: NonNullable<Scenario[K]> extends Input<number> ? K : never }[keyof Scenario];

/** What every numeric flag declares: its unit, an example value, and where its value lands. */
export interface NumberDeclaration {
  /** Unit of the value as typed, e.g. "GPUs", "TFLOP/s per GPU": shown in help, axis labels and errors. */
  unit: string;
  /** A typical value as typed (SI suffixes allowed), e.g. "16k": the example of the flag's errors and help. */
  example: string;
  /**
   * The scenario input the value sets, in base units, and nothing else (a sweep sets it directly at
   * each point); 'resolve' when the value also changes other or derived inputs (a FLOP count, a
   * default MFU, the architecture), so that a sweep resolves the scenario again at each point.
   */
  input: NumberInput | 'resolve';
}

/** A numeric flag: parsed with SI suffixes, checked, scaled to the base unit. */
export interface NumberOption extends BaseOption, NumberDeclaration {
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
/** A flag's name in camelCase, as commander names its attribute: "peak-tflops" is "peakTflops". */
export type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
const camel = <F extends string>(flag: F): CamelCase<F> => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as CamelCase<F>;
/** An entry keeps its flag, attribute, commands and choices as literal types: the library's option types are read off them. */
type Entry<O, F extends string, E> = Omit<O, 'flag' | 'attr' | 'commands'> & { flag: F; attr: CamelCase<F> } & (E extends { commands: infer C } ? { commands: C } : { commands: typeof BOTH }) & Omit<E, 'commands'>;
const num = <F extends string, const E extends NumberDeclaration & Partial<NumberOption>>(flag: F, constraint: Constraint, help: string, extra: E): Entry<NumberOption, F, E> =>
  ({ kind: 'number', flag, attr: camel(flag), arg: '<n>', constraint, help, commands: BOTH, ...extra }) as unknown as Entry<NumberOption, F, E>;
const str = <F extends string, const E extends Partial<StringOption> = {}>(flag: F, help: string, extra?: E): Entry<StringOption, F, E> =>
  ({ kind: 'string', flag, attr: camel(flag), arg: '<name>', help, commands: BOTH, ...extra }) as unknown as Entry<StringOption, F, E>;

/** Every flag of estimate and solve; commander, help and the README read this list. */
export const OPTIONS = [
  str('model', 'model preset (params, tokens), see `llmcost presets`'),
  str('cluster', 'cluster preset (GPU type and count, defaults); default from presets/defaults.json'),
  str('gpu', 'GPU preset (peaks, TDP, price); overrides the cluster GPU'),
  num('params', 'positive', 'parameters N', { unit: 'parameters', example: '405B', input: 'resolve' }),
  num('tokens', 'positive', 'training tokens D', { unit: 'tokens', example: '15T', input: 'resolve' }),
  num('flops', 'positive', 'training compute, instead of 6·N·D', { unit: 'FLOPs', example: '3.8e25', input: 'trainingFlops' }),
  num('gpus', 'integer', 'number of GPUs', { unit: 'GPUs', example: '16k', input: 'gpus' }),
  str('precision', 'precision of the peak used', { choices: PRECISIONS, arg: '<p>' }),
  // The default MFU (published runs) is scaled to the peak, so the peak is not a single input.
  num('peak-tflops', 'positive', 'dense peak per GPU, instead of the GPU preset', { unit: 'TFLOP/s per GPU', example: '989', input: 'resolve', scale: 1e12 }),
  num('mfu', 'fraction', 'steady-state model FLOPs utilization, in (0, 1] of the precision\'s dense peak', { unit: 'fraction of peak', example: '0.4', input: 'mfu' }),
  num('run-utilization', 'fraction', 'share of the steady state a whole run keeps (evaluation, stragglers, idle allocation, restarts after divergence; default: a prior fitted on published runs)', { unit: 'fraction', example: '0.9', input: 'runUtilization' }),
  num('gpu-price', 'nonNegative', 'unit price of one GPU', { unit: 'USD per GPU', example: '30k', input: 'gpuPriceUsd' }),
  num('capex-multiplier', 'positive', 'total capex / GPU capex', { unit: 'x GPU capex', example: '2', input: 'capexMultiplier' }),
  num('power-factor', 'positive', 'all-in facility watts per watt of GPU TDP', { unit: 'W per W of TDP', example: '2', input: 'powerFactor' }),
  num('tdp', 'positive', 'thermal design power of one GPU', { unit: 'W per GPU', example: '700', input: 'tdpW' }),
  num('electricity-price', 'nonNegative', 'electricity price', { unit: 'USD/kWh', example: '0.083', input: 'electricityUsdPerKwh' }),
  num('household-kw', 'positive', 'average household draw', { unit: 'kW', example: '1.2', input: 'householdKw' }),
  num('days', 'positive', 'time budget', { unit: 'days', example: '100', input: 'budgetDays', commands: ['solve'] }),
  str('for', 'unknown to solve for', { choices: SOLVE_TARGETS, arg: '<x>', commands: ['solve'] }),
  num('tokens-per-param', 'positive', 'tokens per parameter of the compute-optimal pair', { unit: 'tokens per parameter', example: '20', input: 'tokensPerParam', commands: ['solve'] }),
  str('presets-dir', 'directory of user presets (gpus/, models/, clusters/, defaults.json); repeatable, later wins', {
    arg: '<dir>',
    repeatable: true,
  }),
  { kind: 'boolean', flag: 'json', attr: 'json', help: 'print JSON (schemaVersion 1) instead of a table', commands: BOTH },
  // Failures and checkpoints (issue 4).
  num('gpu-mtbf-hours', 'positive', 'mean time between interruptions of one GPU (default: Llama 3 calibration)', { unit: 'hours', example: '50k', input: 'gpuMtbfHours' }),
  num('interruptions-per-day', 'positive', 'job interruptions per day, instead of --gpu-mtbf-hours', { unit: 'per day', example: '8', input: 'interruptionsPerDay' }),
  num('restart-minutes', 'nonNegative', 'time from an interruption to training again, before reading the checkpoint back (detect, reschedule, re-initialize)', { unit: 'minutes', example: '10', input: 'restartSeconds', scale: 60 }),
  num('checkpoint-seconds', 'nonNegative', 'time to write one checkpoint (default: state size / --storage-gbps)', { unit: 's', example: '30', input: 'checkpointSeconds' }),
  num('storage-gbps', 'positive', 'checkpoint write bandwidth (gigabytes, not gigabits)', { unit: 'GB/s', example: '2000', input: 'storageBytesPerSecond', scale: 1e9 }),
  num('checkpoint-interval-minutes', 'positive', 'fixed checkpoint interval (default: Daly\'s higher-order optimum)', { unit: 'minutes', example: '30', input: 'checkpointIntervalSeconds', scale: 60 }),
  { kind: 'boolean', flag: 'no-failures', attr: 'failures', negate: true, help: 'ignore failures, checkpoints and restarts', commands: BOTH },
  // Memory (issue 4).
  str('optimizer', 'optimizer and precision of the training state', { choices: Object.keys(OPTIMIZERS), arg: '<name>' }),
  num('state-bytes-per-param', 'positive', 'training-state bytes per parameter, instead of --optimizer', { unit: 'bytes per parameter', example: '16', input: 'stateBytesPerParam' }),
  num('micro-batch', 'integer', 'sequences per micro-batch (throughput plan, activation memory)', { unit: 'sequences', example: '1', input: 'resolve' }),
  // Also the architecture's sequence, which the PaLM FLOP count reads.
  num('seq-len', 'integer', 'sequence length for attention FLOPs and activation memory (default: the model preset)', { unit: 'tokens', example: '8192', input: 'resolve' }),
  num('tensor-parallel', 'integer', 'tensor-parallel degree (throughput plan, activation memory; sequence parallelism assumed)', { unit: 'ways', example: '8', input: 'resolve' }),
  num('pipeline-parallel', 'integer', 'pipeline stages (throughput plan, activation memory)', { unit: 'stages', example: '16', input: 'resolve' }),
  // The rest of the parallel plan (issue 10): knobs not given are searched for the fastest plan that fits.
  num('data-parallel', 'integer', 'data-parallel replicas (default: GPUs / (TP x PP x CP))', { unit: 'ways', example: '128', input: 'resolve' }),
  num('context-parallel', 'integer', 'context-parallel ranks splitting each sequence (ring attention)', { unit: 'ways', example: '16', input: 'resolve' }),
  num('expert-parallel', 'integer', 'expert-parallel ranks the experts are spread over (within data parallelism)', { unit: 'ways', example: '8', input: 'resolve' }),
  num('global-batch', 'integer', "sequences per optimizer step (default: the model's published batch, else DeepSeek LLM's B_opt rule)", { unit: 'sequences', example: '2048', input: 'resolve' }),
  str('recompute', 'activation recomputation of the plan: none, selective (norms, activation function; attention scores) or full (whole layers)', { choices: ['none', 'selective', 'full'], arg: '<mode>' }),
  num('virtual-stages', 'integer', 'interleaved model chunks per pipeline stage (1: plain 1F1B)', { unit: 'chunks', example: '4', input: 'resolve' }),
  str('zero', 'ZeRO stage over data parallelism: 0 none, 1 optimizer state, 2 also gradients, 3 also weights sharded', { choices: ['0', '1', '2', '3'], arg: '<stage>' }),
  str('mfu-from', 'MFU that drives wall-clock and cost: published (from published runs) or predicted (the throughput model); default: predicted where it can predict, else published; --mfu wins', { choices: ['published', 'predicted'], arg: '<source>' }),
  // Architecture-aware FLOPs, MoE and cost views (issue 3).
  num('active-params', 'positive', 'parameters active per token (mixture of experts)', { unit: 'parameters', example: '37B', input: 'resolve' }),
  str('flops-method', 'FLOP count that drives time and cost: 6nd (default) or palm (adds attention)', { choices: ['6nd', 'palm'], arg: '<m>' }),
  str('hf-config', 'local Hugging Face config.json: parameters and architecture (never fetched)', { arg: '<path>' }),
  num('layers', 'integer', 'transformer layers (architecture for the attention term)', { unit: 'layers', example: '126', input: 'resolve' }),
  num('d-model', 'integer', 'hidden size (architecture)', { unit: 'dimensions', example: '16384', input: 'resolve' }),
  num('heads', 'integer', 'attention heads (architecture)', { unit: 'heads', example: '128', input: 'resolve' }),
  num('vocab-size', 'integer', 'vocabulary size (architecture: embedding parameters)', { unit: 'tokens', example: '128k', input: 'resolve' }),
  num('kv-heads', 'integer', 'key/value heads (architecture: grouped-query attention; default: --heads)', { unit: 'heads', example: '8', input: 'resolve' }),
  num('ffn-size', 'integer', 'feed-forward hidden size (architecture; default 4 x --d-model)', { unit: 'dimensions', example: '53248', input: 'resolve' }),
  num('experts', 'integer', 'experts per MoE layer (architecture: mixture of experts)', { unit: 'experts', example: '256', input: 'resolve' }),
  num('experts-per-token', 'integer', 'experts each token is routed to (architecture: mixture of experts)', { unit: 'experts', example: '8', input: 'resolve' }),
  num('gpu-hour-price', 'nonNegative', 'cloud price of one GPU-hour (default: the GPU preset)', { unit: 'USD per GPU-hour', example: '2.5', input: 'usdPerGpuHour' }),
  num('grid-intensity', 'nonNegative', 'grid carbon intensity', { unit: 'kg CO2 per kWh', example: '0.366', input: 'gridKgCo2PerKwh' }),
  num('hardware-age', 'nonNegative', 'age of the hardware when training starts (Epoch AI amortized cost: its value has depreciated)', { unit: 'years', example: '1', input: 'hardwareAgeYears' }),
  num('pue', 'positive', 'power usage effectiveness, multiplies the power factor (default 1: the power factor is all-in)', { unit: 'x', example: '1.2', input: 'pue' }),
] as const satisfies readonly OptionSpec[];

/** The registry's entries of one command, as types (e.g. for the library's option object). */
export type OptionsOf<C extends CommandName> = (typeof OPTIONS)[number] extends infer O
  ? O extends { commands: readonly (infer K)[] }
    ? C extends K
      ? O
      : never
    : never
  : never;

/** The value an option takes in the library: a number or its text ("405B"), a switch, one of its choices, or text. */
export type OptionValue<O> = O extends { kind: 'number' } ? number | string : O extends { kind: 'boolean' } ? boolean : O extends { choices: readonly (infer V)[] } ? V : string;

/**
 * The options of a command as a typed object, named as commander names the flags (camelCase;
 * `--no-failures` is `failures: false`): a misspelt or unknown option does not compile.
 */
export type CommandOptions<C extends CommandName> = { [O in OptionsOf<C> as O['attr']]?: OptionValue<O> };

/** Returns what a number flag expects, from its declaration, e.g. "a positive number (days, e.g. 100)". */
export function expectedValue(option: NumberOption): string {
  return `${RULE_EXPECTED[option.constraint]} (${option.unit}, e.g. ${option.example})`;
}

/** Returns a flag's help line: its text, then for a number its unit and example (from the declaration). */
export function optionHelp(option: OptionSpec): string {
  return option.kind === 'number' ? `${option.help} (${option.unit}, e.g. ${option.example})` : option.help;
}

/** Returns the label of a flag's values on a chart axis, with its unit, e.g. "--mfu (fraction of peak)". */
export function axisLabel(option: NumberOption): string {
  return `--${option.flag} (${option.unit})`;
}

/** How numbers are written, printed under the options of every command that takes them. */
export const NUMBER_HELP = `
Numbers: 405B, 15T, 3.8e25, 0.4, or 16,384 with thousands separators. The
suffixes k, M, B (or G), T and P are SI: 16k = 16,000, not 16,384 (Meta's
"16k" cluster has 16,384 GPUs: write 16384 or 16,384). Fractions may be given
as 40% (--mfu 40%), prices with a dollar sign ($30k), and a value as the
tables print it ("73.2 days", "700 W"). Names of presets, precisions and
choices are case-insensitive: --gpu H100.`;

/**
 * The unit words the tables print after a value of each flag unit (human.ts), accepted back after a
 * number: `--days "73.2 days"`, `--tdp "700 W"`. A unit not listed takes a bare number only.
 */
const PRINTED_UNITS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  FLOPs: { FLOPs: 1, FLOP: 1 },
  GPUs: { GPUs: 1, GPU: 1 },
  parameters: { params: 1, parameters: 1 },
  tokens: { tokens: 1 },
  'TFLOP/s per GPU': { 'TFLOP/s': 1 },
  // Powers print in W, kW, MW or GW by their size (human.ts formatPower).
  'W per GPU': { W: 1, kW: 1e3, MW: 1e6, GW: 1e9 },
  kW: { W: 1e-3, kW: 1, MW: 1e3, GW: 1e6 },
  'USD/kWh': { '/kWh': 1 },
  'USD per GPU-hour': { '/GPU-hour': 1 },
  days: { days: 1, day: 1 },
  // Durations print as s, min or h by their size (human.ts 'duration'): each converts to the flag's unit.
  hours: { h: 1, hours: 1, min: 1 / 60 },
  minutes: { min: 1, minutes: 1, s: 1 / 60, h: 60 },
  s: { s: 1, min: 60, h: 3600 },
  years: { years: 1, year: 1 },
  'GB/s': { 'GB/s': 1, 'MB/s': 1e-3, 'TB/s': 1e3, 'PB/s': 1e6 },
  'bytes per parameter': { B: 1 },
  'x GPU capex': { x: 1 },
  'W per W of TDP': { x: 1 },
  x: { x: 1 },
};

/** Returns the printed forms a flag accepts: "40%" for fractions, "$" for USD, its unit words. */
export function quantityForms(option: NumberOption): QuantityForms {
  return { percent: option.constraint === 'fraction', currency: option.unit.startsWith('USD'), units: PRINTED_UNITS[option.unit] ?? {} };
}

/**
 * Parses a number flag's text to its base-unit value; throws a UsageError naming the flag. Takes
 * what the tables print: "16,384", "40%" for a fraction, "$30k" for a price, "73.2 days".
 * @example parseNumberOption(spec('--gpus'), '16k') // 16000
 * @example parseNumberOption(spec('--mfu'), '40%') // 0.4
 */
export function parseNumberOption(option: NumberOption, text: string): number {
  const parsed = parseQuantity(text, quantityForms(option));
  const fail = (reason: string): never => {
    throw new UsageError(`--${option.flag}: expected ${expectedValue(option)}, ${reason}`);
  };
  if (!parsed.ok) return fail(parsed.reason);
  const { value } = parsed;
  if (!keepsRule(option.constraint, value)) fail(`got "${echoText(text)}"`);
  const scaled = value * (option.scale ?? 1);
  if (!Number.isFinite(scaled)) fail(`got "${echoText(text)}", which is too large`);
  return scaled;
}

/** A flag's text as echoed in its error: trimmed, at most 40 characters, control characters escaped. */
function echoText(text: string): string {
  const t = safeText(text.trim());
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

/** Returns the option registry's entries for one command. */
export function optionsFor(command: CommandName): OptionSpec[] {
  return (OPTIONS as readonly OptionSpec[]).filter((o) => o.commands.includes(command));
}
