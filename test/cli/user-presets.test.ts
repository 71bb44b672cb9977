import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { clusterFixture, gpuFixture } from '../helpers/presets.js';

const gpu = (name: string, label: string, bf16 = 500): object => gpuFixture(name, { label }, bf16);

/** Makes a presets directory from { "gpus/x.json": data } (strings are written as they are). */
function presetDir(files: Record<string, object | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-user-'));
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof data === 'string' ? data : JSON.stringify(data));
  }
  return dir;
}

interface Listed {
  name: string;
  kind: string;
  label: string;
  origin: string;
}
const listed = (args: string[], env: Record<string, string> = {}): Listed[] => {
  const run = runCli(['presets', '--json', ...args], env);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { presets: Listed[] }).presets;
};

describe('user presets: --presets-dir, LLMCOST_PRESETS, $XDG_CONFIG_HOME/llmcost/presets', () => {
  const mine = presetDir({
    'gpus/mygpu.json': gpu('mygpu', 'My GPU', 400),
    'clusters/mine.json': { $schema: '../../schema/cluster.schema.json', ...clusterFixture('mine', 'mygpu', 1000) },
  });

  it('a user cluster on a user GPU drives estimate, with the preset origins in the JSON', () => {
    const run = runCli(['estimate', '--presets-dir', mine, '--cluster', 'mine', '--model', 'gpt-3', '--json']);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout);
    expect(doc.inputs.gpus).toMatchObject({ value: 1000, origin: 'preset:mine' });
    expect(doc.inputs.gpuPeakFlopsPerSecond).toMatchObject({ value: 400e12, origin: 'preset:mygpu' });
  });

  it('`presets` shows where each preset came from', () => {
    const rows = listed(['--presets-dir', mine]);
    expect(rows.find((p) => p.name === 'mine')?.origin).toBe(`--presets-dir ${mine}`);
    expect(rows.find((p) => p.name === 'h100')?.origin).toBe('built-in');
    const table = runCli(['presets', '--presets-dir', mine], { COLUMNS: '250' }).stdout;
    expect(table.split('\n').find((l) => l.includes(' mygpu '))).toContain(`--presets-dir ${mine}`);
  });

  it('order: built-in < user config dir < LLMCOST_PRESETS (in list order) < --presets-dir (in order)', () => {
    const [env1 = '', env2 = '', flag1 = '', flag2 = ''] = ['env1', 'env2', 'flag1', 'flag2'].map((label) =>
      presetDir({ 'gpus/h100.json': gpu('h100', label) }),
    );
    const h100 = (args: string[], env: Record<string, string>): string | undefined => listed(args, env).find((p) => p.name === 'h100')?.label;
    // $XDG_CONFIG_HOME/llmcost/presets
    const cfgHome = presetDir({ 'llmcost/presets/gpus/h100.json': gpu('h100', 'config') });
    expect(h100([], { XDG_CONFIG_HOME: cfgHome })).toBe('config');
    expect(h100([], { XDG_CONFIG_HOME: cfgHome, LLMCOST_PRESETS: [env1, env2].join(delimiter) })).toBe('env2');
    expect(h100([], { XDG_CONFIG_HOME: cfgHome, LLMCOST_PRESETS: [env2, env1].join(delimiter) })).toBe('env1');
    expect(h100(['--presets-dir', flag1, '--presets-dir', flag2], { LLMCOST_PRESETS: env1 })).toBe('flag2');
    expect(h100(['--presets-dir', flag2, '--presets-dir', flag1], { LLMCOST_PRESETS: env1 })).toBe('flag1');
    // ~/.config/llmcost/presets when XDG_CONFIG_HOME is unset.
    const home = mkdtempSync(join(tmpdir(), 'llmcost-home-'));
    mkdirSync(join(home, '.config', 'llmcost', 'presets', 'gpus'), { recursive: true });
    writeFileSync(join(home, '.config', 'llmcost', 'presets', 'gpus', 'h100.json'), JSON.stringify(gpu('h100', 'home')));
    expect(h100([], { HOME: home, XDG_CONFIG_HOME: '' })).toBe('home');
    // A user config path that is not a directory is skipped (it was not asked for explicitly).
    const notDir = presetDir({ 'llmcost/presets': 'a file' });
    expect(h100([], { XDG_CONFIG_HOME: notDir })).toMatch(/H100/);
  });

  it('a missing explicit directory is a usage error naming it', () => {
    for (const [args, env, message] of [
      [['estimate', '--presets-dir', '/no/such/dir'], {}, 'llmcost: --presets-dir: no directory "/no/such/dir"\n'],
      [['presets'], { LLMCOST_PRESETS: '/no/such/dir' }, 'llmcost: LLMCOST_PRESETS: no directory "/no/such/dir"\n'],
      [['presets', 'validate', '/no/such/dir'], {}, 'llmcost: presets validate /no/such/dir: cannot read: no such directory\n'],
    ] as const) {
      const run = runCli([...args], { ...env });
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(message);
    }
  });

  it('estimate with broken user presets prints ONE line naming each file and JSON path', () => {
    const broken = presetDir({
      'gpus/x.json': gpu('x', 'X', -5),
      'clusters/c.json': clusterFixture('c', 'nope', 8),
    });
    const run = runCli(['estimate', '--model', 'gpt-3', '--presets-dir', broken]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toContain(`${join(broken, 'gpus', 'x.json')}: peakTflops.bf16.value: expected a positive number, got -5`);
    expect(run.stderr).toContain(`${join(broken, 'clusters', 'c.json')}: gpu: no GPU preset named "nope"`);
  });
});

describe('presets validate DIR', () => {
  it('a clean directory: "ok: N presets" on stdout, exit 0', () => {
    const dir = presetDir({ 'gpus/a.json': gpu('a', 'A'), 'clusters/b.json': clusterFixture('b', 'a', 8) });
    const run = runCli(['presets', 'validate', dir]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`ok: 2 presets in ${dir}\n`);
  });

  it('every problem at once, one per line on stderr, then a count; exit 2 and nothing on stdout', () => {
    const dir = presetDir({
      'gpus/neg.json': gpu('neg', 'N', -5),
      'gpus/extra.json': { ...gpu('extra', 'E'), colour: 'green' },
      'gpus/dup.json': gpu('neg', 'again'),
      'models/empty.json': '',
      'models/proto.json': '{"constructor": {}}',
      'clusters/c.json': clusterFixture('c', 'nope', 8),
    });
    const run = runCli(['presets', 'validate', dir]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines).toContain(`${join(dir, 'gpus', 'neg.json')}: peakTflops.bf16.value: expected a positive number, got -5`);
    expect(lines).toContain(`${join(dir, 'gpus', 'extra.json')}: (top level): unknown key "colour"`);
    expect(lines).toContain(`${join(dir, 'models', 'empty.json')}: empty file, expected a JSON object`);
    expect(lines).toContain(`${join(dir, 'models', 'proto.json')}: key "constructor" is not allowed`);
    expect(lines).toContain(`${join(dir, 'clusters', 'c.json')}: gpu: no GPU preset named "nope"`);
    expect(lines.at(-1)).toBe(`llmcost: presets validate: 5 problems in ${dir}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
