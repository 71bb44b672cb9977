import { beforeEach, describe, expect, it } from 'vitest';
import { builtinPresetsDir, loadPresets, readPresetDir } from '../../src/presets/load.js';
import { parsePresets, type PresetFile } from '../../src/presets/parse.js';

// The hardware facts the throughput model reads (issue 10): HBM bandwidth, the scale-up link and its
// domain, and the scale-out network of the vendor's reference system (GPU) or of the cluster.
// Loaded before each test, not when the file loads, so that mutation testing (Stryker) sees which
// tests run the preset code.
let presets: ReturnType<typeof loadPresets>;
let gpus: ReturnType<typeof loadPresets>['gpus'] extends Map<string, infer G> ? G[] : never;
let clusters: ReturnType<typeof loadPresets>['clusters'] extends Map<string, infer C> ? C[] : never;
beforeEach(() => {
  presets = loadPresets();
  gpus = [...presets.gpus.values()];
  clusters = [...presets.clusters.values()];
});

describe('GPU link facts', () => {
  it('every built-in GPU has its HBM bandwidth and scale-up domain, each sourced', () => {
    for (const g of gpus) {
      expect(g.memoryBandwidthTBs?.source, g.name).toMatch(/\w{3}/);
      expect(g.scaleUpDomainGpus?.source, g.name).toMatch(/\w{3}/);
    }
  });

  it('a GPU without scale-up bandwidth or a reference network says so in its note', () => {
    for (const g of gpus) {
      if (g.scaleUpGBpsPerDirection === undefined || g.scaleOutGbpsPerGpu === undefined) expect(g.note, g.name).toMatch(/left out|give a cluster/);
    }
    expect(gpus.filter((g) => g.scaleUpGBpsPerDirection !== undefined).length).toBeGreaterThanOrEqual(gpus.length - 1);
  });

  it('reference system name, GPUs per node and network come together', () => {
    for (const g of gpus) {
      const given = [g.referenceSystem, g.gpusPerNode, g.scaleOutGbpsPerGpu].filter((x) => x !== undefined).length;
      expect([0, 3], g.name).toContain(given);
    }
  });

  it('every link note says per direction, and bytes (scale-up) or bits (scale-out)', () => {
    for (const g of gpus) {
      if (g.scaleUpGBpsPerDirection) expect(g.scaleUpGBpsPerDirection.note, g.name).toMatch(/per direction.*bytes|bytes.*per direction/);
      if (g.scaleOutGbpsPerGpu) expect(g.scaleOutGbpsPerGpu.note, g.name).toMatch(/bits, per direction/);
    }
    for (const c of clusters) expect(c.scaleOutGbpsPerGpu?.note, c.name).toMatch(/bits, per direction/);
  });

  // Expected values: the datasheet's bidirectional NVLink figure halved; DGX networking from NVIDIA's
  // DGX datasheets / DGX BasePOD reference architecture; TPU figures from the Google Cloud TPU pages.
  it.each([
    ['v100', 150, 8, 50], // Tesla V100 datasheet NVLink 300 GB/s; DGX-1: 4x EDR 100 Gb/s per 8 GPUs
    ['a100', 300, 8, 200], // A100 datasheet NVLink 600 GB/s; DGX A100: 8x 200 Gb/s HDR
    ['h100', 450, 8, 400], // H100 datasheet NVLink 900 GB/s; DGX H100: 8x ConnectX-7 400 Gb/s
    ['h800', 200, 8, 400], // NVLink cut to 400 GB/s; DeepSeek-V3 report: IB 50 GB/s per GPU
    ['b200', 900, 8, 400], // NVLink 5 1.8 TB/s; DGX B200: 8x ConnectX-7 400 Gb/s
    ['gb200', 900, 72, 400], // NVL72: 72 GPUs, 1.8 TB/s bidirectional each; NDR 400 Gb/s per GPU
    ['mi300x', 448, 8, 400], // 7 Infinity Fabric links x 128 GB/s; Azure ND MI300X v5: 8x 400 Gb/s NDR
    ['tpu-v5e', 200, 256, 25], // 400 GBps bidirectional ICI; 256-chip pod; 2x 100 Gbps per 8-chip host
    ['tpu-v5p', 600, 6144, 50], // 1200 GBps bidirectional ICI; largest slice 6144 chips; DCN 50 Gbps per chip
  ])('%s: %d GB/s per direction, %d GPUs per domain, %d Gb/s scale-out', (name, upGBps, domain, outGbps) => {
    const g = presets.gpus.get(name);
    expect(g?.scaleUpGBpsPerDirection?.value).toBe(upGBps);
    expect(g?.scaleUpDomainGpus?.value).toBe(domain);
    expect(g?.scaleOutGbpsPerGpu?.value).toBe(outGbps);
  });
});

describe('cluster network facts', () => {
  it('every built-in cluster has GPUs per node and a scale-out network, and whole nodes', () => {
    for (const c of clusters) {
      const perNode = c.gpusPerNode?.value ?? NaN;
      expect(Number.isInteger(c.gpus.value / perNode), c.name).toBe(true);
      expect(c.scaleOutGbpsPerGpu?.value, c.name).toBeGreaterThan(0);
    }
  });

  it.each([
    ['h100x16k', 8, 400], // Llama 3 paper §3.3.1: Grand Teton 8-GPU servers, 400 Gbps RoCE between GPUs
    ['colossus', 8, 400], // ServeTheHome tour: HGX H100 servers, one 400GbE BlueField-3 SuperNIC per GPU
    ['selene', 8, 200], // Narayanan et al. 2021 §5: 8 A100 per node, eight 200 Gbps HDR HCAs
  ])('%s: %d GPUs per node, %d Gb/s per GPU', (name, perNode, outGbps) => {
    const c = presets.clusters.get(name);
    expect(c?.gpusPerNode?.value).toBe(perNode);
    expect(c?.scaleOutGbpsPerGpu?.value).toBe(outGbps);
  });
});

describe('issue 12 data fixes', () => {
  it('TPU v3 and v4 have 32 GiB of HBM = 34.36 GB (Google Cloud TPU v3/v4 pages: "32 GiB")', () => {
    for (const name of ['tpu-v3', 'tpu-v4']) expect(presets.gpus.get(name)?.memoryGb.value).toBeCloseTo((32 * 2 ** 30) / 1e9, 2);
  });

  it('MI300X: the FP32 note no longer quotes the FP64 vector figure (81.7) as FP32 (AMD MI300X specifications)', () => {
    const note = presets.gpus.get('mi300x')?.peakTflops.fp32?.note ?? '';
    expect(note).not.toMatch(/vector FP32 is 81\.7/);
    expect(note).toMatch(/81\.7 TFLOPS is the FP64/);
  });
});

describe('schema of the new fields', () => {
  const builtin = (): PresetFile[] => readPresetDir(builtinPresetsDir(), 'built-in');
  const withFile = (kind: PresetFile['kind'], doc: object): string[] =>
    parsePresets([...builtin(), { path: `x/${kind}/test.json`, kind, text: JSON.stringify(doc), origin: 'user' }]).errors;
  const base = { name: 'testgpu', label: 'Test', vendor: 'other', family: 'other', peakTflops: { bf16: { value: 100, source: 'test datasheet' } }, memoryGb: { value: 80, source: 'test datasheet' } };

  it.each([
    ['a fractional scale-up domain', { scaleUpDomainGpus: { value: 7.5, source: 'test datasheet' } }, 'scaleUpDomainGpus.value: expected a positive whole number'],
    ['a scale-up bandwidth without source', { scaleUpGBpsPerDirection: { value: 450 } }, 'scaleUpGBpsPerDirection.source:'],
    ['a negative scale-out bandwidth', { scaleOutGbpsPerGpu: { value: -400, source: 'test datasheet' } }, 'scaleOutGbpsPerGpu.value: expected a positive number'],
  ])('a GPU with %s is refused', (_, over, expected) => {
    expect(withFile('gpus', { ...base, ...over }).some((e) => e.startsWith(`x/gpus/test.json: ${expected}`))).toBe(true);
  });

  it('a cluster with fractional GPUs per node is refused', () => {
    const cluster = { name: 'c', label: 'C', gpu: 'h100', gpus: { value: 16, source: 'test' }, gpusPerNode: { value: 2.5, source: 'test' } };
    expect(withFile('clusters', cluster).some((e) => e.startsWith('x/clusters/test.json: gpusPerNode.value: expected a positive whole number'))).toBe(true);
  });
});
