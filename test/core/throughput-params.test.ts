// The parameter count of an architecture (architectureParams) against the published counts of every
// model preset that has an architecture (each preset's `params.source` names its paper or model card),
// and against the block costs' own parameter shares at TP 1 (the same shapes the memory model holds).
import { describe, expect, it } from 'vitest';
import { architectureParams, blockCost, edgeCost, type ThroughputArchitecture } from '../../src/core/throughput/index.js';
import { loadPresets } from '../../src/presets/load.js';
import { PARAMS_TOLERANCE } from '../../src/cli/throughput.js';

const presets = loadPresets();
const withArchitecture = [...presets.models.values()].filter((m) => m.architecture !== undefined);

describe('architectureParams', () => {
  it.each(withArchitecture.map((m) => [m.name, m] as const))('%s: within the tolerance of its published count (no warning on a preset)', (_, m) => {
    const counted = architectureParams(m.architecture as ThroughputArchitecture);
    expect(Math.abs(counted / m.params.value - 1), `${m.name}: ${counted} vs ${m.params.value}`).toBeLessThanOrEqual(PARAMS_TOLERANCE);
  });

  it('Llama 3.1 405B: 405B (Meta, "The Llama 3 Herd of Models", Table 3: 126 layers, d 16,384, FFN 53,248, 128 heads, 8 KV heads, vocabulary 128,256)', () => {
    const arch: ThroughputArchitecture = { layers: 126, dModel: 16384, heads: 128, kvHeads: 8, ffnDim: 53248, vocabSize: 128256, ffnGated: true, seqLen: 8192 };
    expect(architectureParams(arch) / 405e9).toBeCloseTo(1, 2);
  });

  const device = { peakFlopsPerSecond: 1e15, matmulEfficiency: 0.7, computeUnits: 132, hbmBytesPerSecond: 3e12, memoryBytes: 80e9, scaleUpBytesPerSecond: 4.5e11, scaleUpDomainGpus: 8, scaleOutBytesPerSecond: 5e10 };
  const split = { attention: 'flash' as const, microBatch: 1, tensorParallel: 1, contextParallel: 1, expertParallel: 1, tokens: 4096, sequenceParallel: false };
  it.each(withArchitecture.map((m) => [m.name, m.architecture as ThroughputArchitecture] as const))('%s: the block costs hold the same parameters at TP 1', (_, arch) => {
    const dense = blockCost(arch, device, split, false);
    const moe = arch.moe ? blockCost(arch, device, split, true) : undefined;
    const denseLayers = arch.moe ? Math.min(arch.layers, arch.moe.denseLayers ?? 0) : arch.layers;
    const edge = edgeCost(arch, device, split);
    const blocks = denseLayers * (dense.denseParams + dense.expertParams) + (arch.layers - denseLayers) * ((moe?.denseParams ?? 0) + (moe?.expertParams ?? 0));
    const tables = edge.embeddingParams + (arch.tiedEmbeddings ? 0 : edge.outputParams);
    expect(architectureParams(arch) / (blocks + tables)).toBeCloseTo(1, 9);
  });
});
