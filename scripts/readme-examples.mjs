#!/usr/bin/env node
// Refreshes the output under every "$ llmcost ..." line of README.md's ```console blocks by running
// the built CLI (NO_COLOR). `--check` exits 1 when the README is stale (the test suite uses it).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const readmePath = `${root}README.md`;
const bin = `${root}dist/llmcost.cjs`;

/** Splits a shell-like command line on spaces, honouring double quotes. */
function argv(line) {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/** Returns README text with each console block's output regenerated. */
export function refresh(text) {
  return text.replace(/```console\n\$ llmcost ([^\n]*)\n[\s\S]*?```/g, (_, command) => {
    const run = spawnSync(process.execPath, [bin, ...argv(command)], {
      cwd: root,
      encoding: 'utf8',
      // No user presets (~/.config/llmcost/presets) in the README's output.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', XDG_CONFIG_HOME: '/nonexistent/llmcost-readme' },
    });
    const out = `${run.stdout}${run.stderr}`.replace(/\n+$/, '');
    return `\`\`\`console\n$ llmcost ${command}\n${out}\n\`\`\``;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(readmePath, 'utf8');
  const fresh = refresh(text);
  if (process.argv.includes('--check')) {
    process.exitCode = fresh === text ? 0 : 1;
    if (fresh !== text) process.stderr.write('README.md examples are stale: run `npm run readme`\n');
  } else {
    writeFileSync(readmePath, fresh);
    process.stdout.write('README.md examples refreshed\n');
  }
}
