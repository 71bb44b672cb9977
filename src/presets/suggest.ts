/** Returns the Levenshtein edit distance between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Returns up to `limit` names closest to `wanted`, ignoring case: substring matches first, each
 * group by edit distance ("gpu" suggests "gpus" before "gpu-price").
 * @example closestNames('h10', ['h100', 'h200', 'a100']) // ['h100', 'h200', 'a100']
 */
export function closestNames(wanted: string, names: Iterable<string>, limit = 3): string[] {
  const w = wanted.toLowerCase().slice(0, 200);
  return [...names]
    .map((name) => {
      const n = name.toLowerCase();
      return { name, score: (n.includes(w) || w.includes(n) ? 0 : 1e6) + editDistance(w, n) };
    })
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map((x) => x.name);
}
