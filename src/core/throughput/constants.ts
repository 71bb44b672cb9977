// Every efficiency constant of the throughput model, in one place, each with its source or the
// validation rows it was fitted on (README, "Throughput model"). Nothing else in src/core/throughput/
// holds a tuned number: the rest is counting (FLOPs, bytes, collective volumes).

/** A constant with where it comes from: a publication, or the validation rows it was fitted on. */
export interface Constant {
  value: number;
  /** 'sourced': read from a publication; 'fitted': chosen to fit the named validation rows. */
  kind: 'sourced' | 'fitted' | 'assumed';
  source: string;
}

/**
 * Maximum achievable matmul FLOP/s over the dense peak, per GPU preset (large, well-shaped BF16
 * GEMMs measured with PyTorch): S. Bekman, "Machine Learning Engineering", compute/accelerator,
 * "Maximum Achievable Matmul FLOPS comparison table" (mamf-finder.py, BF16, v2 table; MI325X v2,
 * MI300X from the v1 table with ROCm 6.2). The model's GEMMs run at this fraction of peak at best.
 */
export const MATMUL_EFFICIENCY: Readonly<Record<string, Constant>> = {
  a100: { value: 0.869, kind: 'sourced', source: 'Bekman, ML Engineering, MAMF table: A100 SXM 271.2 of 312 TFLOP/s (86.9 %)' },
  'a100-40gb': { value: 0.869, kind: 'sourced', source: 'Bekman, ML Engineering, MAMF table: A100 SXM 271.2 of 312 TFLOP/s (86.9 %)' },
  h100: { value: 0.803, kind: 'sourced', source: 'Bekman, ML Engineering, MAMF table: H100 SXM 794.5 of 989 TFLOP/s (80.3 %)' },
  h800: { value: 0.803, kind: 'sourced', source: 'Bekman, ML Engineering, MAMF table: H100 SXM 794.5 of 989 TFLOP/s (80.3 %); the H800 has the same SMs and clocks' },
  h200: { value: 0.836, kind: 'sourced', source: 'Bekman, ML Engineering, MAMF table: GH200 (H200-class HBM3e) 828.6 of 989 TFLOP/s (83.6 %)' },
  'h100-pcie': { value: 0.811, kind: 'sourced', source: 'Bekman, ML Engineering, MAMF table: A100 PCIe 81.1 % (no H100 PCIe entry; the PCIe part of the nearest generation)' },
  mi300x: { value: 0.601, kind: 'sourced', source: 'Bekman, ML Engineering, MAMF table (v1, ROCm 6.2): MI300X 781.9 of 1300 TFLOP/s (60.1 %)' },
  mi325x: { value: 0.604, kind: 'sourced', source: 'Bekman, ML Engineering, MAMF table: MI325X 784.9 of 1300 TFLOP/s (60.4 %)' },
};

/**
 * Streaming multiprocessors (NVIDIA) or compute units (AMD) per GPU preset: a GEMM is cut into
 * output tiles that run in waves of one tile per unit, so one whose tile count is not a multiple of
 * the units wastes the last wave (wave quantization, NVIDIA Deep Learning Performance Guide,
 * "Matrix Multiplication Background", §Wave Quantization). Whitepaper figures.
 */
export const COMPUTE_UNITS: Readonly<Record<string, Constant>> = {
  a100: { value: 108, kind: 'sourced', source: 'NVIDIA A100 Tensor Core GPU Architecture whitepaper: 108 SMs on A100' },
  'a100-40gb': { value: 108, kind: 'sourced', source: 'NVIDIA A100 Tensor Core GPU Architecture whitepaper: 108 SMs on A100' },
  h100: { value: 132, kind: 'sourced', source: 'NVIDIA H100 Tensor Core GPU Architecture whitepaper: 132 SMs on H100 SXM5' },
  h800: { value: 132, kind: 'sourced', source: 'NVIDIA H100 Tensor Core GPU Architecture whitepaper: 132 SMs on H100 SXM5 (H800: the same die and SMs)' },
  h200: { value: 132, kind: 'sourced', source: 'NVIDIA H200 datasheet: the H100 SXM5 GPU (132 SMs) with HBM3e' },
  'h100-pcie': { value: 114, kind: 'sourced', source: 'NVIDIA H100 Tensor Core GPU Architecture whitepaper: 114 SMs on H100 PCIe' },
  v100: { value: 80, kind: 'sourced', source: 'NVIDIA Tesla V100 GPU Architecture whitepaper: 80 SMs on V100' },
  mi300x: { value: 304, kind: 'sourced', source: 'AMD CDNA 3 white paper: 304 compute units on MI300X' },
  mi325x: { value: 304, kind: 'sourced', source: 'AMD Instinct MI325X datasheet: 304 compute units' },
};

/** Output tile of one GEMM work unit, rows x columns: the guide's most efficient A100 tile, 256 x 128. */
export const GEMM_TILE = { rows: 256, columns: 128, source: 'NVIDIA Deep Learning Performance Guide, "Matrix Multiplication Background", tile quantization: 256x128 tiles are the most efficient' } as const;

/**
 * Fraction of the isolated-benchmark rate (MAMF) that GEMMs sustain inside a training step, where
 * they share the GPU with communication kernels and run at the clocks a whole node holds under load.
 */
export const SUSTAINED_MATMUL_FRACTION: Constant = {
  value: 0.81,
  kind: 'fitted',
  source: 'fitted on Narayanan et al. 2021 Tables 1 and 2 (22 rows, 32 to 3,072 A100): least mean |log(predicted / measured)| over 0.78-0.94',
};

/**
 * Share of a communication that overlaps with the computation it is scheduled behind that is really
 * hidden (collectives and GEMMs running at once slow each other down: SMs, HBM and clocks are shared).
 */
export const OVERLAP_EFFICIENCY: Constant = {
  value: 0.75,
  kind: 'fitted',
  source: 'fitted on Narayanan et al. 2021 Tables 1 and 2 with SUSTAINED_MATMUL_FRACTION (least mean |log| over 0, 0.25, 0.5, 0.75, 1; 0.5 with 16-bit gradient traffic, 0.75 since gradients travel in fp32); DeepSpeed ZeRO-3 gathers are meant to hide behind compute',
};

/** For a GPU with no measured MAMF: the H100 SXM figure, the middle of the NVIDIA entries. */
export const DEFAULT_MATMUL_EFFICIENCY: Constant = {
  value: 0.803,
  kind: 'assumed',
  source: 'no MAMF measurement for this GPU: the H100 SXM figure (Bekman, ML Engineering, MAMF table) is assumed',
};

/** Fraction of the datasheet HBM bandwidth that streaming (element-wise) kernels reach. */
export const HBM_EFFICIENCY: Constant = {
  value: 0.9,
  kind: 'assumed',
  source: 'STREAM-style copy/triad kernels reach ~90 % of the datasheet HBM bandwidth on A100 and H100 (e.g. ~3.0 of 3.35 TB/s on H100 SXM)',
};

/**
 * NCCL bus bandwidth over the scale-up link (NVLink through NVSwitch) as a fraction of the per-direction
 * link bandwidth, for large messages: ~200 GB/s all-reduce bus bandwidth on 8 x A100 SXM (300 GB/s per direction).
 */
export const SCALE_UP_EFFICIENCY: Constant = {
  value: 0.7,
  kind: 'sourced',
  source: 'NVIDIA/nccl-tests issue #149 (8 x A100 SXM 80GB, NVSwitch): all_reduce_perf bus bandwidth ~200 GB/s of 300 GB/s per direction',
};

/**
 * NCCL bus bandwidth over the scale-out network as a fraction of the NICs' line rate, for large
 * messages: 84.8 GB/s average (96 peak) over 3 nodes whose 4 HDR NICs give 100 GB/s per node.
 */
export const SCALE_OUT_EFFICIENCY: Constant = {
  value: 0.85,
  kind: 'sourced',
  source: 'NVIDIA/nccl-tests issue #119 (3 x 8 A100, 4 x 200 Gb/s HDR per node): all_reduce_perf average bus bandwidth 84.8 of 100 GB/s',
};

/**
 * Fixed cost of one kernel or collective launch on the critical path (launch, ramp-up and tail of a
 * kernel; synchronisation of a collective), seconds. Makes small matrices and small messages run
 * below the rate that large ones reach.
 */
export const KERNEL_OVERHEAD_SECONDS: Constant = {
  value: 5e-6,
  kind: 'assumed',
  source: 'a CUDA kernel launch costs a few microseconds (NVIDIA, "Getting Started with CUDA Graphs": launch overheads of several µs per kernel); 5 µs is also the best of 5-60 µs on the fitted rows',
};

/**
 * FlashAttention's throughput as a fraction of the GEMMs': the attention core is tiled matmuls plus
 * an online softmax in the same kernel, which reaches a lower fraction of peak than cuBLAS GEMMs.
 */
export const ATTENTION_EFFICIENCY: Constant = {
  value: 0.72,
  kind: 'sourced',
  source: 'Dao 2023, FlashAttention-2 (arXiv:2307.08691), abstract: 50-73 % of the A100 peak, midpoint 62 %, against 86.9 % for large GEMMs (MAMF): 0.72 of the GEMM rate',
};

/**
 * Fewest tokens of a sequence per context-parallel rank the search tries (a CP degree given by flag is
 * always evaluated): context parallelism is for long sequences, whose attention hides the ring's
 * exchanges; Llama 3 405B ran CP 16 at 131,072 tokens (8,192 per rank) and none at 8,192.
 */
export const MIN_CONTEXT_TOKENS: Constant = {
  value: 8192,
  kind: 'sourced',
  source: 'The Llama 3 Herd of Models (arXiv:2407.21783), Table 4: CP 16 for 131,072-token sequences, CP 1 for 8,192',
};

/** Backward FLOPs of FlashAttention over its forward: 5 matmuls (recomputed scores, dV, dP, dQ, dK) against 2. */
export const ATTENTION_BACKWARD_RATIO = 2.5;

/** Bytes of one activation element (bf16/fp16). */
export const ACTIVATION_BYTES = 2;

/** Bytes per parameter read and written by the Adam step (fp32 master, m, v, gradient in; master, m, v, 16-bit weight out). */
export const OPTIMIZER_STEP_BYTES = 4 * 4 + 3 * 4 + 2;

/**
 * Memory kept free of model state on each GPU: CUDA context, cuBLAS/NCCL workspaces and allocator
 * fragmentation, bytes. The plan fits when weights, gradients, optimizer state and activations
 * leave at least this much of the GPU's memory.
 */
export const MEMORY_ALLOWANCE: Constant = {
  value: 0.1,
  kind: 'assumed',
  source: 'fraction of GPU memory: ~1 GB of CUDA context and library workspaces plus PyTorch caching-allocator fragmentation, commonly 5-10 % (PyTorch CUDA memory management notes)',
};
