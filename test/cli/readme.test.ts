import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('README.md', () => {
  it('every "$ llmcost ..." example shows what the built CLI prints now (npm run readme refreshes them)', () => {
    const script = fileURLToPath(new URL('../../scripts/readme-examples.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
