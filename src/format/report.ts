import type { Input } from '../scenario/types.js';

/** A result value: numbers in base units, or a label/flag. */
export type ResultValue = number | string | boolean | readonly number[] | object;

/** What a command computed: the resolved inputs, the results, and what the user should know. */
export interface Report {
  command: 'estimate' | 'solve';
  /** One-line description of the scenario, for the table heading. */
  title: string;
  inputs: Record<string, Input<unknown> | undefined>;
  results: Record<string, ResultValue | undefined>;
  /** Things that make a number less trustworthy or missing (printed in yellow). */
  warnings: string[];
  /** Plain statements about how a figure was obtained. */
  notes: string[];
}

/** Version of the JSON output; bumped only on a breaking change. */
export const SCHEMA_VERSION = 1;
