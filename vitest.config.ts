import { defineConfig } from 'vitest/config';

// chDB binds one data directory per process, so each test file runs in its own forked process.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['collector/src/**/*.test.ts', 'sdk/src/**/*.test.ts', 'ui/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
