/**
 * What estimate and solve need once their flags are read, gathered in one module so that the bundled
 * CLI loads it as one chunk (a module per dynamic import would be a file per module to read at
 * start-up). It imports no zod: the built-in presets come compiled (see presets/compiled.ts), and
 * the other commands are in run-more.ts.
 */
export { presetSources, readCompiledPresets } from '../presets/sources.js';
export { estimateCommand } from './estimate.js';
export { solveCommand } from './solve.js';
export { writeFileAtomic } from './output.js';
