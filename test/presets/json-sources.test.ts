// JSON reading of user files and the order of user preset directories, in process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePresets } from '../../src/presets/compiled.js';
import { parseJsonData } from '../../src/presets/json-data.js';
import { loadPresets } from '../../src/presets/load.js';
import { presetSources, readCompiledPresets, userConfigPresetsDir } from '../../src/presets/sources.js';

describe('parseJsonData', () => {
  it('empty or blank text, with or without a byte-order mark', () => {
    for (const text of ['', '   \n', '\uFEFF', '\uFEFF  ']) expect(parseJsonData(text)).toEqual({ ok: false, error: 'empty file, expected a JSON object' });
    expect(parseJsonData('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('control characters in strings and keys, however deep, are escaped visibly; other values are untouched', () => {
    const doc = parseJsonData('{"label": "a\\u001b[2Jb", "n": 5, "list": ["x\\u0007", 1, null], "deep": {"k\\u001bey": {"v": "\\u009b"}}, "plain": {"key": true}}');
    expect(doc).toEqual({ ok: true, value: { label: 'a\\x1b[2Jb', n: 5, list: ['x\\x07', 1, null], deep: { 'k\\x1bey': { v: '\\x9b' } }, plain: { key: true } } });
    // An object whose keys are all safe keeps them as they are, only some unsafe: each key checked.
    expect(parseJsonData('{"ok": 1, "b\\u001bad": 2}')).toEqual({ ok: true, value: { ok: 1, 'b\\x1bad': 2 } });
  });

  it('keys that could reach a prototype are refused, naming the first', () => {
    expect(parseJsonData('{"a": {"__proto__": {"x": 1}}}')).toEqual({ ok: false, error: 'key "__proto__" is not allowed' });
    expect(parseJsonData('{"constructor": 1, "prototype": 2}')).toEqual({ ok: false, error: 'key "constructor" is not allowed' });
  });

  it('invalid JSON: the parser\'s reason on one line', () => {
    const r = parseJsonData('{"a":\n\n  }');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/^not valid JSON \(.+\)$/);
      expect(r.error).not.toMatch(/\n|\s\s/);
    }
  });
});

describe('user preset directories', () => {
  it('the per-user directory: $XDG_CONFIG_HOME (absolute only), else HOME, else USERPROFILE', () => {
    expect(userConfigPresetsDir({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe(join('/x', 'llmcost', 'presets'));
    expect(userConfigPresetsDir({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe(join('/h', '.config', 'llmcost', 'presets'));
    expect(userConfigPresetsDir({ USERPROFILE: 'C:/u' })).toBe(join('C:/u', '.config', 'llmcost', 'presets'));
    expect(userConfigPresetsDir({ HOME: '', USERPROFILE: 'C:/u' })).toBe(join('C:/u', '.config', 'llmcost', 'presets'));
    expect(userConfigPresetsDir({})).toBeUndefined();
  });

  it('lowest precedence first: the user directory, LLMCOST_PRESETS in order, --presets-dir in order; each once, at its last place', () => {
    const exists = () => true;
    const sources = presetSources({ env: { HOME: '/h', LLMCOST_PRESETS: ['/a', '', '  ', '/b'].join(delimiter) }, flagDirs: ['/c', '/a'] }, exists);
    expect(sources).toEqual([
      { dir: join('/h', '.config', 'llmcost', 'presets'), origin: `user config ${join('/h', '.config', 'llmcost', 'presets')}` },
      { dir: '/b', origin: 'LLMCOST_PRESETS /b' },
      { dir: '/c', origin: '--presets-dir /c' },
      { dir: '/a', origin: '--presets-dir /a' },
    ]);
    // A missing user directory is skipped silently; a missing explicit one is an error, its name cut at 80 characters.
    expect(presetSources({ env: { HOME: '/h' } }, () => false)).toEqual([]);
    const long = `/${'d'.repeat(100)}`;
    expect(() => presetSources({ env: { LLMCOST_PRESETS: long } }, () => false)).toThrow(`LLMCOST_PRESETS: no directory "${long.slice(0, 77)}..."`);
    const eighty = `/${'d'.repeat(79)}`;
    expect(() => presetSources({ env: {}, flagDirs: [eighty] }, () => false)).toThrow(`--presets-dir: no directory "${eighty}"`);
    expect(() => presetSources({ env: {}, flagDirs: [' '] }, exists)).toThrow('--presets-dir: expected a directory, got an empty value');
  });
});

describe('compiled presets on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-compiled-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a compiled file of this version is read; a missing, broken or other-version one is not', () => {
    const path = join(dir, 'presets.json');
    writeFileSync(path, JSON.stringify(compilePresets(loadPresets())));
    expect(readCompiledPresets(path)?.gpus.get('h100')?.memoryGb.value).toBe(80);
    expect(readCompiledPresets(join(dir, 'missing.json'))).toBeUndefined();
    writeFileSync(join(dir, 'broken.json'), '{"compiledPresetsFormat": 1,');
    expect(readCompiledPresets(join(dir, 'broken.json'))).toBeUndefined();
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ compiledPresetsFormat: 0 }));
    expect(readCompiledPresets(join(dir, 'old.json'))).toBeUndefined();
  });
});
