import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { chalkStyle } from '../../src/format/style.js';

describe('chalkStyle', () => {
  it('each function styles exactly its one string, also when handed map\'s (value, index, array)', () => {
    const style = chalkStyle(new Chalk({ level: 1 }));
    // chalk's own functions are variadic: new Chalk().bold('a', 0, ['a']) is 'a 0 a' in bold.
    expect(['a', 'b'].map(style.bold)).toEqual(['\u001b[1ma\u001b[22m', '\u001b[1mb\u001b[22m']);
    for (const fn of [style.bold, style.dim, style.yellow, style.green]) {
      expect(['line', 'next'].map(fn).map((s) => s.replace(/\u001b\[[0-9;]*m/g, ''))).toEqual(['line', 'next']);
    }
  });
});
