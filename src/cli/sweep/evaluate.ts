// Evaluates sweep points: the scenario is resolved once and each point sets the varied inputs the option registry declares; a flag declared 'resolve' re-resolves per point.
import { estimateRun, type RunInputs, type RunResult } from '../../core/estimate.js';
import { solveRun, type SolveInputs, type SolveResult } from '../../core/solve.js';
import { UsageError } from '../../errors.js';
import type { Report } from '../../format/report.js';
import type { PresetSet } from '../../presets/parse.js';
import { resolveScenario } from '../../presets/resolve.js';
import { computeOf, toRunInputs, toSolveInputs } from '../../scenario/inputs.js';
import type { FlagValues, Input, Scenario } from '../../scenario/types.js';
import { fixedKnobs } from '../../presets/resolve-throughput.js';
import { buildEstimateReport, estimateResults } from '../estimate.js';
import { readExtras } from '../hfconfig.js';
import type { CommandName } from '../options.js';
import { buildSolveReport, solveResults } from '../solve.js';
import { throughputSection, type ThroughputResult } from '../throughput.js';
import type { PlanMemoryView } from '../../core/memory.js';
import { definedOnly, type PointResults } from './fields.js';
import type { VaryAxis } from './vary.js';

/** What one set of fields costs per point: check that it succeeds, or compute its row. */
export interface Selector {
  /** Computes the point (only what the fields need) and throws if it fails, keeping nothing. */
  check: (values: readonly number[]) => void;
  /** Returns the point's results with only the fields (all of them when none were named). */
  row: (values: readonly number[]) => PointResults;
  /** Returns the point's row as JSON text. */
  json: (values: readonly number[]) => string;
}

/** Computes the points of one sweep. */
export interface Evaluator {
  /** The report of the first point: its inputs, title, warnings and notes describe the sweep. */
  first: Report;
  /** True when each point sets the varied inputs directly (presets resolved once); false when it re-resolves. */
  fast: boolean;
  /** Returns every result of a point (the command's report's results, without undefined ones). */
  evaluate: (values: readonly number[]) => PointResults;
  /** Returns the point's row as compact JSON: `{"<flag>": value, ..., "results": {...}}` with every result. */
  line: (values: readonly number[], shown: readonly number[]) => string;
  /** Returns the per-point work for the dotted `fields` (checked by the caller), or for all results. */
  select: (fields: readonly string[] | undefined) => Selector;
}

/** Returns the start of a point's JSON row for the axes: `{"<flag>":<shown>,...,"results":`. */
export function rowPrefix(axes: readonly VaryAxis[]): (shown: readonly number[]) => string {
  const keys = axes.map((a, i) => `${i === 0 ? '{' : ','}${JSON.stringify(a.flag)}:`);
  if (keys.length === 1) {
    const key = keys[0] as string;
    return (shown) => `${key}${shown[0] as number},"results":`;
  }
  return (shown) => {
    let text = '';
    for (let i = 0; i < keys.length; i++) text += (keys[i] as string) + (shown[i] as number);
    return `${text},"results":`;
  };
}

/** Which optional parts of the core's run a point computes (each feeds only its own results). */
interface RunParts {
  memory: boolean;
  range: boolean;
  /** The throughput section, as estimate and solve compute it (its plan checks and search): the point is resolved again. */
  throughput: boolean;
}
const ALL_PARTS: RunParts = { memory: true, range: true, throughput: false };

/** Returns the evaluator of a sweep of `command` over `axes`, the other flags fixed. */
export function makeEvaluator(command: CommandName, flags: FlagValues, presets: PresetSet, axes: readonly VaryAxis[]): Evaluator {
  const extras = readExtras(flags);
  const flagsAt = (values: readonly number[]): FlagValues => {
    const at = { ...flags };
    for (let i = 0; i < axes.length; i++) at[(axes[i] as VaryAxis).flag] = values[i] as number;
    return at;
  };
  const firstValues = axes.map((a) => a.values[0] as number);
  const first = (command === 'solve' ? buildSolveReport : buildEstimateReport)(flagsAt(firstValues), presets);
  const scenario = resolveScenario(command, flagsAt(firstValues), presets, extras);
  // Plan knobs given by flag are checked by estimate's throughput section (divisibility, a plan that
  // runs): so at every point. An MFU predicted by the throughput model follows every input it reads
  // (the GPU count, the state): every point is resolved again.
  const planned = Object.keys(fixedKnobs(scenario)).length > 0;
  // By default any point with an architecture may be predicted (or fall back), whatever the first point did.
  const predicted = (scenario.mfuFrom?.value === 'predicted' && scenario.mfu?.origin === 'derived') || (scenario.mfuFrom?.origin === 'default' && scenario.architecture !== undefined && scenario.mfu?.origin === 'derived');
  const fast = !planned && !predicted && axes.every((a) => a.option.input !== 'resolve');
  let scenarioAt: (values: readonly number[]) => Scenario;
  if (fast) {
    // One scenario for every point: the varied inputs are replaced by objects of our own whose value
    // each point sets, so nothing is copied or resolved per point.
    const point: Record<string, unknown> = { ...scenario };
    const held = axes.map((a) => {
      const key = a.option.input as keyof Scenario;
      const input = scenario[key] as Input<number> | undefined;
      if (input?.origin !== 'flag') throw new UsageError(`--vary ${a.flag}: this scenario does not use --${a.flag} (another flag sets what it would)`);
      const own: Input<number> = { ...input };
      point[key] = own;
      return own;
    });
    scenarioAt = (values) => {
      for (let i = 0; i < held.length; i++) (held[i] as Input<number>).value = values[i] as number;
      return point as unknown as Scenario;
    };
  } else scenarioAt = (values) => resolveScenario(command, flagsAt(values), presets, extras);
  const resolveAt = (values: readonly number[]): Scenario => resolveScenario(command, flagsAt(values), presets, extras);

  // The FLOP counts depend only on inputs a directly set flag never changes.
  const compute = fast ? computeOf(scenario) : undefined;
  const trim = <T extends RunInputs | SolveInputs>(inputs: T, parts: RunParts): T => {
    if (!parts.memory) inputs.memory = undefined;
    if (!parts.range) inputs.rangeFactors = undefined;
    return inputs;
  };
  // The point last computed: its scenario (estimate) or its solution (solve), its throughput when
  // computed, for its whole results.
  let lastScenario: Scenario = scenario;
  let lastSolved: SolveResult | undefined;
  let lastThroughput: ThroughputResult | undefined;
  // The memory of the plan the point's throughput evaluated: results.memory follows it (estimate's rule).
  let lastPlanMemory: PlanMemoryView | undefined;
  /** Returns the point's scenario resolved again, its throughput section computed first (estimate's order and errors). */
  const throughputAt = (values: readonly number[]): Scenario => {
    const s = resolveAt(values);
    const section = throughputSection(s, computeOf(s));
    lastThroughput = section.throughput;
    lastPlanMemory = section.memory;
    return s;
  };
  /** Returns the point's core run; throws if the point fails. */
  const runAt =
    command === 'solve'
      ? (values: readonly number[], parts: RunParts): RunResult => {
          lastScenario = parts.throughput ? throughputAt(values) : scenarioAt(values);
          lastSolved = solveRun(trim(toSolveInputs(lastScenario, parts.throughput ? lastPlanMemory : undefined), parts));
          return lastSolved.run;
        }
      : (values: readonly number[], parts: RunParts): RunResult => {
          lastScenario = parts.throughput ? throughputAt(values) : scenarioAt(values);
          return estimateRun(trim(toRunInputs(lastScenario, parts.throughput ? lastPlanMemory : undefined), parts));
        };
  /** Returns the whole results of the point just computed (undefined ones kept: JSON leaves them out), with its throughput when asked. */
  const resultsOf = (run: RunResult, throughput = false): PointResults => {
    const results: PointResults = lastSolved ? solveResults(lastSolved, lastScenario) : estimateResults(lastScenario, fast ? compute : computeOf(lastScenario), run);
    if (throughput) results['throughput'] = lastThroughput;
    return results;
  };
  const runKeys = new Set(Object.keys(runAt(firstValues, ALL_PARTS)));

  const select = (fields: readonly string[] | undefined): Selector => {
    if (!fields) {
      const parts: RunParts = { ...ALL_PARTS, throughput: planned };
      const row = (values: readonly number[]): PointResults => resultsOf(runAt(values, parts));
      return { check: (values) => void runAt(values, parts), row, json: (values) => JSON.stringify(row(values)) };
    }
    // "all" among the names: every result, and the throughput when named too.
    const all = fields.includes('all');
    const heads = new Set(fields.map((f) => f.split('.')[0] as string));
    const wantsThroughput = heads.has('throughput');
    const parts: RunParts = all
      ? { ...ALL_PARTS, throughput: planned || wantsThroughput }
      : { memory: heads.has('memory'), range: heads.has('wallClockDaysRange') || heads.has('gpuHoursRange'), throughput: planned || wantsThroughput };
    // Fields of the core's run are read from it; the whole results are built only for another field.
    const plan = fields.filter((f) => f !== 'all').map((f) => ({ path: f.split('.'), fromRun: runKeys.has(f.split('.')[0] as string) }));
    const wholeResults = all || plan.some((p) => !p.fromRun);
    const valueOf = (run: RunResult, results: PointResults | undefined, path: readonly string[], fromRun: boolean): unknown => {
      let value: unknown = fromRun ? (run as unknown as PointResults)[path[0] as string] : results?.[path[0] as string];
      for (let i = 1; i < path.length && value !== undefined && value !== null; i++) value = (value as PointResults)[path[i] as string];
      return value;
    };
    const row = (values: readonly number[]): PointResults => {
      const run = runAt(values, parts);
      const results = wholeResults ? resultsOf(run, wantsThroughput) : undefined;
      // With "all", the throughput keeps only the names given (the loop below adds them).
      const out: PointResults = {};
      if (all && results) for (const key of Object.keys(results)) if (key !== 'throughput') out[key] = results[key];
      for (const { path, fromRun } of plan) {
        let target = out;
        for (let i = 0; i < path.length - 1; i++) target = (target[path[i] as string] ??= {}) as PointResults;
        target[path[path.length - 1] as string] = valueOf(run, results, path, fromRun);
      }
      return out;
    };
    return { check: (values) => void runAt(values, parts), row, json: (values) => JSON.stringify(row(values)) };
  };
  const all = select(undefined);
  const prefix = rowPrefix(axes);
  return { first, fast, evaluate: (values) => definedOnly(all.row(values)), line: (values, shown) => `${prefix(shown)}${all.json(values)}}`, select };
}
