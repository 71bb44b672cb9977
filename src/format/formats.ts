/** The output formats every command takes with --format (kept apart from the renderers so that help loads nothing heavy). */
export const FORMATS = ['table', 'json', 'ndjson', 'csv', 'markdown'] as const;
/** One output format. */
export type OutputFormat = (typeof FORMATS)[number];
