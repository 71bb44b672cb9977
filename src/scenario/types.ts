// The resolved scenario: every input of a run with its value, origin and source (types only).
import type { FlopsMethod } from '../core/compute.js';
import type { Optimizer } from '../core/memory.js';
import type { SolveFor } from '../core/solve.js';
import type { Plan, Recompute, ZeroStage } from '../core/throughput/plan.js';
import type { ModelPreset, Precision } from '../presets/schema.js';

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
  /** Steady-state MFU: the fraction of the precision's dense peak achieved while training. */
  mfu?: Input<number>;
  /** Run utilization (0-1]: what evaluation, stragglers, idle allocation and restarts after divergence leave of the steady state. */
  runUtilization?: Input<number>;
  /** The 80 % range as factors on GPU-hours and wall-clock (from the backtest's leave-one-out residuals). */
  rangeFactors?: Input<[number, number]>;
  gpuPriceUsd?: Input<number>;
  capexMultiplier: Input<number>;
  tdpW?: Input<number>;
  powerFactor: Input<number>;
  electricityUsdPerKwh: Input<number>;
  householdKw: Input<number>;
  budgetDays?: Input<number>;
  solveFor?: Input<SolveFor>;
  tokensPerParam?: Input<number>;
  /** Failure model inputs; absent with --no-failures. */
  gpuMtbfHours?: Input<number>;
  interruptionsPerDay?: Input<number>;
  restartSeconds?: Input<number>;
  checkpointSeconds?: Input<number>;
  storageBytesPerSecond?: Input<number>;
  checkpointIntervalSeconds?: Input<number>;
  failures: Input<boolean>;
  /** Memory inputs. */
  optimizer?: Input<Optimizer>;
  stateBytesPerParam: Input<number>;
  gpuMemoryBytes: Input<number>;
  microBatch?: Input<number>;
  seqLen?: Input<number>;
  tensorParallel?: Input<number>;
  pipelineParallel?: Input<number>;
  /** The architecture used for activation memory and attention FLOPs. */
  architecture?: Input<Architecture>;
  activeParams?: Input<number>;
  flopsMethod?: Input<FlopsMethod>;
  usdPerGpuHour?: Input<number>;
  gridKgCo2PerKwh?: Input<number>;
  pue?: Input<number>;
  depreciationOomPerYear?: Input<number>;
  /** Throughput model (issue 10): HBM and links of the GPU, network of the cluster, the plan knobs given by flag. */
  hbmBytesPerSecond?: Input<number>;
  scaleUpBytesPerSecond?: Input<number>;
  scaleUpDomainGpus?: Input<number>;
  scaleOutBytesPerSecond?: Input<number>;
  globalBatch?: Input<number>;
  dataParallel?: Input<number>;
  contextParallel?: Input<number>;
  expertParallel?: Input<number>;
  virtualStages?: Input<number>;
  recompute?: Input<Recompute>;
  zero?: Input<ZeroStage>;
  /** Whether the predicted or the published-run MFU drives wall-clock and cost. */
  mfuFrom?: Input<'predicted' | 'published'>;
  /** The parallel plan evaluated (given by flags, or the best one searched). */
  plan?: Input<Plan>;
  /** Epoch AI's amortized-cost assumptions (Cottier et al. 2024). */
  serverCostOverhead?: Input<number>;
  interconnectCostFraction?: Input<number>;
  hardwareAgeYears?: Input<number>;
  amortizedPowerPerTdp?: Input<number>;
}

/** The architecture numbers llmcost uses (a model preset's, or from flags / an HF config). */
export type Architecture = NonNullable<ModelPreset['architecture']>;

/** Parsed flag values keyed by flag name (numbers already in base units). */
export type FlagValues = Partial<Record<string, string | number | boolean>>;

