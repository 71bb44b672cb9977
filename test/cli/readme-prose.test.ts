import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatHuman, withCommas } from '../../src/format/human.js';
import { runJson } from '../helpers/cli.js';

/**
 * The README's prose figures that come from a command (the console blocks are refreshed and checked
 * by readme.test.ts; a figure in a sentence is not): each is recomputed with the built CLI, so a
 * change of a default or a calibration that makes a sentence stale fails here, naming the sentence.
 * Once "68-77 days" stayed in the prose while the table said 81.0 days (67.8 to 116).
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
type Results = Record<string, unknown> & { memory?: Record<string, number> };
/** Expects the README to contain `text` (failing with the sentence, not the whole README). */
const says = (text: string): void => expect(readme.includes(text), `README.md should say: ${text}`).toBe(true);
const results = (args: string[]): Results => runJson(args).results as Results;
const LLAMA = ['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k'];
/** Llama 3.1 model card: 30.84M H100-hours for the 405B model. */
const META_GPU_HOURS = 30.84e6;
/** DeepSeek-V3 technical report, Table 1: 2.664M H800-hours of pre-training. */
const DEEPSEEK_GPU_HOURS = 2.664e6;

describe('README prose figures equal what the CLI prints', () => {
  it("first example: Meta's 30.84M H100-hours lie inside the estimate's GPU-hours range", () => {
    says("Meta's model card reports 30.84M H100-hours for this run (about 78 days on 16,384 GPUs, the long-context and annealing stages included): inside the GPU-hours range above.");
    expect(Math.round(META_GPU_HOURS / 16_384 / 24)).toBe(78);
    const [low, high] = results(LLAMA)['gpuHoursRange'] as [number, number];
    expect(low).toBeLessThanOrEqual(META_GPU_HOURS);
    expect(high).toBeGreaterThanOrEqual(META_GPU_HOURS);
  });

  it("DeepSeek-V3 example: the FLOPs, DeepSeek's hours below the range, the training state", () => {
    const r = results(['estimate', '--params', '671B', '--active-params', '37B', '--tokens', '14.8T', '--gpu', 'h800', '--gpus', '2048']);
    says(`Training compute is 6 x 37e9 x 14.8e12 = ${formatHuman(r['trainingFlops'], 'flops')}.`);
    says('DeepSeek-V3 reports 2.664M H800-hours of pre-training, below the GPU-hours range');
    expect((r['gpuHoursRange'] as [number, number])[0]).toBeGreaterThan(DEEPSEEK_GPU_HOURS);
    const m = r.memory ?? {};
    says(`parameters: ${formatBytes(m['stateBytes'] ?? 0)}, at least ${withCommas(m['minGpusForState'] ?? 0)} GPUs of ${withCommas((m['gpuMemoryBytes'] ?? 0) / 1e9)} GB`);
  });

  it("amortized cost: the first example's figure, the GPUs' share, Meta's hours on new H100s", () => {
    const r = results(LLAMA);
    const amortized = r['amortizedCostUsd'] as number;
    says(`For Llama 3.1 405B on \`h100x16k\` this is ${formatHuman(amortized, 'usd')} (the first example; the GPUs alone, \`amortizedGpuCapexUsd\`, are about half of it)`);
    const share = (r['amortizedGpuCapexUsd'] as number) / amortized;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    // The method is linear in GPU-hours: per GPU-hour of new hardware, times Meta's hours.
    const fresh = results([...LLAMA, '--hardware-age', '0']);
    const atMetaHours = ((fresh['amortizedCostUsd'] as number) / (fresh['gpuHours'] as number)) * META_GPU_HOURS;
    says(`with the reported 30.84M H100-hours and a new $30k H100 the method gives ${formatHuman(atMetaHours, 'usd')}.`);
  });
  it('accuracy and "Which MFU drives the estimate": the backtest figures the prose quotes', () => {
    const doc = runJson(['backtest']) as unknown as { methods: { key: string; runs: number; leaveOneOut: Record<string, number> }[] };
    const m = (key: string) => doc.methods.find((x) => x.key === key)!;
    const loo = (key: string): string => m(key).leaveOneOut['medianAbsLogError']!.toFixed(3);
    const cover = (key: string): string => `${(m(key).leaveOneOut['coverage']! * 100).toFixed(0)} %`;
    const ratio = (key: string): string => m(key).leaveOneOut['medianRangeRatio']!.toFixed(2);
    says(`is off by a median factor of e^${loo('default')} = ${Math.exp(Number(loo('default'))).toFixed(2)} for a run it has not seen (leave-one-out), and its 80 % range (high/low ${ratio('default')}) holds ${cover('default')}`);
    says(`the published-run MFU alone is off by e^${loo('published')} (range ${ratio('published')}, ${cover('published')})`);
    says(`on the ${m('predicted').runs} runs the throughput model predicts`);
    says(`off by a median e^${loo('predicted')} leave-one-out, its range (high/low ${ratio('predicted')}) holding ${cover('predicted')} of them, against e^${loo('published, same runs')} and ${cover('published, same runs')} (${ratio('published, same runs')})`);
    says(`over all ${m('default').runs} runs the default is off by e^${loo('default')} against e^${loo('published')}`);
    says(`by e^${loo('best constant')} and Epoch AI's 0.375 by e^${loo('constant 0.375')}`);
  });
});
