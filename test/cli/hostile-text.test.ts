import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorLine } from '../../src/cli/main.js';
import { BIN, cliEnv } from '../helpers/cli.js';
import { clusterFixture, gpuFixture, modelFixture } from '../helpers/presets.js';

/**
 * Hostile text (issue 13): escape sequences in a preset's label used to reach stdout raw (they can
 * retitle or clear the terminal). Whatever a preset, a config or a scenario file supplies, no
 * control character reaches stdout or stderr raw, in any format; JSON keeps the text as escaped.
 */
const EVIL = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil\r\u0008x\u007f';
/** Raw terminal controls: C0 but tab and newline, DEL, C1, bidi overrides and isolates. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
let dir: string;
let presets: string;

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: cliEnv(env) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llmcost-hostile-'));
  presets = join(dir, 'presets');
  for (const kind of ['gpus', 'models', 'clusters']) mkdirSync(join(presets, kind), { recursive: true });
  const gpu = gpuFixture('evilgpu', { label: `GPU ${EVIL}`, note: EVIL, tdpW: { value: 700, source: `datasheet ${EVIL}`, note: EVIL } }, 989);
  writeFileSync(join(presets, 'gpus', 'evilgpu.json'), JSON.stringify(gpu));
  writeFileSync(join(presets, 'clusters', 'evilcluster.json'), JSON.stringify(clusterFixture('evilcluster', 'evilgpu', 1024, { label: EVIL, note: EVIL })));
  writeFileSync(join(presets, 'models', 'evilmodel.json'), JSON.stringify(modelFixture('evilmodel', 7e9, 1e12, { label: EVIL, params: { value: 7e9, source: EVIL } })));
});

describe('text from presets, configs and scenario files never reaches the terminal raw', () => {
  const base = ['--presets-dir', '', '--model', 'evilmodel', '--cluster', 'evilcluster'];
  const withDir = (): string[] => base.map((a) => (a === '' ? presets : a));

  for (const format of ['table', 'markdown', 'csv', 'json', 'ndjson'] as const) {
    it(`estimate --format ${format}`, () => {
      const r = run(['estimate', ...withDir(), '--format', format]);
      expect(r.status, r.stderr).toBe(0);
      expect(RAW.test(r.stdout), JSON.stringify(r.stdout.match(RAW))).toBe(false);
      expect(RAW.test(r.stderr)).toBe(false);
      if (format === 'json') {
        // The text is kept, escaped visibly: what the user sees is what the file held.
        const doc = JSON.parse(r.stdout) as { inputs: { params: { source: string } } };
        expect(doc.inputs.params.source).toBe('\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eevil \\x08x\\x7f');
      }
    });
  }

  it('presets (list and show), with colour forced on, keep only llmcost\'s own colour codes', () => {
    for (const args of [['presets'], ['presets', 'show', 'evilgpu'], ['presets', 'show', 'evilcluster', '--format', 'markdown']]) {
      const r = run([...args, '--presets-dir', presets], { FORCE_COLOR: '1' });
      expect(r.status, r.stderr).toBe(0);
      const withoutColour = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
      expect(RAW.test(withoutColour), `${args.join(' ')}: ${JSON.stringify(withoutColour.match(RAW))}`).toBe(false);
      expect(r.stdout).toContain('\\x1b]0;pwned\\x07');
    }
  });

  it('a scenario name and an HF config key with escape sequences', () => {
    const scenarios = join(dir, 'scenarios.json');
    writeFileSync(scenarios, JSON.stringify([{ name: `a${EVIL}`, model: 'llama-405b' }, { name: 'b', model: 'llama-70b' }]));
    for (const format of ['table', 'markdown', 'csv', 'json']) {
      const r = run(['compare', '--scenarios', scenarios, '--cluster', 'h100x16k', '--format', format]);
      expect(r.status, r.stderr).toBe(0);
      expect(RAW.test(r.stdout), format).toBe(false);
    }
    const hf = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/hf/llama-3.1-8b.config.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
    const config = join(dir, `conf\u001b[2J\u0007ig.json`);
    writeFileSync(config, JSON.stringify({ ...hf, [`x${EVIL}`]: EVIL }));
    for (const format of ['table', 'json', 'csv', 'markdown']) {
      const r = run(['estimate', '--hf-config', config, '--tokens', '1T', '--cluster', 'h100x16k', '--format', format]);
      expect(r.status, r.stderr).toBe(0);
      expect(RAW.test(r.stdout), `${format}: ${JSON.stringify(r.stdout.match(RAW))}`).toBe(false);
      expect(RAW.test(r.stderr)).toBe(false);
    }
  });

  it('errors too: a bad preset file, a hostile flag value, a hostile path, each one line', () => {
    const broken = join(dir, 'broken');
    mkdirSync(join(broken, 'gpus'), { recursive: true });
    writeFileSync(join(broken, 'gpus', 'x.json'), JSON.stringify({ ...gpuFixture('x'), [`k${EVIL}`]: 1, label: 5 }));
    copyFileSync(join(presets, 'gpus', 'evilgpu.json'), join(broken, 'gpus', 'y.json'));
    for (const args of [
      ['presets', 'validate', broken],
      ['estimate', '--presets-dir', broken, '--model', 'llama-405b'],
      ['estimate', '--model', EVIL],
      ['estimate', '--model', 'llama-405b', '--gpus', EVIL],
      ['estimate', '--hf-config', join(dir, `no\u001b[2Jsuch.json`), '--tokens', '1T'],
      ['compare', '--scenarios', join(dir, `\u009bnone.json`)],
    ]) {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(RAW.test(r.stderr), `${JSON.stringify(args)}: ${JSON.stringify(r.stderr)}`).toBe(false);
      if (args[1] !== 'validate') expect(r.stderr.split('\n')).toHaveLength(2);
    }
  });

  it('errorLine escapes, collapses and cuts whatever a message holds', () => {
    expect(errorLine(`a\u001b[2Jb\nc`)).toBe('a\\x1b[2Jb c');
    const huge = errorLine(`x: got ${'[1,'.repeat(1_000_000)}`);
    expect(huge.length).toBeLessThanOrEqual(1_000);
    expect(huge).toMatch(/\.\.\. \(\d+ more characters\)$/);
  });
});
