export {
  estimate,
  solve,
  type EstimateOptions,
  type SolveOptions,
  type RunOptions,
  type EstimateDocument,
  type SolveDocument,
  type RunDocument,
  type EstimateResults,
  type SolveResults,
  type Printed,
} from './api.js';
export type { JsonDocument } from './format/json.js';
export { estimateRun, type RunInputs, type RunResult } from './core/estimate.js';
export { solveRun, defaultSolveFor, SOLVE_TARGETS, type SolveFor, type SolveInputs, type SolveResult } from './core/solve.js';
export { trainingFlops6nd, computeOptimalParams } from './core/compute.js';
export { parseQuantity, formatQuantity, formatScientific } from './core/units.js';
export { loadPresets } from './presets/load.js';
export { parsePresets, type PresetSet, type PresetFile } from './presets/parse.js';
export { resolveScenario, toRunInputs, toSolveInputs, type Scenario, type Input } from './presets/resolve.js';
export { UsageError, PresetError, ComputeError, OutputError, isUserError } from './errors.js';
