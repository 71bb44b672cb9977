// predictSteadyState (src/presets/predicted.ts) with a resolver that records what it is asked: the
// flags are those a user would type for the run (`estimate --model M --gpu G --gpus N --precision P
// --mfu-from predicted` plus one flag per knob the published plan states, named as the CLI names
// them), and only a scenario whose MFU the throughput model derived counts as a prediction.
import { describe, expect, it } from 'vitest';
import { predictSteadyState } from '../../src/presets/predicted.js';
import type { PublishedRun } from '../../src/presets/observations.js';
import type { FlagValues, Scenario } from '../../src/scenario/types.js';

const source = 'hand-made run for this test';
const run = (plan: Record<string, unknown> | undefined, gpus: number | null = 64): PublishedRun =>
  ({
    model: {
      name: 'hand-7b',
      architecture: { layers: 32 },
      run: { gpu: 'h100', precision: 'bf16', ...(gpus === null ? {} : { gpus: { value: gpus, source } }), ...(plan ? { plan: { ...plan, source } } : {}) },
    },
    gpu: { name: 'h100' },
  }) as unknown as PublishedRun;
const base = { model: 'hand-7b', gpu: 'h100', gpus: 64, precision: 'bf16', 'mfu-from': 'predicted' };
/** A resolver that records its flags and answers with `scenario`. */
const recorder = (scenario: Partial<Scenario>) => {
  const seen: FlagValues[] = [];
  const resolve = (flags: FlagValues): Scenario => {
    seen.push(flags);
    return scenario as Scenario;
  };
  return { seen, resolve };
};
const predicted = { mfu: { value: 0.41, origin: 'derived' }, mfuFrom: { value: 'predicted', origin: 'flag' } } as Partial<Scenario>;

describe('the flags of a published plan', () => {
  it('every knob a plan can state, under its CLI flag (ZeRO as the text of its stage)', () => {
    const { seen, resolve } = recorder(predicted);
    const plan = { tensorParallel: 2, pipelineParallel: 4, dataParallel: 8, contextParallel: 1, expertParallel: 1, virtualStages: 2, microBatch: 3, recompute: 'full', zeroStage: 1, globalBatch: 512, seqLen: 4096 };
    expect(predictSteadyState(resolve, run(plan))).toEqual({ mfu: 0.41, plan: 'published' });
    // globalBatch and seqLen are no knob of the search: the run's own batch comes from the preset.
    expect(seen).toEqual([{ ...base, 'tensor-parallel': 2, 'pipeline-parallel': 4, 'data-parallel': 8, 'context-parallel': 1, 'expert-parallel': 1, 'virtual-stages': 2, 'micro-batch': 3, recompute: 'full', zero: '1' }]);
  });

  it('ZeRO stage 0 (plain data parallelism) is stated too, as "0"', () => {
    const { seen, resolve } = recorder(predicted);
    predictSteadyState(resolve, run({ zeroStage: 0 }));
    expect(seen[0]).toEqual({ ...base, zero: '0' });
  });

  it('a plan that states no knob, or no plan: one attempt with the base flags, "searched"', () => {
    for (const plan of [{ globalBatch: 512 }, undefined]) {
      const { seen, resolve } = recorder(predicted);
      expect(predictSteadyState(resolve, run(plan))).toEqual({ mfu: 0.41, plan: 'searched' });
      expect(seen).toEqual([base]);
    }
  });
});

describe('what counts as a prediction', () => {
  it('an MFU derived with --mfu-from predicted; the same MFU from another method, or given, is none (both attempts tried)', () => {
    for (const scenario of [
      { ...predicted, mfuFrom: { value: 'published', origin: 'default' } },
      { ...predicted, mfuFrom: undefined },
      { ...predicted, mfu: { value: 0.41, origin: 'flag' } },
    ] as Partial<Scenario>[]) {
      const { seen, resolve } = recorder(scenario);
      expect(predictSteadyState(resolve, run({ tensorParallel: 2 }))).toBeUndefined();
      expect(seen).toEqual([{ ...base, 'tensor-parallel': 2 }, base]);
    }
  });

  it('no GPU count: nothing is resolved', () => {
    const { seen, resolve } = recorder(predicted);
    expect(predictSteadyState(resolve, run({ tensorParallel: 2 }, null))).toBeUndefined();
    expect(seen).toEqual([]);
  });
});
