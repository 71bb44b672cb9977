// The FLOP-count and energy parts of the backtest (pure given presets).
import { trainingCompute } from '../core/compute.js';
import { convertFlops, PALM, SIX_ND, type Conversion, type FlopConvention } from '../core/conventions.js';
import { computeArchitecture, conventionShape, type PublishedRun } from '../presets/observations.js';
import type { PresetSet } from '../presets/parse.js';

/**
 * Predicted vs reported training FLOPs of one model (6ND and, with the architecture, PaLM); the
 * reported count is first converted to each prediction's convention (e.g. recomputation taken out).
 */
export interface FlopsRow {
  name: string;
  reportedFlops: number;
  /** How the reported count was counted (absent fields: not stated). */
  reportedConvention: FlopConvention;
  /** The reported count as 6·N·D counts (reportedFlops x conversion6nd.factor). */
  reportedFlopsAs6nd: number;
  conversion6nd: Conversion;
  predictedFlops6nd: number;
  /** predictedFlops6nd / reportedFlopsAs6nd - 1. */
  relativeError6nd: number;
  predictedFlopsPalm?: number;
  /** The reported count as the PaLM form counts (6·N + 12·L·H·Q·T, no recomputation). */
  reportedFlopsAsPalm?: number;
  conversionPalm?: Conversion;
  relativeErrorPalm?: number;
}

/** Predicted vs reported energy of one run, MWh (predicted from the predicted GPU-hours). */
export interface EnergyRow {
  name: string;
  reportedEnergyMwh: number;
  predictedEnergyMwh: number;
  relativeError: number;
}

/** Returns predicted vs reported FLOPs of every model preset that reports its training FLOPs. */
export function flopsRows(presets: PresetSet): FlopsRow[] {
  const flops: FlopsRow[] = [];
  for (const model of presets.models.values()) {
    if (!model.reportedFlops) continue;
    const architecture = computeArchitecture(model);
    const base = { params: model.params.value, activeParams: model.activeParams?.value, tokens: model.tokens.value, architecture };
    const c = trainingCompute({ ...base, method: '6nd' });
    const reported = model.reportedFlops.value;
    const convention = model.reportedFlops.flops ?? {};
    const shape = conventionShape(model);
    const conversion6nd = convertFlops(shape, convention, SIX_ND);
    const as6nd = reported * conversion6nd.factor;
    const palm = (): Partial<FlopsRow> => {
      if (c.trainingFlopsPalm === undefined) return {};
      const conversionPalm = convertFlops(shape, convention, PALM);
      const asPalm = reported * conversionPalm.factor;
      return { predictedFlopsPalm: c.trainingFlopsPalm, reportedFlopsAsPalm: asPalm, conversionPalm, relativeErrorPalm: c.trainingFlopsPalm / asPalm - 1 };
    };
    flops.push({
      name: model.name,
      reportedFlops: reported,
      reportedConvention: convention,
      reportedFlopsAs6nd: as6nd,
      conversion6nd,
      predictedFlops6nd: c.trainingFlops6nd,
      relativeError6nd: c.trainingFlops6nd / as6nd - 1,
      ...palm(),
    });
  }
  return flops;
}

/** Returns predicted (from the predicted GPU-hours, power factor x PUE defaults) vs reported energy of the runs that report it. */
export function energyRows(presets: PresetSet, rows: readonly { name: string; predictedGpuHours: number }[], runs: ReadonlyMap<string, PublishedRun>): EnergyRow[] {
  const d = presets.defaults;
  const energy: EnergyRow[] = [];
  for (const row of rows) {
    const run = runs.get(row.name);
    const reported = run?.model.run?.energyMwh?.value;
    const tdp = run?.gpu.tdpW?.value;
    if (!run || reported === undefined || tdp === undefined) continue;
    const predicted = (row.predictedGpuHours * tdp * d.powerFactor.value * d.pue.value) / 1e6;
    energy.push({ name: row.name, reportedEnergyMwh: reported, predictedEnergyMwh: predicted, relativeError: predicted / reported - 1 });
  }
  return energy;
}
