// Text measured and wrapped for the terminal (no dependencies: the entry wraps stderr lines with it).

/** Colour codes (SGR), which take no columns. */
export const ANSI = /\u001b\[[0-9;]*m/g;

// East Asian wide and fullwidth characters (CJK, Hangul, fullwidth forms) take two columns, as in
// cli-table3's string-width; a preset source may cite a Chinese title.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;

/** Returns the columns one character takes: 2 for a wide one, else 1. */
function charWidth(char: string): number {
  return WIDE.test(char) ? 2 : 1;
}

/** Returns the number of terminal columns `text` takes (colour codes take none, wide characters two; its longest line). */
export function visibleWidth(text: string): number {
  let widest = 0;
  for (const line of text.replace(ANSI, '').split('\n')) {
    let width = 0;
    for (const char of line) width += charWidth(char);
    widest = Math.max(widest, width);
  }
  return widest;
}

/** A word that ends in a number ("31.9", "16,384", "$3.7M", "(2.5"), which its unit word must not be wrapped away from. */
const ENDS_IN_NUMBER = /\d[\d,.]*(e-?\d+)?[kMBTP]?$/;

/** Unit words printed after a number (human.ts and the notes); trailing punctuation is ignored. */
const UNIT_WORDS = new Set([
  ...['k', 'M', 'B', 'T', 'P', '%', 'x', 's', 'min', 'h', 'ms', 'seconds', 'minutes', 'hours', 'hour', 'days', 'day', 'years', 'year'],
  ...['GPU-hours', 'GPU-hour', 'GPUs', 'GPU', 'devices', 'nodes', 'FLOPs', 'FLOP', 'FLOP/s', 'TFLOP/s', 'PFLOP/s', 'tokens', 'tokens/s'],
  ...['params', 'parameters', 'W', 'kW', 'MW', 'GW', 'Wh', 'kWh', 'MWh', 'GWh', 'MB', 'GB', 'TB', 'PB', 'MB/s', 'GB/s', 'TB/s', 'PB/s'],
  ...['t', 'kg', 'USD', 'homes', 'runs', 'steps', 'layers', 'experts'],
]);

/** Returns whether `word` is a unit word, once its trailing punctuation ("days,", "GPUs)") is set aside. */
function isUnitWord(word: string): boolean {
  return UNIT_WORDS.has(word.replace(/[,.;:)\]]+$/, ''));
}

/**
 * Returns the words of `text`, a number and the unit words after it ("31.9 M GPU-hours", "100
 * days") kept as one: wrapping never leaves a number at a line's end and its unit on the next.
 */
function wrapWords(text: string): string[] {
  const words: string[] = [];
  let units = 0;
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    const last = words.length - 1;
    // Joined after a number, or after a unit word just joined to one (at most two: "31.9 M GPU-hours").
    if (last >= 0 && isUnitWord(word) && (ENDS_IN_NUMBER.test(words[last] as string) || (units > 0 && units < 2))) {
      words[last] += ` ${word}`;
      units++;
      continue;
    }
    words.push(word);
    units = 0;
  }
  return words;
}

/**
 * Returns `text` wrapped at word boundaries into lines no wider than `width`: the first line starts
 * with `prefix`, the others are indented by `indent` spaces (default: the prefix's width). A number
 * stays on the line of its unit word (wrapWords). A word longer than a line (a URL) is broken, so
 * that no line is ever wider than `width`.
 * @example wrapText('note: a b c', 9, '', 6) // ['note: a b', '      c']
 */
export function wrapText(text: string, width: number, prefix = '', indent = visibleWidth(prefix)): string[] {
  const lines: string[] = [];
  const pad = ' '.repeat(Math.min(indent, Math.max(0, width - 10)));
  let line = prefix;
  let lineWidth = visibleWidth(prefix);
  let fresh = true;
  // A number and its unit wider than a whole line are wrapped as separate words again.
  const words = wrapWords(text).flatMap((w) => (w.includes(' ') && visibleWidth(w) > width - pad.length ? w.split(' ') : [w]));
  for (const word of words) {
    let rest = word;
    let restWidth = visibleWidth(rest);
    if (!fresh && lineWidth + 1 + restWidth > width) {
      lines.push(line);
      line = pad;
      lineWidth = pad.length;
      fresh = true;
    }
    if (!fresh) {
      line += ' ';
      lineWidth++;
    }
    // A word wider than the line is broken where the line ends (colour codes never sit inside a word we break).
    while (lineWidth + restWidth > width && width - lineWidth > 1) {
      const chars = [...rest];
      let taken = 0;
      let used = 0;
      while (taken < chars.length && lineWidth + used + charWidth(chars[taken] ?? '') <= width) used += charWidth(chars[taken++] ?? '');
      lines.push(line + chars.slice(0, taken).join(''));
      rest = chars.slice(taken).join('');
      restWidth -= used;
      line = pad;
      lineWidth = pad.length;
    }
    line += rest;
    lineWidth += restWidth;
    fresh = false;
  }
  lines.push(line);
  return lines;
}
