import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 14: every source is traceable by someone who has only the package. A source may not point
 * at files that are not shipped (shared/seed, the brief): it names the article itself or the
 * underlying source.
 */
const PRESETS = fileURLToPath(new URL('../../presets/', import.meta.url));

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'schema' ? [] : jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

/** Every string under a "source" or "note" key, with its JSON path. */
function citations(value: unknown, path = '$'): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => citations(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => (typeof v === 'string' && (key === 'source' || key === 'note') ? [[`${path}.${key}`, v] as [string, string]] : citations(v, `${path}.${key}`)));
}

describe('preset sources are traceable from the package alone', () => {
  const all = jsonFiles(PRESETS).flatMap((file) => citations(JSON.parse(readFileSync(file, 'utf8'))).map(([path, text]) => ({ file: file.slice(PRESETS.length), path, text })));

  it('there are sources to check', () => {
    expect(all.length).toBeGreaterThan(200);
  });

  it('none points at files outside the package (shared/seed, the brief) or cites "the seed article" without naming it', () => {
    const bad = all.filter(({ text }) => /shared\/seed|llmcost brief|the brief\b|seed article/i.test(text));
    expect(bad.map(({ file, path, text }) => `${file} ${path}: ${text.slice(0, 80)}`)).toEqual([]);
  });

  it('the Colossus article is cited by title, place and date wherever it is the source', () => {
    const article = all.filter(({ text }) => text.includes('Supercomputer into Perspective'));
    expect(article.length).toBeGreaterThanOrEqual(4);
    for (const { text } of article) expect(text).toContain('shxcj.com/archives/5932, 13 Sep 2024');
  });
});
