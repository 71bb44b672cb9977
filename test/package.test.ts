import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('supply chain (issue 6)', () => {
  it('the package runs no install scripts', () => {
    const scripts = (read('package.json')['scripts'] ?? {}) as Record<string, string>;
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare']) expect(scripts[hook], hook).toBeUndefined();
  });

  it('has no runtime dependency at all: the CLI and the library are bundled (issue 14)', () => {
    expect(read('package.json')['dependencies'] ?? {}).toEqual({});
    const lock = read('package-lock.json') as { packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean }> };
    const runtime = Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.dev !== true && p.devOptional !== true);
    expect(runtime.map(([path]) => path)).toEqual([]);
  });
});
