import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of the built CLI entry (tests run after `npm run build`). */
export const BIN = fileURLToPath(new URL('../../dist/llmcost.cjs', import.meta.url));

/** What one CLI run printed and returned. */
export interface CliRun {
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * The environment of a spawned CLI: NO_COLOR, and an XDG_CONFIG_HOME that does not exist so that the
 * developer's own ~/.config/llmcost/presets never changes a test's outcome; `env` adds or overrides.
 */
export function cliEnv(env: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', NO_COLOR: '1', XDG_CONFIG_HOME: '/nonexistent/llmcost-tests', ...env };
}

/** Spawns the built CLI with NO_COLOR=1 and returns stdout, stderr and exit code. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: cliEnv(env) });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** Runs the CLI with --json, expects exit 0 and returns the parsed document. */
export function runJson(args: readonly string[]): { results: Record<string, unknown>; inputs: Record<string, { value: unknown; origin: string }>; [k: string]: unknown } {
  const run = runCli([...args, '--json']);
  if (run.status !== 0) throw new Error(`llmcost ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Runs the CLI and expects a usage error: exit 2, nothing on stdout, one line on stderr matching `pattern`. */
export function expectUsageError(args: readonly string[], pattern: RegExp): void {
  const run = runCli(args);
  expect(run.status, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.split('\n')).toHaveLength(2);
  expect(run.stderr).toMatch(pattern);
}
