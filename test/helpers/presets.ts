import { readFileSync } from 'node:fs';

const builtin = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../presets/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/**
 * A valid GPU preset (plain JSON data) built on the shipped h100, so that test fixtures keep up with
 * schema changes; one dense bf16 peak of `bf16` TFLOP/s unless `over` says otherwise.
 */
export function gpuFixture(name: string, over: Record<string, unknown> = {}, bf16 = 500): Record<string, unknown> {
  return { ...builtin('gpus/h100.json'), name, label: `${name} (test)`, peakTflops: { bf16: { value: bf16, source: 'test datasheet' } }, ...over };
}

/** A valid cluster preset built on the shipped h100x16k: `gpus` GPUs of preset `gpu`. */
export function clusterFixture(name: string, gpu: string, gpus: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...builtin('clusters/h100x16k.json'), name, label: `${name} (test)`, gpu, gpus: { value: gpus, source: 'test order' }, ...over };
}

/** A valid model preset built on the shipped gpt-3 (without its architecture and run). */
export function modelFixture(name: string, params: number, tokens: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  const { architecture: _a, run: _r, reportedFlops: _f, activeParams: _p, ...base } = builtin('models/gpt-3.json');
  return { ...base, name, label: `${name} (test)`, params: { value: params, source: 'test card' }, tokens: { value: tokens, source: 'test card' }, ...over };
}
