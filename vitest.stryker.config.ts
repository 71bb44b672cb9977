import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant of src/core or src/presets: everything that imports
 * the source in process. test/cli/* is left out: it spawns the built CLI (dist/), which never
 * contains the mutants.
 */
export default defineConfig({
  test: {
    include: [
      'test/core/**/*.test.ts',
      'test/presets/**/*.test.ts',
      'test/format/**/*.test.ts',
      'test/throughput/**/*.test.ts',
      'test/validation/**/*.test.ts',
    ],
    testTimeout: 30_000,
  },
});
