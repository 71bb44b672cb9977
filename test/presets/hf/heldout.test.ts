// Held-out configs: a second, different size of 12 families, taken from public copies of the real
// config.json (test/fixtures/hf/SOURCES.md, "Held-out configs") and checked against published counts
// the family modules were not written against. None needed a change to the code.
import { describe, expect, it } from 'vitest';
import { parseHfConfig } from '../../../src/presets/hf/index.js';
import { fixture } from './fixture.js';

interface Row {
  fixture: string;
  total: number;
  totalSource: string;
  /** The precision of the published figure (half a unit of its last digit), when coarser than 0.5 %. */
  precision?: number;
  /** Published non-embedding count (all embedding matrices removed) and its precision. */
  nonEmbedding?: number;
  nonEmbeddingPrecision?: number;
  active?: number;
  activePrecision?: number;
}

const HALF_PERCENT = 0.005;
// Qwen's tables and cards truncate to the digits shown (7.615B reads "7.61B"): one unit of the last digit.
const QWEN2_TABLE = 'Qwen2 model table (Qwen2 blog and README: Params / Non-Emb Params)';

const ROWS: Row[] = [
  { fixture: 'llama-2-7b', total: 6_738_415_616, totalSource: 'meta-llama/Llama-2-7b-hf loaded in transformers: 6,738,415,616 parameters (PEFT print_trainable_parameters, e.g. S. Raschka, Finetuning LLMs with LoRA, Lightning AI)' },
  { fixture: 'llama-3.1-70b', total: 70_553_706_496, totalSource: 'meta-llama/Llama-3.1-70B safetensors metadata on the Hub: 70,553,706,496 BF16 parameters' },
  {
    fixture: 'mixtral-8x22b', total: 141e9, totalSource: 'Mistral AI, "Cheaper, Better, Faster, Stronger" (Apr 2024): 39B active parameters out of 141B',
    precision: 0.5e9, active: 39e9, activePrecision: 0.5e9,
  },
  { fixture: 'qwen2-0.5b', total: 0.49e9, totalSource: `${QWEN2_TABLE}: Qwen2-0.5B 0.49B, 0.35B non-embedding, tied`, precision: 0.01e9, nonEmbedding: 0.35e9, nonEmbeddingPrecision: 0.01e9 },
  { fixture: 'qwen2-72b-instruct', total: 72.71e9, totalSource: `${QWEN2_TABLE}: Qwen2-72B 72.71B, 70.21B non-embedding`, precision: 0.01e9, nonEmbedding: 70.21e9, nonEmbeddingPrecision: 0.01e9 },
  {
    fixture: 'qwen2-57b-a14b', total: 57.41e9, totalSource: `${QWEN2_TABLE}: Qwen2-57B-A14B 57.41B, 56.32B non-embedding; 14B activated (its name and card)`,
    precision: 0.01e9, nonEmbedding: 56.32e9, nonEmbeddingPrecision: 0.01e9, active: 14e9, activePrecision: 0.5e9,
  },
  { fixture: 'qwen3-0.6b', total: 0.6e9, totalSource: 'Qwen/Qwen3-0.6B model card: 0.6B parameters, 0.44B non-embedding (tied)', precision: 0.1e9, nonEmbedding: 0.44e9, nonEmbeddingPrecision: 0.01e9 },
  { fixture: 'qwen3-32b', total: 32.8e9, totalSource: 'Qwen/Qwen3-32B model card: 32.8B parameters, 31.2B non-embedding', precision: 0.1e9, nonEmbedding: 31.2e9, nonEmbeddingPrecision: 0.1e9 },
  {
    fixture: 'qwen3-235b-a22b', total: 235e9, totalSource: 'Qwen/Qwen3-235B-A22B model card: 235B parameters in total, 22B activated',
    precision: 1e9, active: 22e9, activePrecision: 1e9,
  },
  // Gemma reports count the embedding at the 256,128-entry Gemini vocabulary; the configs say 256,000.
  { fixture: 'gemma-2b', total: 524_550_144 + 1_981_884_416, totalSource: 'Gemma report (arXiv 2403.08295) Table 2: 2B 524,550,144 embedding + 1,981,884,416 non-embedding', nonEmbedding: 1_981_884_416 },
  { fixture: 'gemma-2-2b', total: 590_118_912 + 2_024_517_888, totalSource: 'Gemma 2 report (arXiv 2408.00118) Table 2: 2B 590,118,912 embedding + 2,024,517,888 non-embedding', nonEmbedding: 2_024_517_888 },
  { fixture: 'gemma-2-27b', total: 1_180_237_824 + 26_047_480_320, totalSource: 'Gemma 2 report (arXiv 2408.00118) Table 2: 27B 1,180,237,824 embedding + 26,047,480,320 non-embedding', nonEmbedding: 26_047_480_320 },
  { fixture: 'phi-3-medium-4k', total: 14e9, totalSource: 'microsoft/Phi-3-medium-4k-instruct model card: 14B parameters', precision: 0.5e9 },
  { fixture: 'phi-3.5-mini', total: 3.8e9, totalSource: 'microsoft/Phi-3.5-mini-instruct model card: 3.8B parameters', precision: 0.05e9 },
  { fixture: 'gpt2', total: 124e6, totalSource: 'openai/gpt-2 release: the 124M model (GPT-2 small)', precision: 0.5e6 },
  { fixture: 'gpt2-medium', total: 355e6, totalSource: 'openai/gpt-2 release: the 355M model (GPT-2 medium)', precision: 0.5e6 },
  { fixture: 'pythia-1b', total: 1_011_781_632, totalSource: 'EleutherAI Pythia model card table: 1B total 1,011,781,632, non-embedding 805,736,448', nonEmbedding: 805_736_448 },
  { fixture: 'bloom-7b1', total: 7_069_016_064, totalSource: 'bigscience/bloom-7b1 model card: 7,069,016,064 parameters' },
];

const tolerance = (value: number, precision: number | undefined): number => Math.max(precision ?? 0, HALF_PERCENT * value);
const nonEmbeddingOf = (name: string): number => {
  const c = parseHfConfig(fixture(name));
  const a = c.architecture;
  return c.params - (a.vocabSize ?? 0) * a.dModel * (a.tiedEmbeddings ? 1 : 2);
};

describe('held-out configs against published counts', () => {
  it.each(ROWS)('$fixture: $totalSource', (row) => {
    const c = parseHfConfig(fixture(row.fixture));
    expect(Math.abs(c.params - row.total)).toBeLessThanOrEqual(tolerance(row.total, row.precision));
    if (row.nonEmbedding !== undefined) {
      expect(Math.abs(nonEmbeddingOf(row.fixture) - row.nonEmbedding)).toBeLessThanOrEqual(row.nonEmbeddingPrecision ?? 0);
    }
    expect(c.mixtureOfExperts).toBe(row.active !== undefined);
    if (row.active !== undefined) expect(Math.abs(c.activeParams - row.active)).toBeLessThanOrEqual(tolerance(row.active, row.activePrecision));
  });

  it('covers at least ten families, each with a size other than the fixtures the modules were written against', () => {
    const families = new Set(ROWS.map((r) => parseHfConfig(fixture(r.fixture)).modelType));
    expect(families.size).toBeGreaterThanOrEqual(10);
  });
});
