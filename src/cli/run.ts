/**
 * What the commands need once their flags are read, gathered in one module so that the bundled
 * CLI loads it as one chunk (a module per dynamic import would be a file per module to read at start-up).
 */
export { loadPresets } from '../presets/load.js';
export { presetSources } from '../presets/sources.js';
export { estimateCommand } from './estimate.js';
export { solveCommand } from './solve.js';
export { writeFileAtomic } from './output.js';
export { compareCommand } from './compare.js';
export { sweepCommand } from './sweep.js';
export { presetsListCommand, presetsShowCommand, presetsValidateCommand } from './presets.js';
export { presetsListRows, presetsShowRows } from './presets-format.js';
export { backtestCommand } from './backtest.js';
