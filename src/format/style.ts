import type { ChalkInstance } from 'chalk';

/** How to style text; `plain` leaves it as it is. */
export interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
}

/** A style that adds nothing (no colour). */
export const plain: Style = { bold: (s) => s, dim: (s) => s, yellow: (s) => s, green: (s) => s };

/** Returns a Style backed by a chalk instance. */
export function chalkStyle(chalk: ChalkInstance): Style {
  return { bold: chalk.bold, dim: chalk.dim, yellow: chalk.yellow, green: chalk.green };
}
