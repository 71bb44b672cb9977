// "Did you mean": the Levenshtein distance (Wagner and Fischer 1974) and the closest names it picks.
import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from '../../src/presets/suggest.js';

describe('editDistance (insertions, deletions and substitutions, each 1)', () => {
  it.each([
    ['kitten', 'sitting', 3], // the textbook example: k->s, e->i, +g
    ['sitting', 'kitten', 3],
    ['flaw', 'lawn', 2],
    ['gumbo', 'gambol', 2],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['', '', 0],
    ['h100', 'h100', 0],
    ['h100', 'h200', 1],
    ['ab', 'ba', 2],
  ] as const)('%s -> %s: %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('closestNames', () => {
  it('substring matches first, each group by distance, ties by name; at most three unless told', () => {
    expect(closestNames('gpu', ['gpu-price', 'gpus', 'tdp', 'pue'])).toEqual(['gpus', 'gpu-price', 'pue']);
    expect(closestNames('h10', ['h100', 'h200', 'a100'])).toEqual(['h100', 'a100', 'h200']);
    expect(closestNames('h1000', ['h100', 'h200', 'a100', 'v100'], 2)).toEqual(['h100', 'a100']);
    // A longer name that contains the preset name is a match too.
    expect(closestNames('llama-405b-instruct', ['llama-70b', 'llama-405b', 'gpt-3'])[0]).toBe('llama-405b');
  });

  it('ignores case both ways, and keeps the names as written', () => {
    expect(closestNames('H100', ['MI300X', 'H100-PCIe', 'b200'])).toEqual(['H100-PCIe', 'b200', 'MI300X']);
  });

  it('compares only the first 200 characters of what was typed (an echo limit; a 10,000-character name costs no quadratic wait)', () => {
    const typed = `${'a'.repeat(200)}${'b'.repeat(10)}`;
    const exact = 'a'.repeat(200);
    const longer = `${typed}q`;
    // Cut to 200, the typed name is exactly the first; whole, it is one letter from the second.
    expect(closestNames(typed, [longer, exact])).toEqual([exact, longer]);
  });
});
