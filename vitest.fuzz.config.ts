import { defineConfig } from 'vitest/config';

/** `npm run fuzz` only: the OpenAPI fuzzer on the test services, out of the default test run. */
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
  },
});
