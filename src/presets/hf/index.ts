// Hugging Face config.json -> parameter counts and the architecture contract, one family per
// model_type (README: Hugging Face configs). Pure: the CLI reads the file.
import { type Family, NOT_COUNTED } from './decoder.js';
import { deepseekV2, deepseekV3 } from './deepseek.js';
import { falcon, refinedWeb } from './falcon.js';
import { gemma, gemma2, gemma3, gemma3Text } from './gemma.js';
import { bloom, gpt2, gptj, gptNeox, mpt, phi } from './gpt.js';
import { llama, mistral, mixtral, olmo, olmo2, phi3, starcoder2 } from './llama.js';
import { qwen2, qwen2Moe, qwen3, qwen3Moe } from './qwen.js';
import { ConfigReader, HfConfigError, isObject } from './reader.js';
import { type Architecture, architectureOf, countParams, seqLenOf } from './shape.js';

export { HfConfigError };

/** The families read, by `model_type`. */
export const FAMILIES: Readonly<Record<string, Family>> = {
  llama, mistral, mixtral, qwen2, qwen2_moe: qwen2Moe, qwen3, qwen3_moe: qwen3Moe, deepseek_v2: deepseekV2,
  deepseek_v3: deepseekV3, gemma, gemma2, gemma3, gemma3_text: gemma3Text, phi, phi3, gpt2, gpt_neox: gptNeox, gptj,
  falcon, RefinedWeb: refinedWeb, RefinedWebModel: falcon, olmo, olmo2, starcoder2, bloom, mpt,
};

/** The `model_type` values llmcost reads. */
export const SUPPORTED_MODEL_TYPES: readonly string[] = Object.keys(FAMILIES);

/** What llmcost derives from a Hugging Face `config.json`. */
export interface HfModelConfig {
  /** Total parameters (all experts). */
  params: number;
  /** Parameters active per token; equal to params for dense models. */
  activeParams: number;
  /** True when some layers route tokens to a subset of experts. */
  mixtureOfExperts: boolean;
  architecture: Architecture;
  /** The config's `model_type` (the family read). */
  modelType: string;
  /** The reference implementation whose module shapes the count follows. */
  reference: string;
  /** Where architecture.seqLen comes from (a key of the file, or the documented default). */
  seqLenSource: string;
  /** Keys the file leaves out that the family's defaults filled in (`key=value`). */
  defaulted: string[];
  /** Keys present in the file that the count did not use. */
  unusedKeys: string[];
  /** What the count leaves out (vision tower, multi-token-prediction layers). */
  notes: string[];
}

/**
 * Returns the parameter counts and architecture of a Hugging Face config (pure), following the
 * module shapes of its family's reference implementation; throws HfConfigError naming the key.
 * @example parseHfConfig(llama31_8b).params // 8,030,261,248
 */
export function parseHfConfig(config: unknown): HfModelConfig {
  if (!isObject(config)) throw new HfConfigError('expected a JSON object');
  const modelType = config['model_type'];
  const family = typeof modelType === 'string' && Object.hasOwn(FAMILIES, modelType) ? FAMILIES[modelType] : undefined;
  if (!family) {
    const got = modelType === undefined ? 'nothing' : JSON.stringify(modelType);
    throw new HfConfigError(`model_type: expected one of ${SUPPORTED_MODEL_TYPES.join(', ')}, got ${got}`);
  }
  const top = new ConfigReader(config, family.inner ? {} : family.defaults);
  const r = family.inner?.(top) ?? top;
  const shape = family.read(r);
  const { seqLen, seqLenSource } = seqLenOf(r, family.contextKeys);
  const { params, activeParams } = countParams(shape);
  const source = `Hugging Face config.json (model_type ${modelType}; module shapes of ${family.reference})`;
  const ignored = new Set([...NOT_COUNTED, ...(family.known ?? [])]);
  const unused = (reader: ConfigReader): string[] =>
    Object.keys(reader.config).filter((k) => !reader.used.has(k) && !ignored.has(k)).map((k) => `${reader.prefix}${k}`);
  return {
    params,
    activeParams,
    mixtureOfExperts: shape.moe !== undefined && shape.moe.moeLayers > 0,
    architecture: architectureOf(shape, seqLen, source),
    modelType: modelType as string,
    reference: family.reference,
    seqLenSource,
    defaulted: r.defaulted,
    unusedKeys: r === top ? unused(top) : [...unused(top), ...unused(r)],
    notes: family.notes?.(top) ?? [],
  };
}
