// What the entry decides once about the terminal (issue 14): how wide output may be and whether it
// is coloured. Pure: the entry passes in the facts (environment, stdout's columns and TTY-ness).

/** Columns assumed when the width is unknown (not a terminal, no COLUMNS). */
export const DEFAULT_WIDTH = 80;
/** Narrowest width honoured: below it tables cannot show a label and a value side by side. */
export const MIN_WIDTH = 40;

/**
 * Returns the columns output may use: stdout's own width when it is a terminal, else COLUMNS when it
 * is a whole number, else 80; never below 40.
 * @example terminalWidth({ env: { COLUMNS: '120' } }) // 120
 */
export function terminalWidth(facts: { columns?: number | undefined; env: Readonly<Record<string, string | undefined>> }): number {
  const fromEnv = Number(facts.env['COLUMNS']);
  const width =
    facts.columns !== undefined && Number.isInteger(facts.columns) && facts.columns > 0
      ? facts.columns
      : Number.isInteger(fromEnv) && fromEnv > 0
        ? fromEnv
        : DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, width);
}

/**
 * Returns whether to colour output, by the usual conventions, first match wins: --color / --no-color;
 * FORCE_COLOR (on, unless "0" or "false"; it overrides NO_COLOR, as in Node's own tty.getColorDepth);
 * NO_COLOR (off when set and non-empty, no-color.org); TERM=dumb (off); else on only for a terminal.
 */
export function useColor(facts: { flag: boolean | undefined; env: Readonly<Record<string, string | undefined>>; isTTY: () => boolean }): boolean {
  if (facts.flag !== undefined) return facts.flag;
  const force = facts.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  const no = facts.env['NO_COLOR'];
  if (no !== undefined && no !== '') return false;
  if (facts.env['TERM'] === 'dumb') return false;
  return facts.isTTY();
}
