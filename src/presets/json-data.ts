// JSON reading for preset, scenario and config files; no zod, so that commands that only read
// JSON (estimate --hf-config) do not load the validator.

import { hasUnsafeText, safeText } from '../text.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Returns the JSON value of `text`, or an error message; rejects keys that could reach prototypes;
 * every string and key has its control characters escaped (`\u001b` becomes the text `\x1b`).
 */
export function parseJsonData(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  // Editors on Windows may save UTF-8 with a byte-order mark, which JSON.parse rejects.
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  if (text.trim() === '') return { ok: false, error: 'empty file, expected a JSON object' };
  let forbidden: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, function (key, v: unknown) {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      // Text from a file never reaches a terminal raw: control characters are escaped visibly here,
      // once, for every format and every error (src/text.ts).
      if (typeof v === 'string') return safeText(v);
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).some(hasUnsafeText)) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [safeText(k), x]));
      }
      return v;
    });
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message.replace(/\s+/g, ' ')})` };
  }
  if (forbidden !== undefined) return { ok: false, error: `key "${forbidden}" is not allowed` };
  return { ok: true, value };
}
