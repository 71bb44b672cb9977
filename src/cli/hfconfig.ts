import { relations, requireQuantity } from '../core/quantity.js';
import { formatQuantity } from '../core/units.js';
import { UsageError } from '../errors.js';
import { HfConfigError, parseHfConfig } from '../presets/hf/index.js';
import { readFlagFile, shownPath } from '../presets/input-file.js';
import { parseJsonData } from '../presets/json-data.js';
import type { FlagValues, ResolveExtras, Scenario } from '../presets/resolve.js';

/** Reads the files flags point to (--hf-config) into resolver extras; errors name the flag and file. */
export function readExtras(flags: FlagValues): ResolveExtras {
  const path = flags['hf-config'];
  if (typeof path !== 'string') return {};
  const text = readFlagFile('--hf-config', path);
  const json = parseJsonData(text);
  if (!json.ok) throw new UsageError(`--hf-config ${shownPath(path)}: ${json.error}`);
  try {
    const hf = parseHfConfig(json.value);
    // A last check of what the count gives, whatever the family module checked: the rule set's.
    const where = `--hf-config ${shownPath(path)}`;
    requireQuantity(hf.params, 'positive', `${where}: the parameters counted from it`);
    requireQuantity(hf.activeParams, 'positive', `${where}: the active parameters counted from it`);
    const tooMany = relations.atMost(hf.activeParams, hf.params, 'the total parameters');
    if (tooMany) throw new UsageError(`${where}: the active parameters counted from it: ${tooMany}`);
    // The path is only shown (notes, sources): keep it printable.
    return { hfConfig: { ...hf, path: shownPath(path) } };
  } catch (error) {
    if (error instanceof HfConfigError) throw new UsageError(`--hf-config ${shownPath(path)}: ${error.message}`);
    throw error;
  }
}

/** Returns the notes on an --hf-config: what was counted, what the flags overrode, what the file left out or the count did not use. */
export function hfNotes(s: Scenario, extras: ResolveExtras): string[] {
  const hf = extras.hfConfig;
  if (!hf) return [];
  const counted = hf.mixtureOfExperts
    ? `${formatQuantity(hf.params)} params, ${formatQuantity(hf.activeParams)} active`
    : `${formatQuantity(hf.params)} params`;
  const notes = [`--hf-config ${hf.path}: model_type ${hf.modelType}, ${counted} (module shapes of ${hf.reference})`];
  const fromFile = s.params?.source?.startsWith('derived from --hf-config') === true;
  if (s.params && !fromFile) {
    notes.push(`--params ${formatQuantity(s.params.value)} wins over the ${formatQuantity(hf.params)} counted from --hf-config: FLOPs and memory use the flag; the file gives the architecture`);
  }
  const arch = s.architecture?.value;
  if (arch && arch.seqLen !== hf.architecture.seqLen) notes.push(`--seq-len ${arch.seqLen} wins over ${hf.architecture.seqLen} from ${hf.seqLenSource}`);
  else notes.push(`sequence length ${hf.architecture.seqLen} for attention FLOPs and activations: ${hf.seqLenSource}`);
  if (hf.defaulted.length > 0) notes.push(`${hf.modelType} defaults used for keys the file leaves out: ${hf.defaulted.join(', ')}`);
  notes.push(...hf.notes);
  notes.push(hf.unusedKeys.length > 0 ? `not used: ${hf.unusedKeys.join(', ')}` : 'every key of the file used or known not to change the count');
  return notes;
}
