/** Precisions a peak can be given for (kept apart from the zod schemas so that flag parsing loads no zod). */
export const PRECISIONS = ['fp32', 'tf32', 'bf16', 'fp16', 'fp8', 'fp4', 'int8'] as const;
/** One precision name. */
export type Precision = (typeof PRECISIONS)[number];
