// The steady-state MFU the throughput model (issue 10) predicts for a published run, as a user
// would get it: `estimate --model M --gpu G --gpus N --precision P --mfu-from predicted` with the
// run's published plan as flags (the knobs it does not state searched), else the searched plan.
// The scenario is resolved by a function the caller passes (resolveScenario), which keeps this
// module out of an import cycle with resolve.ts.
import type { FlagValues, Scenario } from '../scenario/types.js';
import type { PublishedRun } from './observations.js';

/** Resolves an estimate scenario from flags (resolveScenario('estimate', flags, presets)). */
export type ResolveEstimate = (flags: FlagValues) => Scenario;

/** Returns the plan flags of a run's published plan (only the knobs it states). */
function planFlags(run: PublishedRun): FlagValues {
  const p = run.model.run?.plan;
  if (!p) return {};
  const flags: FlagValues = {};
  const set = (flag: string, value: number | string | undefined): void => {
    if (value !== undefined) flags[flag] = value;
  };
  set('tensor-parallel', p.tensorParallel);
  set('pipeline-parallel', p.pipelineParallel);
  set('data-parallel', p.dataParallel);
  set('context-parallel', p.contextParallel);
  set('expert-parallel', p.expertParallel);
  set('virtual-stages', p.virtualStages);
  set('micro-batch', p.microBatch);
  set('recompute', p.recompute);
  set('zero', p.zeroStage === undefined ? undefined : String(p.zeroStage));
  return flags;
}

/** What the throughput model predicted for one run, and with which plan. */
export interface SteadyStatePrediction {
  mfu: number;
  plan: 'published' | 'searched';
}

/**
 * Returns the throughput model's steady-state MFU of a published run (against the peak of its
 * precision, counted as trainingFlops counts), with its published plan when the model accepts it,
 * else the searched one; undefined when it cannot predict (no GPU count, no architecture, no plan)
 * or is not validated (a run not in 16-bit precision).
 */
export function predictSteadyState(resolve: ResolveEstimate, run: PublishedRun): SteadyStatePrediction | undefined {
  const r = run.model.run;
  const gpus = r?.gpus?.value;
  // 16-bit runs only, as the default predicts (no FP8 row validates the throughput model).
  if (!r || !gpus || !run.model.architecture || (r.precision !== 'bf16' && r.precision !== 'fp16')) return undefined;
  const base: FlagValues = { model: run.model.name, gpu: run.gpu.name, gpus, precision: r.precision, 'mfu-from': 'predicted' };
  const attempt = (flags: FlagValues): number | undefined => {
    try {
      const s = resolve(flags);
      return s.mfu?.origin === 'derived' && s.mfuFrom?.value === 'predicted' ? s.mfu.value : undefined;
    } catch {
      return undefined; // a plan or batch the model cannot split: the next attempt, or no prediction
    }
  };
  const plan = planFlags(run);
  if (Object.keys(plan).length > 0) {
    const mfu = attempt({ ...base, ...plan });
    if (mfu !== undefined) return { mfu, plan: 'published' };
  }
  const mfu = attempt(base);
  return mfu === undefined ? undefined : { mfu, plan: 'searched' };
}
