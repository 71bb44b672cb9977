/**
 * The commands other than estimate and solve, and the preset validator (zod), in one module so that
 * the bundled CLI loads them as one chunk, and only for these commands or for user presets.
 */
export { loadPresets } from '../presets/load.js';
export { compareCommand } from './compare.js';
export { sweepCommand } from './sweep.js';
export { presetsListCommand, presetsShowCommand, presetsValidateCommand } from './presets.js';
export { presetsListRows, presetsShowRows } from './presets-format.js';
export { backtestCommand } from './backtest.js';
