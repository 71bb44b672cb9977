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

/**
 * Returns `text` wrapped at word boundaries into lines no wider than `width`: the first line starts
 * with `prefix`, the others are indented by `indent` spaces (default: the prefix's width). A word
 * longer than a line (a URL) is broken, so that no line is ever wider than `width`.
 * @example wrapText('note: a b c', 9, '', 6) // ['note: a b', '      c']
 */
export function wrapText(text: string, width: number, prefix = '', indent = visibleWidth(prefix)): string[] {
  const lines: string[] = [];
  const pad = ' '.repeat(Math.min(indent, Math.max(0, width - 10)));
  let line = prefix;
  let lineWidth = visibleWidth(prefix);
  let fresh = true;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
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
