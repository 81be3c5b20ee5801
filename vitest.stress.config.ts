import { defineConfig } from 'vitest/config';

/** `npm run stress` only: sessions replayed after a run on a starved machine (minutes). */
export default defineConfig({
  test: {
    include: ['test/stress/**/*.stress.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
  },
});
