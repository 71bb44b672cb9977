// --hf-config through the built CLI: counts, the sequence-length source, --params precedence, MoE notes, errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { fixture, fixturePath } from '../presets/hf/fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'llmcost-hf-'));
const write = (name: string, config: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
};
let written = 0;
const notes = (doc: { [k: string]: unknown }): string => (doc['notes'] as string[]).join('\n');
const base = ['--tokens', '1T', '--cluster', 'h100x16k'];

describe('llmcost estimate --hf-config', () => {
  it('Gemma 7B without tie_word_embeddings: 8.54B (Gemma report Table 2), not the untied 9.3B', () => {
    const doc = runJson(['estimate', '--hf-config', fixturePath('gemma-7b'), ...base]);
    expect(Math.abs((doc.results['params'] as number) / 8.538e9 - 1)).toBeLessThan(0.005);
    expect(notes(doc)).toMatch(/model_type gemma, 8.54B params \(module shapes of transformers models\/gemma\/modeling_gemma.py\)/);
    expect(notes(doc)).toMatch(/gemma defaults used for keys the file leaves out: tie_word_embeddings=true/);
  });

  it('Qwen2.5-7B says 131,072 positions: attention and activations use 4,096, and the input says where it came from', () => {
    const doc = runJson(['estimate', '--hf-config', fixturePath('qwen2.5-7b'), ...base]);
    const arch = doc.inputs['architecture'] as unknown as { value: { seqLen: number }; source: string };
    expect(arch.value.seqLen).toBe(4096);
    expect(arch.source).toMatch(/seqLen 4096: default 4096 for a long-context config \(max_position_embeddings = 131072/);
    expect(notes(doc)).toMatch(/sequence length 4096 for attention FLOPs and activations/);
    const flag = runJson(['estimate', '--hf-config', fixturePath('qwen2.5-7b'), '--seq-len', '32768', ...base]);
    expect((flag.inputs['architecture'] as unknown as { value: { seqLen: number } }).value.seqLen).toBe(32768);
    expect(notes(flag)).toMatch(/--seq-len 32768 wins over 4096/);
  });

  it('--params wins over the file (FLOPs use it) with a note; a smaller --params is no --active-params error', () => {
    const doc = runJson(['estimate', '--hf-config', fixturePath('llama-3.1-8b'), '--params', '7B', ...base]);
    expect(doc.results['trainingFlops6nd']).toBe(6 * 7e9 * 1e12);
    expect(notes(doc)).toMatch(/--params 7B wins over the 8.03B counted from --hf-config/);
    const moe = runCli(['estimate', '--hf-config', fixturePath('deepseek-v3'), '--params', '30B', ...base, '--json']);
    expect(moe.stderr).not.toMatch(/active-params/);
    expect(moe.status).toBe(0);
    const d = JSON.parse(moe.stdout);
    expect(d.results.trainingFlops6nd).toBe(6 * 30e9 * 1e12);
    expect(notes(d)).not.toMatch(/mixture of experts/);
  });

  it('dense configs get no mixture-of-experts note; MoE configs do, with the active count driving FLOPs', () => {
    for (const name of ['llama-3.1-8b', 'falcon-7b', 'gpt2-xl']) {
      const doc = runJson(['estimate', '--hf-config', fixturePath(name), ...base]);
      expect(notes(doc), name).not.toMatch(/mixture of experts/);
      expect(doc.inputs['activeParams'], name).toBeUndefined();
    }
    const doc = runJson(['estimate', '--hf-config', fixturePath('mixtral-8x7b'), ...base]);
    expect(notes(doc)).toMatch(/mixture of experts: FLOPs use the 12.9B active parameters/);
    expect(doc.results['trainingFlops6nd']).toBe(6 * 12_879_925_248 * 1e12);
  });

  it('keys the count did not use are named', () => {
    const path = write('llama-extra.json', { ...fixture('llama-3.1-8b'), some_future_field: 7 });
    expect(notes(runJson(['estimate', '--hf-config', path, ...base]))).toMatch(/not used: some_future_field/);
  });

  it.each([
    [{ ...fixture('llama-3.1-8b'), model_type: 'mamba' }, /^llmcost: --hf-config .*bad-\d+\.json: model_type: expected one of llama, .*, got "mamba"\n$/],
    [{ ...fixture('deepseek-v3'), first_k_dense_replace: 62 }, /: first_k_dense_replace: expected at most num_hidden_layers \(61\), got 62\n$/],
    [{ ...fixture('mixtral-8x7b'), num_experts_per_tok: 9 }, /: num_experts_per_tok: expected at most num_local_experts \(8\), got 9\n$/],
    [{ ...fixture('gpt2-xl'), n_head: 24 }, /: n_head: expected a divisor of n_embd \(1600\), got 24\n$/],
    [{ ...fixture('llama-3.1-8b'), hidden_size: -4096 }, /: hidden_size: expected a positive whole number, got -4096\n$/],
  ])('an impossible config is a one-line exit-2 error naming the file and key (%#)', (config, message) => {
    const run = runCli(['estimate', '--hf-config', write(`bad-${++written}.json`, config), ...base]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('solve takes the same notes', () => {
    const run = runCli(['solve', '--hf-config', fixturePath('qwen3-30b-a3b'), '--days', '30', '--cluster', 'h100x16k', '--for', 'tokens']);
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/model_type qwen3_moe, 30.5B params, 3.35B active/);
  });
});
