// Text measured and wrapped for the terminal (no dependencies: the entry wraps stderr lines with it).

/** Colour codes (SGR), which take no columns. */
export const ANSI = /\u001b\[[0-9;]*m/g;

/** Returns the number of terminal columns `text` takes (colour codes take none; its longest line). */
export function visibleWidth(text: string): number {
  let widest = 0;
  for (const line of text.replace(ANSI, '').split('\n')) widest = Math.max(widest, [...line].length);
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
    while (lineWidth + restWidth > width && width - lineWidth > 0) {
      const room = width - lineWidth;
      const chars = [...rest];
      lines.push(line + chars.slice(0, room).join(''));
      rest = chars.slice(room).join('');
      restWidth -= room;
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
