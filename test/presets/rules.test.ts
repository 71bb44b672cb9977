import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { OPTIONS, type NumberOption } from '../../src/cli/options.js';
import { keepsRule, MAX_COUNT } from '../../src/core/quantity.js';
import { builtinPresetsDir, readPresetDir } from '../../src/presets/load.js';
import { parsePresets, type PresetFile } from '../../src/presets/parse.js';
import { clusterFixture, modelFixture } from '../helpers/presets.js';
import { architectureSchema, clusterSchema, defaultsSchema, gpuSchema, modelSchema, runSchema } from '../../src/presets/schema.js';

/**
 * One rule set for a quantity (issue 13): a number in a preset or defaults file is held to exactly
 * the rule of the flag that sets the same input. Each row: schema, JSON path of the number, flag.
 */
type Shape = Record<string, z.ZodMiniType>;
const shapeOf = (schema: unknown): Shape => {
  let s = schema as { def: { type: string; innerType?: unknown; shape?: Shape } };
  while (s.def.type === 'optional') s = s.def.innerType as typeof s;
  return s.def.shape as Shape;
};
const at = (schema: unknown, path: string): z.ZodMiniType => {
  let current: unknown = schema;
  for (const key of path.split('.')) current = shapeOf(current)[key];
  return current as z.ZodMiniType;
};

const PAIRS: ReadonlyArray<readonly [string, unknown, string, string]> = [
  ['defaults', defaultsSchema, 'mfu.value', 'mfu'],
  ['defaults', defaultsSchema, 'capexMultiplier.value', 'capex-multiplier'],
  ['defaults', defaultsSchema, 'powerFactor.value', 'power-factor'],
  ['defaults', defaultsSchema, 'electricityUsdPerKwh.value', 'electricity-price'],
  ['defaults', defaultsSchema, 'householdKw.value', 'household-kw'],
  ['defaults', defaultsSchema, 'tokensPerParam.value', 'tokens-per-param'],
  ['defaults', defaultsSchema, 'gpuMtbfHours.value', 'gpu-mtbf-hours'],
  ['defaults', defaultsSchema, 'restartMinutes.value', 'restart-minutes'],
  ['defaults', defaultsSchema, 'storageGBps.value', 'storage-gbps'],
  ['defaults', defaultsSchema, 'microBatch.value', 'micro-batch'],
  ['defaults', defaultsSchema, 'tensorParallel.value', 'tensor-parallel'],
  ['defaults', defaultsSchema, 'pipelineParallel.value', 'pipeline-parallel'],
  ['defaults', defaultsSchema, 'gridKgCo2PerKwh.value', 'grid-intensity'],
  ['defaults', defaultsSchema, 'pue.value', 'pue'],
  ['cluster', clusterSchema, 'gpus.value', 'gpus'],
  ['cluster', clusterSchema, 'mfu.value', 'mfu'],
  ['cluster', clusterSchema, 'mfuRange.low', 'mfu'],
  ['cluster', clusterSchema, 'mfuRange.high', 'mfu'],
  ['cluster', clusterSchema, 'powerFactor.value', 'power-factor'],
  ['cluster', clusterSchema, 'electricityUsdPerKwh.value', 'electricity-price'],
  ['cluster', clusterSchema, 'gpuPriceUsd.value', 'gpu-price'],
  ['gpu', gpuSchema, 'peakTflops.bf16.value', 'peak-tflops'],
  ['gpu', gpuSchema, 'tdpW.value', 'tdp'],
  ['gpu', gpuSchema, 'priceUsd.value', 'gpu-price'],
  ['gpu', gpuSchema, 'cloudUsdPerHour.value', 'gpu-hour-price'],
  ['model', modelSchema, 'params.value', 'params'],
  ['model', modelSchema, 'activeParams.value', 'active-params'],
  ['model', modelSchema, 'tokens.value', 'tokens'],
  ['run', runSchema, 'gpus.value', 'gpus'],
  ['run', runSchema, 'mfu.value', 'mfu'],
  ['architecture', architectureSchema, 'layers', 'layers'],
  ['architecture', architectureSchema, 'dModel', 'd-model'],
  ['architecture', architectureSchema, 'heads', 'heads'],
  ['architecture', architectureSchema, 'vocabSize', 'vocab-size'],
  ['architecture', architectureSchema, 'seqLen', 'seq-len'],
];

const PROBES = [1, 2, 0.5, 0.001, 1.5, 0, -0, -1, 5e-324, 1e300, 16_384, MAX_COUNT, 2 ** 53, Number.POSITIVE_INFINITY, Number.NaN];

describe('a number in a file keeps the rule of the flag that sets the same input', () => {
  for (const [kind, schema, path, flag] of PAIRS) {
    it(`${kind} ${path} ~ --${flag}`, () => {
      const option = OPTIONS.find((o): o is NumberOption => o.kind === 'number' && o.flag === flag);
      expect(option, `no number flag --${flag}`).toBeDefined();
      const field = at(schema, path);
      for (const probe of PROBES) {
        expect([probe, z.safeParse(field, probe).success]).toEqual([probe, keepsRule(option?.constraint ?? 'positive', probe)]);
      }
    });
  }
});

describe("the issue's examples: numbers from files are refused as the flags refuse them, naming file and JSON path", () => {
  const builtin = (): PresetFile[] => readPresetDir(builtinPresetsDir(), 'built-in');
  const errorsWith = (kind: PresetFile['kind'], data: unknown): string[] =>
    parsePresets([...builtin(), { path: `mine/${kind === 'defaults' ? 'defaults.json' : `${kind}/x.json`}`, kind, text: JSON.stringify(data), origin: 'mine' }]).errors;
  const sourced = (value: number): object => ({ value, source: 'test' });

  it('defaults.json: tensorParallel 0.001 and microBatch 0.5 (the flags refuse both)', () => {
    expect(errorsWith('defaults', { tensorParallel: sourced(0.001), microBatch: sourced(0.5) })).toEqual([
      'mine/defaults.json: microBatch.value: expected a positive whole number, got 0.5',
      'mine/defaults.json: tensorParallel.value: expected a positive whole number, got 0.001',
    ]);
  });
  it('a cluster whose mfuRange has low above high, or whose MFU is outside its range', () => {
    expect(errorsWith('clusters', clusterFixture('c', 'h100', 8, { mfuRange: { low: 0.5, high: 0.3, source: 'test' } }))).toEqual([
      'mine/clusters/x.json: mfuRange.low: expected low <= high, got 0.5 > 0.3',
    ]);
    expect(errorsWith('clusters', clusterFixture('c', 'h100', 8, { mfu: sourced(0.9), mfuRange: { low: 0.3, high: 0.5, source: 'test' } }))).toEqual([
      'mine/clusters/x.json: mfu.value: expected a value inside mfuRange [0.3, 0.5], got 0.9',
    ]);
  });
  it('a model with more active than total parameters, an architecture whose parts do not fit', () => {
    expect(errorsWith('models', modelFixture('m', 1e9, 1e12, { activeParams: sourced(2e9) }))).toEqual([
      'mine/models/x.json: activeParams.value: expected at most params.value (1000000000), got 2000000000',
    ]);
    const arch = { layers: 4, dModel: 64, heads: 8, kvHeads: 3, seqLen: 128, source: 'test' };
    expect(errorsWith('models', modelFixture('m', 1e9, 1e12, { architecture: arch }))).toEqual([
      'mine/models/x.json: architecture.kvHeads: expected a divisor of heads (8), got 3',
    ]);
    const moe = { ...arch, kvHeads: 2, moe: { experts: 8, activeExperts: 9 } };
    expect(errorsWith('models', modelFixture('m', 1e9, 1e12, { architecture: moe }))).toEqual([
      'mine/models/x.json: architecture.moe.activeExperts: expected at most experts (8), got 9',
    ]);
    const dense = { ...arch, kvHeads: 2, moe: { experts: 8, activeExperts: 2, denseLayers: 5 } };
    expect(errorsWith('models', modelFixture('m', 1e9, 1e12, { architecture: dense }))).toEqual([
      'mine/models/x.json: architecture.moe.denseLayers: expected at most layers (4), got 5',
    ]);
    // The heads split the width into whole head dimensions unless headDim says otherwise (PaLM: 48 heads of 256 in 18,432).
    expect(errorsWith('models', modelFixture('m', 1e9, 1e12, { architecture: { ...arch, heads: 6, kvHeads: 3 } }))).toEqual([
      'mine/models/x.json: architecture.heads: expected a divisor of dModel (64), got 6',
    ]);
    expect(errorsWith('models', modelFixture('m', 1e9, 1e12, { architecture: { ...arch, heads: 6, kvHeads: 3, headDim: 16 } }))).toEqual([]);
  });
  it('a published run on a fractional number of GPUs', () => {
    const run = { gpu: 'h100', precision: 'bf16', gpus: sourced(2.5), gpuHours: sourced(100) };
    expect(errorsWith('models', modelFixture('m', 1e9, 1e12, { run }))).toEqual(['mine/models/x.json: run.gpus.value: expected a positive whole number, got 2.5']);
  });
});

describe('a published run faster than its GPUs peak, or one whose ratios overflow (the backtest\'s "+Infinity %")', () => {
  const sourced = (value: number): object => ({ value, source: 'test' });
  const withModel = (data: unknown): ReturnType<typeof parsePresets> =>
    parsePresets([...readPresetDir(builtinPresetsDir(), 'built-in'), { path: 'mine/models/x.json', kind: 'models', text: JSON.stringify(data), origin: 'mine' }]);

  it('5e-324 GPU-hours is refused at load: an MFU above 1', () => {
    const run = { gpu: 'h100', precision: 'bf16', gpus: sourced(8), gpuHours: sourced(5e-324) };
    const [error] = withModel(modelFixture('m', 1e9, 1e12, { run })).errors;
    expect(error).toMatch(/^mine\/models\/x\.json: run\.gpuHours\.value: expected at least 842 \(6 x params x tokens at the highest dense peak of presets\/gpus\/h100\.json: an MFU above 1 otherwise\), got 5e-324$/);
    const days = { gpu: 'h100', precision: 'bf16', gpus: sourced(8), wallClockDays: sourced(1e-9) };
    expect(withModel(modelFixture('m', 1e9, 1e12, { run: days })).errors[0]).toMatch(/^mine\/models\/x\.json: run\.wallClockDays\.value: expected at least .* on 8 GPUs/);
  });

  it('an energy of 5e-324 MWh: backtest stops with an error naming the file, not "+Infinity %"', async () => {
    const run = { gpu: 'h100', precision: 'bf16', gpus: sourced(8), gpuHours: sourced(1e6), energyMwh: sourced(5e-324) };
    const { presets, errors } = withModel(modelFixture('m', 1e9, 1e12, { run }));
    expect(errors).toEqual([]);
    const { buildBacktest } = await import('../../src/cli/backtest.js');
    expect(() => buildBacktest(presets as NonNullable<typeof presets>)).toThrow(/^mine\/models\/x\.json: run\.energyMwh\.value: gives a relativeError that is not a finite number/);
  });
});
