import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The default output, then one line with the number of skipped tests and the reason for each.
    reporters: ['default', './test/support/skip-reporter.ts'],
  },
});
