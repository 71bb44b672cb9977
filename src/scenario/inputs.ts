// The resolved scenario's numbers as the core's inputs (base units): the one place a Scenario becomes RunInputs or SolveInputs.
import { trainingCompute, type ComputeResult } from '../core/compute.js';
import type { RunInputs } from '../core/estimate.js';
import type { ActivationArchitecture, ActivationPlan, PlanMemoryView } from '../core/memory.js';
import type { FailureModel } from '../core/reliability.js';
import type { SolveInputs } from '../core/solve.js';
import { checkpointBytesOf } from '../core/throughput/memory.js';
import { SECONDS_PER_DAY } from '../core/units.js';
import { UsageError } from '../errors.js';
import type { Scenario } from './types.js';

/** Returns the time budget of a solve scenario in seconds. */
export function budgetSeconds(scenario: Scenario): number {
  return (scenario.budgetDays?.value ?? 0) * SECONDS_PER_DAY;
}

/**
 * Returns the numbers of an estimate scenario as core inputs (base units); `planMemory`, the memory
 * of the plan the throughput section evaluated, makes results.memory follow that plan.
 */
export function toRunInputs(scenario: Scenario, planMemory?: PlanMemoryView): RunInputs {
  const { trainingFlops, gpus, mfu } = scenario;
  if (!trainingFlops || !gpus || !mfu) throw new Error('toRunInputs: scenario is not resolved for estimate');
  // Properties added to one literal, not a spread into another: V8 keeps this object fast to read,
  // where the spread copy was ~10x slower (a sweep builds one per point).
  const inputs = sharedInputs(scenario, gpus.value, planMemory) as RunInputs;
  inputs.trainingFlops = trainingFlops.value;
  inputs.gpus = gpus.value;
  inputs.mfu = mfu.value;
  return inputs;
}

/** Returns the numbers of a solve scenario as core inputs (base units); `planMemory` as toRunInputs. */
export function toSolveInputs(scenario: Scenario, planMemory?: PlanMemoryView): SolveInputs {
  if (!scenario.solveFor || !scenario.tokensPerParam) throw new Error('toSolveInputs: scenario is not resolved for solve');
  if (scenario.interruptionsPerDay && !scenario.gpus) {
    throw new UsageError('--interruptions-per-day: describes a given GPU count; use --gpu-mtbf-hours when solving for gpus');
  }
  return {
    ...sharedInputs(scenario, scenario.gpus?.value, planMemory),
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

function sharedInputs(s: Scenario, gpus: number | undefined, planMemory: PlanMemoryView | undefined): Omit<RunInputs, 'trainingFlops' | 'gpus' | 'mfu'> {
  return {
    pue: s.pue?.value,
    usdPerGpuHour: s.usdPerGpuHour?.value,
    amortization: amortizationOf(s),
    gridKgCo2PerKwh: s.gridKgCo2PerKwh?.value,
    runUtilization: s.runUtilization?.value,
    rangeFactors: s.rangeFactors?.value,
    params: s.params?.value,
    failures: failureModel(s, gpus),
    memory: {
      bytesPerParam: s.stateBytesPerParam.value,
      gpuMemoryBytes: s.gpuMemoryBytes.value,
      activations: planMemory ? undefined : activationInputs(s),
      plan: planMemory,
    },
    gpuPeakFlopsPerSecond: s.gpuPeakFlopsPerSecond.value,
    gpuPriceUsd: s.gpuPriceUsd?.value,
    capexMultiplier: s.capexMultiplier.value,
    tdpW: s.tdpW?.value,
    powerFactor: s.powerFactor.value,
    electricityUsdPerKwh: s.electricityUsdPerKwh.value,
    householdKw: s.householdKw.value,
  };
}

/** Returns Epoch AI's amortized-cost assumptions of a scenario (all resolved from defaults or flags). */
function amortizationOf(s: Scenario): RunInputs['amortization'] {
  const { depreciationOomPerYear: r, serverCostOverhead: server, interconnectCostFraction: network, hardwareAgeYears: age, amortizedPowerPerTdp: power } = s;
  if (!r || !server || !network || !age || !power) return undefined;
  return {
    depreciationOomPerYear: r.value,
    serverCostOverhead: server.value,
    interconnectCostFraction: network.value,
    hardwareAgeYears: age.value,
    powerPerTdp: power.value,
  };
}

/** True when failures are on but cannot be modelled (checkpoint size unknown without params). */
export function failuresUnmodelled(s: Scenario): boolean {
  return s.failures.value && failureModel(s, s.gpus?.value ?? 1) === undefined;
}

/** Returns the failure model of a scenario, or undefined with --no-failures. */
function failureModel(s: Scenario, gpus: number | undefined): FailureModel | undefined {
  if (!s.failures.value || !s.restartSeconds) return undefined;
  // The checkpoint size needs the parameter count, unless solve is about to find it.
  const paramsKnown = s.params !== undefined || s.solveFor?.value === 'params';
  if (s.checkpointSeconds === undefined && !paramsKnown) return undefined;
  const gpuMtbfHours = s.interruptionsPerDay ? ((gpus ?? Number.NaN) * 24) / s.interruptionsPerDay.value : s.gpuMtbfHours?.value;
  if (gpuMtbfHours === undefined) return undefined;
  return {
    gpuMtbfHours,
    restartSeconds: s.restartSeconds.value,
    checkpointSeconds: s.checkpointSeconds?.value,
    checkpointBytesPerParam: checkpointBytesOf(s.stateBytesPerParam.value, s.optimizer?.value === 'adam-fp32'),
    storageBytesPerSecond: s.storageBytesPerSecond?.value ?? Number.NaN,
    checkpointIntervalSeconds: s.checkpointIntervalSeconds?.value,
  };
}

/**
 * Returns the architecture and plan activations are computed for when no plan was evaluated (the
 * throughput model lacked an input) but the architecture is known: the scenario's own TP, PP and
 * micro-batch, sequence parallelism on (as Korthikanti et al. 2022 and Megatron-LM run tensor
 * parallelism), plain 1F1B with p micro-batches per step, no context parallelism, FlashAttention
 * (the throughput model's default: no stored scores).
 */
function activationInputs(s: Scenario): { arch: ActivationArchitecture; plan: Omit<ActivationPlan, 'recompute'> } | undefined {
  const a = s.architecture?.value;
  if (!a || !s.seqLen || !s.microBatch || !s.tensorParallel || !s.pipelineParallel) return undefined;
  const p = s.pipelineParallel.value;
  return {
    arch: a,
    plan: {
      seqLen: s.seqLen.value,
      microBatch: s.microBatch.value,
      tensorParallel: s.tensorParallel.value,
      sequenceParallel: true,
      pipelineParallel: p,
      virtualStages: 1,
      microBatches: p,
      contextParallel: 1,
      attention: 'flash',
    },
  };
}

/** Returns both FLOP counts of a scenario (undefined when --flops fixes the compute or params/tokens are unknown). */
export function computeOf(s: Scenario): ComputeResult | undefined {
  if (!s.params || !s.tokens || s.trainingFlops?.origin === 'flag') return undefined;
  const a = s.architecture?.value;
  return trainingCompute({
    params: s.params.value,
    activeParams: s.activeParams?.value,
    tokens: s.tokens.value,
    architecture: a ? { ...a, seqLen: s.seqLen?.value ?? a.seqLen } : undefined,
    method: s.flopsMethod?.value ?? '6nd',
  });
}

