/** What chalkStyle uses of a chalk instance (a structural type keeps chalk out of the published declarations). */
export interface ChalkLike {
  bold: (s: string) => string;
  dim: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
}

/**
 * How output looks on this terminal: how to style text (`plain` leaves it as it is) and how many
 * columns a line may use. Both are decided once by the entry and passed to every renderer.
 */
export interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
  /** Columns a line of output may use (stdout's width, COLUMNS, else 80); tables and notes keep within it. */
  width: number;
}

/** A style that adds nothing (no colour), 80 columns wide. */
export const plain: Style = { bold: (s) => s, dim: (s) => s, yellow: (s) => s, green: (s) => s, width: 80 };

/**
 * Returns a Style backed by a chalk instance, `width` columns wide (80 by default). Each function
 * passes on exactly one string: chalk's are variadic (`chalk.bold(a, b)` joins its arguments), so
 * `lines.map(chalk.bold)` would print each line followed by its index and the whole array.
 */
export function chalkStyle(chalk: ChalkLike, width = plain.width): Style {
  return {
    bold: (s) => chalk.bold(s),
    dim: (s) => chalk.dim(s),
    yellow: (s) => chalk.yellow(s),
    green: (s) => chalk.green(s),
    width,
  };
}
