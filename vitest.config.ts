import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Web modules under test reach core/ by the UI's alias (web/vite.config.ts).
  resolve: {
    alias: [{ find: /^#core\//, replacement: fileURLToPath(new URL('./core/', import.meta.url)) }],
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.tools/**', 'data/**', 'web/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
