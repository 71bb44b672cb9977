import { trainingFlops6nd } from '../core/compute.js';
import type { RunInputs } from '../core/estimate.js';
import { defaultSolveFor, type SolveFor, type SolveInputs } from '../core/solve.js';
import { SECONDS_PER_DAY } from '../core/units.js';
import { UsageError } from '../errors.js';
import type { Located, PresetSet } from './parse.js';
import type { Precision, SourcedNumber } from './schema.js';
import { closestNames } from './suggest.js';

/** One resolved input: its value, where it came from, and the source behind a preset or default. */
export interface Input<T> {
  value: T;
  origin: 'flag' | 'default' | `preset:${string}` | 'derived';
  source?: string;
}

/** Every input of a run, resolved: flags > model/cluster preset > GPU preset > global defaults. */
export interface Scenario {
  model?: Input<string>;
  cluster?: Input<string>;
  gpu: Input<string>;
  params?: Input<number>;
  tokens?: Input<number>;
  trainingFlops?: Input<number>;
  gpus?: Input<number>;
  precision: Input<Precision>;
  gpuPeakFlopsPerSecond: Input<number>;
  mfu?: Input<number>;
  gpuPriceUsd?: Input<number>;
  capexMultiplier: Input<number>;
  tdpW?: Input<number>;
  powerFactor: Input<number>;
  electricityUsdPerKwh: Input<number>;
  householdKw: Input<number>;
  budgetDays?: Input<number>;
  solveFor?: Input<SolveFor>;
  tokensPerParam?: Input<number>;
}

/** Parsed flag values keyed by flag name (numbers already in base units). */
export type FlagValues = Partial<Record<string, string | number | boolean>>;

/** Returns the preset of `kind` named `name`, or throws a UsageError with the closest names. */
export function pick<T>(map: Map<string, T>, name: string, flag: string): T {
  const found = map.get(name);
  if (found) return found;
  const near = closestNames(name, map.keys());
  throw new UsageError(`--${flag}: no preset named "${name}"; did you mean ${near.map((n) => `"${n}"`).join(', ')}?`);
}

const fromFlag = <T>(value: T): Input<T> => ({ value, origin: 'flag' });
const fromPreset = (n: SourcedNumber, preset: string, scale = 1): Input<number> => ({
  value: n.value * scale,
  origin: `preset:${preset}`,
  source: n.source,
});

/**
 * Resolves flags and presets into a Scenario for `estimate` or `solve` (pure: presets are passed in).
 * Throws a UsageError for unknown presets, a missing peak for the precision, or missing inputs.
 */
export function resolveScenario(command: 'estimate' | 'solve', flags: FlagValues, presets: PresetSet): Scenario {
  const num = (flag: string): Input<number> | undefined =>
    typeof flags[flag] === 'number' ? fromFlag(flags[flag] as number) : undefined;
  const text = (flag: string): string | undefined => (typeof flags[flag] === 'string' ? (flags[flag] as string) : undefined);
  const { defaults } = presets;
  const fromDefault = <K extends keyof typeof defaults>(key: K): Input<(typeof defaults)[K]['value']> => ({
    value: defaults[key].value,
    origin: 'default',
    source: defaults[key].source,
  });

  const modelName = text('model');
  const model = modelName === undefined ? undefined : pick(presets.models, modelName, 'model');
  const gpuFlag = text('gpu');
  const clusterFlag = text('cluster');
  // With --gpu and no --cluster the user describes the hardware; do not mix in the default cluster.
  const clusterName = clusterFlag ?? (gpuFlag === undefined ? defaults.cluster.value : undefined);
  const cluster = clusterName === undefined ? undefined : pick(presets.clusters, clusterName, 'cluster');
  const gpuName = gpuFlag ?? cluster?.gpu;
  if (gpuName === undefined) throw new UsageError('--gpu: expected a GPU preset name');
  const gpu = pick(presets.gpus, gpuName, 'gpu');

  const precisionFlag = text('precision') as Precision | undefined;
  const precision: Input<Precision> = precisionFlag ? fromFlag(precisionFlag) : fromDefault('precision');
  const peakFlag = num('peak-tflops');
  let peak: Input<number>;
  if (peakFlag) peak = peakFlag;
  else {
    const sourced = gpu.peakTflops[precision.value];
    if (!sourced) {
      const has = Object.keys(gpu.peakTflops).join(', ');
      throw new UsageError(
        `--precision: ${gpu.name} has no dense ${precision.value} peak in its preset (it has ${has}); choose one of those or give --peak-tflops`,
      );
    }
    peak = fromPreset(sourced, gpu.name, 1e12);
  }

  const scenario: Scenario = {
    gpu: gpuFlag !== undefined ? fromFlag(gpu.name) : { value: gpu.name, origin: `preset:${cluster?.name ?? ''}` },
    precision,
    gpuPeakFlopsPerSecond: peak,
    capexMultiplier: num('capex-multiplier') ?? fromDefault('capexMultiplier'),
    powerFactor:
      num('power-factor') ?? optionalPreset(cluster, cluster?.powerFactor) ?? fromDefault('powerFactor'),
    electricityUsdPerKwh:
      num('electricity-price') ??
      optionalPreset(cluster, cluster?.electricityUsdPerKwh) ??
      fromDefault('electricityUsdPerKwh'),
    householdKw: num('household-kw') ?? fromDefault('householdKw'),
  };
  if (model) scenario.model = fromFlag(model.name);
  if (cluster) scenario.cluster = clusterFlag !== undefined ? fromFlag(cluster.name) : { value: cluster.name, origin: 'default', source: defaults.cluster.source };

  const tdp = num('tdp') ?? optionalPreset(gpu, gpu.tdpW);
  if (tdp) scenario.tdpW = tdp;
  const gpus = num('gpus') ?? optionalPreset(cluster, cluster?.gpus);
  if (gpus) scenario.gpus = gpus;
  const mfu = num('mfu') ?? optionalPreset(cluster, cluster?.mfu) ?? fromDefault('mfu');
  scenario.mfu = mfu;
  const price =
    num('gpu-price') ?? optionalPreset(cluster, cluster?.gpuPriceUsd) ?? optionalPreset(gpu, gpu.priceUsd);
  if (price) scenario.gpuPriceUsd = price;

  const params = num('params') ?? optionalPreset(model, model?.params);
  const tokens = num('tokens') ?? optionalPreset(model, model?.tokens);
  const flops = num('flops');
  if (params) scenario.params = params;
  if (tokens) scenario.tokens = tokens;

  if (command === 'estimate') {
    if (flops) scenario.trainingFlops = flops;
    else if (params && tokens) {
      scenario.trainingFlops = { value: trainingFlops6nd(params.value, tokens.value), origin: 'derived', source: '6 x params x tokens' };
    } else {
      throw new UsageError('estimate: expected --model, --flops, or both --params and --tokens');
    }
    if (!scenario.gpus) throw new UsageError('--gpus: expected a GPU count (or a --cluster)');
    return scenario;
  }

  const days = num('days');
  if (!days) throw new UsageError('--days: expected the time budget in days (e.g. --days 100)');
  scenario.budgetDays = days;
  if (flops) scenario.trainingFlops = flops;
  const solveFor: Input<SolveFor> = text('for')
    ? fromFlag(text('for') as SolveFor)
    : {
        value: defaultSolveFor({ params: params !== undefined, tokens: tokens !== undefined, flops: flops !== undefined }),
        origin: 'derived',
        source: 'mfu when the compute is fixed, tokens when only params is given, else params',
      };
  scenario.solveFor = solveFor;
  scenario.tokensPerParam = num('tokens-per-param') ?? fromDefault('tokensPerParam');
  // The unknown is not an input: drop what a preset or default would have filled in.
  if (solveFor.value === 'gpus') {
    if (num('gpus')) throw new UsageError('--gpus: cannot be given when solving for gpus');
    delete scenario.gpus;
  } else if (!scenario.gpus) throw new UsageError('--gpus: expected a GPU count (or a --cluster)');
  if (solveFor.value === 'mfu') {
    if (num('mfu')) throw new UsageError('--mfu: cannot be given when solving for mfu');
    delete scenario.mfu;
  }
  if (solveFor.value === 'params') {
    if (num('params')) throw new UsageError('--params: cannot be given when solving for params');
    delete scenario.params;
  }
  if (solveFor.value === 'tokens') {
    if (num('tokens')) throw new UsageError('--tokens: cannot be given when solving for tokens');
    delete scenario.tokens;
  }
  return scenario;
}

function optionalPreset(preset: Located<{ name: string }> | undefined, n: SourcedNumber | undefined): Input<number> | undefined {
  return preset && n ? fromPreset(n, preset.name) : undefined;
}

/** Returns the time budget of a solve scenario in seconds. */
export function budgetSeconds(scenario: Scenario): number {
  return (scenario.budgetDays?.value ?? 0) * SECONDS_PER_DAY;
}

/** Returns the numbers of an estimate scenario as core inputs (base units). */
export function toRunInputs(scenario: Scenario): RunInputs {
  const { trainingFlops, gpus, mfu } = scenario;
  if (!trainingFlops || !gpus || !mfu) throw new Error('toRunInputs: scenario is not resolved for estimate');
  return {
    ...sharedInputs(scenario),
    trainingFlops: trainingFlops.value,
    gpus: gpus.value,
    mfu: mfu.value,
  };
}

/** Returns the numbers of a solve scenario as core inputs (base units). */
export function toSolveInputs(scenario: Scenario): SolveInputs {
  if (!scenario.solveFor || !scenario.tokensPerParam) throw new Error('toSolveInputs: scenario is not resolved for solve');
  return {
    ...sharedInputs(scenario),
    solveFor: scenario.solveFor.value,
    budgetSeconds: budgetSeconds(scenario),
    tokensPerParam: scenario.tokensPerParam.value,
    gpus: scenario.gpus?.value,
    mfu: scenario.mfu?.value,
    params: scenario.params?.value,
    tokens: scenario.tokens?.value,
    trainingFlops: scenario.trainingFlops?.value,
  };
}

function sharedInputs(s: Scenario): Omit<RunInputs, 'trainingFlops' | 'gpus' | 'mfu'> {
  return {
    gpuPeakFlopsPerSecond: s.gpuPeakFlopsPerSecond.value,
    gpuPriceUsd: s.gpuPriceUsd?.value,
    capexMultiplier: s.capexMultiplier.value,
    tdpW: s.tdpW?.value,
    powerFactor: s.powerFactor.value,
    electricityUsdPerKwh: s.electricityUsdPerKwh.value,
    householdKw: s.householdKw.value,
  };
}
