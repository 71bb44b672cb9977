// Text that llmcost did not write itself (preset labels, sources and notes, scenario names, HF
// config keys, paths, echoed values) passes through here before it can reach a terminal.

/**
 * Control characters that can act on a terminal or hide text: C0 (ESC, BEL, CR...), DEL, C1 (the
 * 8-bit CSI U+009B...), bidirectional overrides and isolates, line and paragraph separators.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_ONE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Returns the visible escape of one unsafe character: `\x1b`, `\u202e`; tab, newline and CR become a space. */
function escapeChar(c: string): string {
  if (c === '\t' || c === '\n' || c === '\r') return ' ';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Returns true when `text` holds a character safeText would change. */
export function hasUnsafeText(text: string): boolean {
  return UNSAFE_ONE.test(text);
}

/**
 * Returns `text` safe for a terminal and on one line: every control character escaped visibly
 * (`\x1b[2J` prints as those six characters), tabs and line breaks made spaces.
 * @example safeText('evil\u001b]0;pwned\u0007') // 'evil\\x1b]0;pwned\\x07'
 */
export function safeText(text: string): string {
  return UNSAFE_ONE.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/** The longest echo of a value in a message, in characters. */
export const ECHO_CHARS = 40;

/**
 * Returns a short, safe, one-line rendering of a value for an error message: at most `max`
 * characters (a 10,000-character string or a million-element array is echoed as its start),
 * control characters escaped. Does work bounded by `max`, not by the value's size.
 * @example echo([1, 2, 3]) // '[1,2,3]'
 * @example echo('x'.repeat(1e4)) // '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."'
 */
export function echo(value: unknown, max = ECHO_CHARS): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : 'a number too large for double precision';
  const text = brief(value, max + 4);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** JSON-like text of `value`, stopping once it is longer than `budget` characters. */
function brief(value: unknown, budget: number): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(safeText(value.slice(0, budget))).replace(/\\\\(x[0-9a-f]{2}|u[0-9a-f]{4})/g, '\\$1');
  if (typeof value !== 'object') return typeof value;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length && out.length <= budget; i++) out += (i === 0 ? '' : ',') + brief(value[i], budget - out.length);
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (out.length > budget) break;
    out += `${first ? '' : ','}${brief(key, budget - out.length)}:${brief((value as Record<string, unknown>)[key], budget - out.length)}`;
    first = false;
  }
  return `${out}}`;
}

/** Characters JSON.stringify leaves raw that a terminal may act on (C0 is always escaped by it). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** In text output: an SGR colour sequence (kept when colour is on), or an unsafe character other than tab and newline. */
const UNSAFE_IN_TEXT = /(\u001b\[[0-9;]*m)|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_TEXT_ONE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Returns a command's whole output made safe for a terminal, the last guard after the escaping at
 * read (parseJsonData): for JSON (`json`) unsafe characters become `\uXXXX` escapes, which leaves
 * the parsed value unchanged; for text (tables, markdown, csv, svg) they are escaped visibly, tabs
 * and newlines kept, and llmcost's own colour sequences kept when `keepColor`.
 */
export function safeOutput(text: string, kind: 'json' | 'text', keepColor = false): string {
  if (kind === 'json') return text.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (!UNSAFE_IN_TEXT_ONE.test(text)) return text;
  return text.replace(UNSAFE_IN_TEXT, (match: string, sgr: string | undefined) => (sgr !== undefined && keepColor ? match : escapeSequence(match)));
}

/** Returns every character of `text` escaped visibly (`\x1b[31m` for a colour sequence). */
function escapeSequence(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}
