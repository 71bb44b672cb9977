import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES } from '../../src/presets/input-file.js';
import { BIN, cliEnv } from '../helpers/cli.js';
import { gpuFixture } from '../helpers/presets.js';

/**
 * Every file the user names goes through one reader (issue 13): regular files only, at most
 * 1,000,000 bytes, `-` for stdin. A FIFO used to hang forever and /dev/zero to fill the memory.
 */
const HF = fileURLToPath(new URL('../fixtures/hf/llama-3.1-8b.config.json', import.meta.url));
let dir: string;
let fifo: string | undefined;

/** Runs the CLI with `stdin` (a path opened for it, or text); a 10 s timeout turns a hang into a failure. */
function run(args: string[], stdin?: { path?: string; text?: string }): { status: number | null; stdout: string; stderr: string; signal: NodeJS.Signals | null } {
  const fd = stdin?.path !== undefined ? openSync(stdin.path, 'r') : undefined;
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      env: cliEnv(),
      timeout: 10_000,
      input: stdin?.text,
      stdio: [fd ?? (stdin?.text !== undefined ? 'pipe' : 'ignore'), 'pipe', 'pipe'],
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function expectOneLine(r: ReturnType<typeof run>, pattern: RegExp): void {
  expect(r.signal, 'killed: the CLI hung').toBeNull();
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toHaveLength(2);
  expect(r.stderr).toMatch(pattern);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llmcost-files-'));
  symlinkSync(join(dir, 'nowhere.json'), join(dir, 'dangling.json'));
  mkdirSync(join(dir, 'folder.json'));
  writeFileSync(join(dir, 'big.json'), ' '.repeat(MAX_INPUT_BYTES + 1));
  writeFileSync(join(dir, 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
  const made = spawnSync('mkfifo', [join(dir, 'fifo.json')]);
  if (made.status === 0) fifo = join(dir, 'fifo.json');
});

describe('--hf-config and --scenarios read only regular files', () => {
  const kinds: Array<[string, () => string, RegExp]> = [
    ['a FIFO (would block forever)', () => fifo ?? '/dev/null', /cannot read: a (FIFO \(named pipe\)|character device), expected a regular file$/m],
    ['/dev/zero (would fill the memory)', () => '/dev/zero', /cannot read: a character device, expected a regular file$/m],
    ['a directory', () => join(dir, 'folder.json'), /cannot read: a directory, expected a regular file$/m],
    ['a dangling symlink', () => join(dir, 'dangling.json'), /cannot read: a dangling symbolic link \(its target does not exist\)$/m],
    ['a missing file', () => join(dir, 'missing.json'), /cannot read: no such file$/m],
    ['a file over the limit', () => join(dir, 'big.json'), /cannot read: too large \(1,000,001 bytes; at most 1,000,000\)$/m],
    ['a file that is not UTF-8', () => join(dir, 'latin1.json'), /cannot read: not UTF-8 text$/m],
  ];
  for (const [what, path, pattern] of kinds) {
    it(`${what}: one line naming the flag and the file`, () => {
      expectOneLine(run(['estimate', '--hf-config', path(), '--tokens', '1T']), new RegExp(`^llmcost: --hf-config ${path().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${pattern.source}`, 'm'));
      expectOneLine(run(['compare', '--scenarios', path()]), new RegExp(`^llmcost: --scenarios \\S+: ${pattern.source}`, 'm'));
    });
  }

  it('"-" reads stdin: a config or a scenario list piped in', () => {
    const viaFile = run(['estimate', '--hf-config', HF, '--tokens', '1T', '--json']);
    const viaStdin = run(['estimate', '--hf-config', '-', '--tokens', '1T', '--json'], { text: readFileSync(HF, 'utf8') });
    expect(viaStdin.status, viaStdin.stderr).toBe(0);
    const results = (out: string): unknown => (JSON.parse(out) as { results: unknown }).results;
    expect(results(viaStdin.stdout)).toEqual(results(viaFile.stdout));
    const scenarios = run(['compare', '--scenarios', '-', '--json'], { text: JSON.stringify([{ model: 'llama-405b', cluster: 'h100x16k' }, { model: 'llama-70b', cluster: 'h100x16k' }]) });
    expect(scenarios.status, scenarios.stderr).toBe(0);
    expect((JSON.parse(scenarios.stdout) as { scenarios: unknown[] }).scenarios).toHaveLength(2);
  });

  it('stdin is bounded too: /dev/zero piped in is "too large", not a hang or an out-of-memory crash', () => {
    expectOneLine(run(['compare', '--scenarios', '-'], { path: '/dev/zero' }), /^llmcost: --scenarios \(stdin\): cannot read: too large \(more than 1,000,000 bytes\)$/m);
    expectOneLine(run(['estimate', '--hf-config', '-', '--tokens', '1T'], { path: '/dev/null' }), /^llmcost: --hf-config \(stdin\): empty file, expected a JSON object$/m);
  });

  it('a scenario file lists at most 1,000 scenarios (10,000 took 45 s to tabulate)', () => {
    const many = join(dir, 'many.json');
    writeFileSync(many, JSON.stringify(Array.from({ length: 1_001 }, () => ({ model: 'llama-8b' }))));
    expectOneLine(run(['compare', '--scenarios', many]), /^llmcost: --scenarios \S+many\.json: expected at most 1,000 scenarios, got 1,001 \(llmcost sweep varies a flag over more points\)$/m);
  });

  it('stdin is read once: two flags cannot both be "-"', () => {
    const r = run(['compare', '--scenarios', '-', '--hf-config', '-', '--tokens', '1T'], { text: '[{}, {}]' });
    expectOneLine(r, /stdin is already read by --(scenarios|hf-config); give one of them a file$/m);
  });
});

describe('presets validate reports every entry it could not read', () => {
  it('a dangling symlink, a FIFO, a directory named .json, an oversized file: each on its own line, no hang', () => {
    const presets = mkdtempSync(join(tmpdir(), 'llmcost-validate-'));
    mkdirSync(join(presets, 'gpus'));
    mkdirSync(join(presets, 'models'));
    writeFileSync(join(presets, 'gpus', 'good.json'), JSON.stringify(gpuFixture('good')));
    symlinkSync(join(presets, 'gpus', 'gone.json'), join(presets, 'gpus', 'dangling.json'));
    mkdirSync(join(presets, 'gpus', 'folder.json'));
    writeFileSync(join(presets, 'models', 'big.json'), ' '.repeat(MAX_INPUT_BYTES + 1));
    if (fifo) spawnSync('mkfifo', [join(presets, 'models', 'fifo.json')]);
    symlinkSync(join(presets, 'nowhere'), join(presets, 'clusters'));
    symlinkSync(join(presets, 'nothing.json'), join(presets, 'defaults.json'));
    const r = run(['presets', 'validate', presets]);
    expect(r.signal, 'killed: the CLI hung').toBeNull();
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    for (const expected of [
      `${join(presets, 'defaults.json')}: cannot read: a dangling symbolic link (its target does not exist)`,
      `${join(presets, 'gpus', 'dangling.json')}: cannot read: a dangling symbolic link (its target does not exist)`,
      `${join(presets, 'gpus', 'folder.json')}: cannot read: a directory, expected a regular file`,
      `${join(presets, 'models', 'big.json')}: cannot read: too large (1,000,001 bytes; at most 1,000,000)`,
      `${join(presets, 'clusters')}: cannot read: a dangling symbolic link (its target does not exist)`,
      ...(fifo ? [`${join(presets, 'models', 'fifo.json')}: cannot read: a FIFO (named pipe), expected a regular file`] : []),
    ]) {
      expect(lines.some((l) => l.endsWith(expected)), `${expected}\nin\n${r.stderr}`).toBe(true);
    }
  });

  it('a directory argument that is a file, a FIFO or missing is one line', () => {
    expectOneLine(run(['presets', 'validate', HF]), /: cannot read: not a directory, expected a directory of \.json files$/m);
    expectOneLine(run(['presets', 'validate', join(dir, 'missing')]), /: cannot read: no such directory$/m);
  });
});
