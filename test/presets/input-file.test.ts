// The one reader of user files (src/presets/input-file.ts), in process: each kind of path gets its
// one reason (test/cli/files.test.ts checks the same through the built CLI), the size limit holds
// to the byte, and the text comes back whole.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES, readFlagFile, readInputText, shownPath } from '../../src/presets/input-file.js';
import { compilePresets, COMPILED_PRESETS_FORMAT, presetsFromCompiled } from '../../src/presets/compiled.js';
import { loadPresets } from '../../src/presets/load.js';

let dir: string;
let server: Server;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llmcost-input-'));
  writeFileSync(join(dir, 'ok.json'), '{"a": 1}\n');
  writeFileSync(join(dir, 'empty.json'), '');
  writeFileSync(join(dir, 'limit.json'), 'x'.repeat(MAX_INPUT_BYTES));
  writeFileSync(join(dir, 'over.json'), 'x'.repeat(MAX_INPUT_BYTES + 1));
  // 100,000 bytes of UTF-8 with multi-byte characters, to cross the reader's first buffer.
  writeFileSync(join(dir, 'big.json'), 'é'.repeat(50_000));
  writeFileSync(join(dir, 'latin1.json'), Buffer.from([0x7b, 0xe9, 0x7d]));
  mkdirSync(join(dir, 'folder.json'));
  symlinkSync(join(dir, 'ok.json'), join(dir, 'link.json'));
  symlinkSync(join(dir, 'nowhere.json'), join(dir, 'dangling.json'));
  symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
  symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
  execFileSync('mkfifo', [join(dir, 'fifo.json')]);
  server = createServer();
  await new Promise<void>((done) => server.listen(join(dir, 'socket.json'), done));
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

describe('readInputText: what a path is, before reading it', () => {
  it('a regular file (or a link to one): its text, whole', () => {
    expect(readInputText(join(dir, 'ok.json'))).toEqual({ ok: true, text: '{"a": 1}\n' });
    expect(readInputText(join(dir, 'link.json'))).toEqual({ ok: true, text: '{"a": 1}\n' });
    expect(readInputText(join(dir, 'empty.json'))).toEqual({ ok: true, text: '' });
    expect(readInputText(join(dir, 'big.json'))).toEqual({ ok: true, text: 'é'.repeat(50_000) });
  });

  it('exactly 1,000,000 bytes is read; one more is too large, with both numbers', () => {
    const limit = readInputText(join(dir, 'limit.json'));
    expect(limit.ok && limit.text.length).toBe(MAX_INPUT_BYTES);
    expect(MAX_INPUT_BYTES).toBe(1_000_000);
    expect(readInputText(join(dir, 'over.json'))).toEqual({ ok: false, reason: 'too large (1,000,001 bytes; at most 1,000,000)', missing: false });
  });

  it.each([
    ['nothing there', 'missing.json', 'no such file', true],
    ['a dangling link', 'dangling.json', 'a dangling symbolic link (its target does not exist)', false],
    ['a directory', 'folder.json', 'a directory, expected a regular file', false],
    ['a FIFO (it would block)', 'fifo.json', 'a FIFO (named pipe), expected a regular file', false],
    ['a loop of links', 'loop-a', 'a loop of symbolic links', false],
    ['a path through a file', 'ok.json/inner.json', 'a path through something that is not a directory', false],
    ['bytes that are not UTF-8', 'latin1.json', 'not UTF-8 text', false],
  ])('%s: one reason', (_, name, reason, missing) => {
    expect(readInputText(join(dir, name))).toEqual({ ok: false, reason, missing });
  });

  it('a character device (/dev/zero would fill the memory) and an over-long name', () => {
    expect(readInputText('/dev/zero')).toEqual({ ok: false, reason: 'a character device, expected a regular file', missing: false });
    expect(readInputText(join(dir, 'x'.repeat(300)))).toEqual({ ok: false, reason: 'a path too long', missing: false });
  });

  it('a socket, and a block device when the machine shows one, are named as such', () => {
    expect(readInputText(join(dir, 'socket.json'))).toEqual({ ok: false, reason: 'a socket, expected a regular file', missing: false });
    const block = readdirSync('/dev').map((n) => `/dev/${n}`).find((p) => {
      try {
        return statSync(p).isBlockDevice();
      } catch {
        return false;
      }
    });
    if (block) expect(readInputText(block)).toEqual({ ok: false, reason: 'a block device, expected a regular file', missing: false });
  });

  it.skipIf(process.platform !== 'linux')('a file whose size says 0 (/proc) is read whole, past the first 4,096-byte buffer', () => {
    // /proc/self/maps of a Node process lists hundreds of mappings (tens of kB) while stat reports 0 bytes.
    expect(statSync('/proc/self/maps').size).toBe(0);
    const maps = readInputText('/proc/self/maps');
    expect(maps.ok).toBe(true);
    const text = maps.ok ? maps.text : '';
    expect(text.length).toBeGreaterThan(4096);
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.slice(0, -1).split('\n')) expect(line).toMatch(/^[0-9a-f]+-[0-9a-f]+ /);
  });

  it.skipIf(process.platform !== 'linux')('every file it opens is closed again, read or refused', () => {
    const open = (): number => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let i = 0; i < 40; i++) {
      readInputText(join(dir, 'ok.json'));
      readInputText(join(dir, 'latin1.json'));
    }
    // One descriptor left open per read would be 80 more.
    expect(open() - before).toBeLessThan(10);
  });

  it('"-" is a file named "-" unless the caller reads stdin', () => {
    expect(readInputText('-')).toEqual({ ok: false, reason: 'no such file', missing: true });
  });
});

describe('readFlagFile and shownPath: one line naming the flag and the file', () => {
  it('the text of a good file; every bad one is a usage error with the reason', () => {
    expect(readFlagFile('--hf-config', join(dir, 'ok.json'))).toBe('{"a": 1}\n');
    expect(() => readFlagFile('--hf-config', join(dir, 'fifo.json'))).toThrow(`--hf-config ${join(dir, 'fifo.json')}: cannot read: a FIFO (named pipe), expected a regular file`);
    expect(() => readFlagFile('--scenarios', '  ')).toThrow('--scenarios: expected a file name, got an empty value');
    expect(() => readFlagFile('--scenarios', '')).toThrow('--scenarios: expected a file name, got an empty value');
  });

  it('stdin is "(stdin)"; control characters are escaped; a long path keeps its last 117 characters', () => {
    expect(shownPath('-')).toBe('(stdin)');
    expect(shownPath('a\u001b[2Jb.json')).not.toMatch(/\u001b/);
    const long = `/${'d'.repeat(200)}/config.json`;
    const shown = shownPath(long);
    expect(shown).toBe(`...${long.slice(-117)}`);
    expect(shown).toHaveLength(120);
    const fits = `/${'d'.repeat(107)}/config.json`; // 120 characters: shown whole
    expect(fits).toHaveLength(120);
    expect(shownPath(fits)).toBe(fits);
    expect(shownPath(`d${fits}`)).toBe(`...${fits.slice(-117)}`);
  });
});

describe('compiled presets (dist/presets.json)', () => {
  it('round-trip: the compiled data gives back the same presets, in order', () => {
    const set = loadPresets();
    const compiled = compilePresets(set);
    expect(compiled.compiledPresetsFormat).toBe(COMPILED_PRESETS_FORMAT);
    expect(compiled.gpus.map((g) => g.name)).toEqual([...set.gpus.keys()]);
    const back = presetsFromCompiled(JSON.parse(JSON.stringify(compiled)));
    expect(back?.gpus.get('h100')).toEqual(set.gpus.get('h100'));
    expect([...(back?.models.keys() ?? [])]).toEqual([...set.models.keys()]);
    expect([...(back?.clusters.keys() ?? [])]).toEqual([...set.clusters.keys()]);
    expect(back?.defaults).toEqual(set.defaults);
  });

  it.each([
    ['null', null],
    ['a number', 1],
    ['another format', { compiledPresetsFormat: 2, gpus: [], models: [], clusters: [], defaults: {} }],
    ['no gpus', { compiledPresetsFormat: 1, models: [], clusters: [], defaults: {} }],
    ['no models', { compiledPresetsFormat: 1, gpus: [], clusters: [], defaults: {} }],
    ['no clusters', { compiledPresetsFormat: 1, gpus: [], models: [], defaults: {} }],
    ['no defaults', { compiledPresetsFormat: 1, gpus: [], models: [], clusters: [] }],
  ])('%s is not compiled presets', (_, value) => {
    expect(presetsFromCompiled(value)).toBeUndefined();
  });
});
