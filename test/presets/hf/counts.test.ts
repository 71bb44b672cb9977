// Parameter counts of real published config.json files (test/fixtures/hf/, where each comes from
// is in SOURCES.md there) against the published counts named in each row.
import { describe, expect, it } from 'vitest';
import { parseHfConfig } from '../../../src/presets/hf/index.js';
import { architectureSchema } from '../../../src/presets/schema.js';
import { fixture } from './fixture.js';

interface Row {
  fixture: string;
  /** The published total and where it is published. */
  total: number;
  totalSource: string;
  /** Allowed relative error: 0.5 %, or the precision of a figure published with fewer digits. */
  tolerance?: number;
  active?: number;
  activeSource?: string;
  activeTolerance?: number;
}

const HALF_PERCENT = 0.005;
// Safetensors index total_size in bytes / 2 bytes per parameter (bf16 or fp16 checkpoints).
const bf16 = (bytes: number): number => bytes / 2;

const ROWS: Row[] = [
  { fixture: 'llama-3.1-8b', total: bf16(16_060_522_496), totalSource: 'meta-llama/Llama-3.1-8B model.safetensors.index.json total_size 16,060,522,496 B, bf16' },
  { fixture: 'mistral-7b-v0.1', total: bf16(14_483_464_192), totalSource: 'mistralai/Mistral-7B-Instruct-v0.2 model.safetensors.index.json total_size 14,483,464,192 B, bf16 (same shapes as v0.1)' },
  {
    fixture: 'mixtral-8x7b', total: bf16(93_405_585_408), totalSource: 'mistralai/Mixtral-8x7B-v0.1 safetensors index total_size 93,405,585,408 B, bf16 (Mistral AI: "46.7B total")',
    active: 12.9e9, activeSource: 'Mistral AI, "Mixtral of experts" (Dec 2023): 12.9B parameters used per token',
  },
  { fixture: 'qwen2.5-7b', total: bf16(15_231_233_024), totalSource: 'Qwen/Qwen2.5-7B safetensors index total_size 15,231,233,024 B, bf16 (model card: 7.61B)' },
  {
    fixture: 'qwen1.5-moe-a2.7b', total: bf16(28_631_568_384), totalSource: 'Qwen/Qwen1.5-MoE-A2.7B on the Hub: 14,315,784,192 parameters (safetensors metadata, BF16: 28,631,568,384 B; card: 14.3B)',
    active: 2.7e9, activeSource: 'same card: 2.7B activated parameters (two significant figures)', activeTolerance: 0.05e9 / 2.7e9,
  },
  { fixture: 'qwen3-8b', total: 8_190_735_360, totalSource: 'Qwen/Qwen3-8B on the Hub: 8,190,735,360 parameters in its safetensors (card: 8.2B, 6.95B non-embedding, checked below)' },
  {
    fixture: 'qwen3-30b-a3b', total: 30_532_122_624, totalSource: 'Qwen/Qwen3-30B-A3B safetensors index metadata: 30,532,122,624 parameters (card: 30.5B in total)',
    // The card truncates: 3.35B reads as "3.3B" (its 7.615B reads "7.61B" too).
    active: 3.3e9, activeSource: 'same card: 3.3B activated (two significant figures, truncated)', activeTolerance: 0.1e9 / 3.3e9,
  },
  {
    fixture: 'deepseek-v2-lite', total: 15_706_484_224, totalSource: 'deepseek-ai/DeepSeek-V2-Lite on the Hub: 15,706,484,224 BF16 parameters (DeepSeek-V2 paper appendix B: 15.7B)',
  },
  { fixture: 'deepseek-v2', total: 235_741_434_880, totalSource: 'deepseek-ai/DeepSeek-V2 checkpoint: 235,741,434,880 BF16 parameters (DeepSeek-V2 paper §1: 236B)' },
  // The checkpoint's main model holds 671,026,404,352 BF16 parameters plus 58 x 256 F32 router biases (e_score_correction_bias), which llmcost counts.
  { fixture: 'deepseek-v3', total: 671_026_404_352 + 58 * 256, totalSource: 'DeepSeek-V3 checkpoint without its MTP layer: 671,026,404,352 BF16 parameters + 14,848 F32 router biases (technical report §4.2: 671B)' },
  { fixture: 'gemma-7b', total: 786_825_216 + 7_751_248_896, totalSource: 'Gemma report (arXiv 2403.08295) Table 2: 786,825,216 embedding + 7,751,248,896 non-embedding (vocabulary 256,128 there, 256,000 in the config)', tolerance: HALF_PERCENT },
  { fixture: 'gemma-2-9b', total: 917_962_752 + 8_324_201_984, totalSource: 'Gemma 2 report (arXiv 2408.00118) Table 2: 917,962,752 embedding + 8,324,201,984 non-embedding (vocabulary 256,128 there, 256,000 in the config)', tolerance: HALF_PERCENT },
  { fixture: 'gemma-3-1b', total: 999_885_952, totalSource: 'google/gemma-3-1b checkpoint: 999,885,952 parameters (Gemma 3 report, arXiv 2503.19786, Table 1: 302M embedding + 698M non-embedding)' },
  { fixture: 'gemma-3-4b', total: 675e6 + 3_209e6, totalSource: 'Gemma 3 report Table 1: 4B language model 675M embedding + 3,209M non-embedding (its 417M vision encoder is not counted; the report\'s embedding is 0.6 % above vocabulary 262,208 x 2,560)', tolerance: HALF_PERCENT },
  { fixture: 'phi-2', total: bf16(5_559_367_680), totalSource: 'microsoft/phi-2 model.safetensors.index.json total_size 5,559,367,680 B, fp16' },
  { fixture: 'phi-3-mini-4k', total: bf16(7_642_159_104), totalSource: 'microsoft/Phi-3-mini-4k-instruct model.safetensors.index.json total_size 7,642,159,104 B, bf16 (card: 3.8B)' },
  { fixture: 'gpt2-xl', total: 1_557_611_200, totalSource: 'openai-community/gpt2-xl checkpoint loaded: 1,557,611,200 parameters (openai/gpt-2 names it 1558M; the GPT-2 paper\'s Table 2 says 1542M)' },
  { fixture: 'pythia-160m', total: 162_322_944, totalSource: 'EleutherAI/pythia-160m model card: total params 162,322,944' },
  { fixture: 'gpt-j-6b', total: 6_053_381_344, totalSource: 'EleutherAI/gpt-j-6b model card, hyperparameter table: n_parameters 6,053,381,344 (counted on the JAX model; the transformers modules hold 2.5M fewer)', tolerance: HALF_PERCENT },
  { fixture: 'olmo-2-1124-7b', total: 7_298_617_344, totalSource: 'allenai/OLMo-2-1124-7B safetensors metadata: 7,298,617,344 parameters (F32)' },
  { fixture: 'olmo-7b', total: 6_888_095_744, totalSource: 'allenai/OLMo-7B-hf released checkpoint loaded as OlmoForCausalLM: 6,888,095,744 parameters (27.6 GB in float32)' },
  { fixture: 'bloom', total: 176_247_271_424, totalSource: 'bigscience/bloom model card: 176,247,271,424 parameters (3,596,615,680 embedding)' },
  { fixture: 'bloom-560m', total: 559_214_592, totalSource: 'bigscience/bloom-560m model card: 559,214,592 parameters' },
  { fixture: 'starcoder2-3b', total: 3.03e9, totalSource: 'bigcode/starcoder2-3b on the Hugging Face Hub: 3.03B parameters (safetensors metadata, as promptlayer.com/models/starcoder2-3b lists it)', tolerance: 0.005e9 / 3.03e9 },
  { fixture: 'mpt-30b', total: 29.95e9, totalSource: 'mosaicml/mpt-30b model card, hyperparameter table: n_parameters 29.95B', tolerance: HALF_PERCENT },
];

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('parameter counts of published configs', () => {
  it.each(ROWS)('$fixture: total within the published count ($totalSource)', (row) => {
    const c = parseHfConfig(fixture(row.fixture));
    expect(rel(c.params, row.total)).toBeLessThanOrEqual(Math.min(row.tolerance ?? HALF_PERCENT, HALF_PERCENT));
    if (row.active !== undefined) {
      expect(c.mixtureOfExperts).toBe(true);
      expect(rel(c.activeParams, row.active), row.activeSource).toBeLessThanOrEqual(row.activeTolerance ?? HALF_PERCENT);
    }
    expect(() => architectureSchema.parse(c.architecture)).not.toThrow();
  });

  it('counts that are exact to the parameter (safetensors index or a card that gives every digit)', () => {
    const exact = ROWS.filter((r) => r.tolerance === undefined);
    for (const row of exact) expect(parseHfConfig(fixture(row.fixture)).params, row.totalSource).toBe(row.total);
    expect(exact.length).toBeGreaterThanOrEqual(19);
  });

  it('non-embedding counts: Gemma 7B and Gemma 2 9B to the parameter (reports\' Table 2), Qwen2.5-7B 6.53B and Qwen3-8B 6.95B (cards)', () => {
    const nonEmbedding = (name: string): number => {
      const c = parseHfConfig(fixture(name));
      const a = c.architecture;
      return c.params - (a.vocabSize ?? 0) * a.dModel * (a.tiedEmbeddings ? 1 : 2);
    };
    expect(nonEmbedding('gemma-7b')).toBe(7_751_248_896);
    expect(nonEmbedding('gemma-2-9b')).toBe(8_324_201_984);
    expect(rel(nonEmbedding('qwen2.5-7b'), 6.53e9)).toBeLessThan(0.005e9 / 6.53e9);
    expect(rel(nonEmbedding('qwen3-8b'), 6.95e9)).toBeLessThan(0.005e9 / 6.95e9);
  });

  it('Falcon-7B and 40B: the Hub\'s safetensors metadata (7,217,189,760 and 41,835,970,560, bf16) hold lm_head.weight beside the embedding it is tied to', () => {
    // tiiuae/falcon-7b(-instruct): 14,434,402,976 B; tiiuae/falcon-40b: 83,671,996,368 B (safetensors metadata, BF16).
    // FalconConfig ties the head (tie_word_embeddings=True); the checkpoints store both tensors.
    for (const [name, stored] of [['falcon-7b', 7_217_189_760], ['falcon-40b', 41_835_970_560]] as const) {
      const c = parseHfConfig(fixture(name));
      expect(c.architecture.tiedEmbeddings).toBe(true);
      expect(c.params + (c.architecture.vocabSize ?? 0) * c.architecture.dModel, name).toBe(stored);
    }
  });

  it('DeepSeek counts activated parameters without the input embedding: V3 37B, V2 21B, V2-Lite 2.4B (papers)', () => {
    // The others (Mistral, Qwen) count the input embedding in the active parameters, as llmcost does.
    for (const [name, published, digits] of [['deepseek-v3', 37e9, 1e9], ['deepseek-v2', 21e9, 1e9], ['deepseek-v2-lite', 2.4e9, 0.1e9]] as const) {
      const c = parseHfConfig(fixture(name));
      const inputEmbedding = (c.architecture.vocabSize ?? 0) * c.architecture.dModel;
      expect(Math.abs(c.activeParams - inputEmbedding - published), name).toBeLessThan(digits);
    }
  });

  it('dense configs are not mixtures of experts: active equals total', () => {
    for (const row of ROWS.filter((r) => r.active === undefined && !r.fixture.startsWith('deepseek'))) {
      const c = parseHfConfig(fixture(row.fixture));
      expect(c.mixtureOfExperts, row.fixture).toBe(false);
      expect(c.activeParams).toBe(c.params);
      expect(c.architecture.moe).toBeUndefined();
    }
  });
});
