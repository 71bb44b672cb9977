// Content checks of a successful run's JSON document (issue 13: check content, not only form).

/** Every number in `value` with its path, for the content checks. */
function numbers(value: unknown, path = '$'): Array<[string, number]> {
  if (typeof value === 'number') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as object).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
}
/** Paths of empty objects (`{}`) inside `value`. */
function empties(value: unknown, path = '$'): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (!Array.isArray(value) && Object.keys(value).length === 0) return [path];
  return Object.entries(value as object).flatMap(([k, v]) => empties(v, `${path}.${k}`));
}

/**
 * Returns what is wrong with a successful estimate, solve or compare document: results missing or
 * `{}`, an empty object inside them, a number of results, inputs or ratios that is negative or not
 * finite (no result of llmcost is negative). Other documents (presets, backtest) are not checked.
 */
export function contentProblems(doc: Record<string, unknown>): string[] {
  const bad: string[] = [];
  if (!['estimate', 'solve', 'compare'].includes(String(doc['command']))) return [];
  const docs = Array.isArray(doc['scenarios']) ? (doc['scenarios'] as Array<Record<string, unknown>>) : [doc];
  if (doc['command'] === 'compare' && docs.length < 2) bad.push('compare with fewer than two scenarios');
  for (const d of docs) {
    const results = d['results'];
    if (results === null || typeof results !== 'object' || Object.keys(results).length === 0) bad.push('results missing or {}');
    bad.push(...empties(results, '$.results').map((p) => `{} at ${p}`));
    for (const [p, v] of [...numbers(results, '$.results'), ...numbers(d['inputs'], '$.inputs')]) {
      if (!Number.isFinite(v)) bad.push(`non-finite ${p}`);
      else if (v < 0) bad.push(`negative ${p} = ${v}`);
    }
  }
  for (const [p, v] of numbers(doc['ratios'], '$.ratios')) if (!(Number.isFinite(v) && v >= 0)) bad.push(`ratio ${p} = ${v}`);
  return bad;
}

