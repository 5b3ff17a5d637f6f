import { defineConfig } from 'vitest/config';

// chDB binds one data directory per process, so each test file runs in its own forked process.
export default defineConfig({
  // The dashboard's .tsx compiles to Preact's automatic JSX runtime (as in ui/vite.config.ts).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    pool: 'forks',
    include: ['collector/src/**/*.test.ts', 'sdk/src/**/*.test.ts', 'bench/**/*.test.ts', 'ui/src/**/*.test.{ts,tsx}', 'ui/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
