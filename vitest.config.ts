import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Two projects. `unit`: pure code and its tests, which start nothing (no database, no Temporal,
 * no FFmpeg or browser) and answer in seconds: `npm run test:unit`. `integration`: everything
 * else, on the real services the global setup starts once per run. `npm test` runs both.
 */
const UNIT = [
  'api/openapi.test.ts',
  'core/**/*.test.ts',
  'graphics/**/*.test.ts',
  'workflows/**/*.test.ts',
  'activities/fidelity/sampling.test.ts',
  'activities/render/args.test.ts',
  'activities/render/parts.test.ts',
  'activities/render/parts-args.test.ts',
  'activities/render/palette.test.ts',
  'activities/providers/local/planner.test.ts',
  'activities/providers/local/scene-direction.test.ts',
  'activities/providers/replicate/planner.test.ts',
  'activities/providers/replicate/replicate.test.ts',
  'storage/faults.test.ts',
  'test/config.test.ts',
  'test/session-ui.test.ts',
  'test/web-headers.test.ts',
];
const NEVER = ['node_modules/**', '.tools/**', 'data/**', 'web/**'];

export default defineConfig({
  // Web modules under test reach core/ by the UI's alias (web/vite.config.ts).
  resolve: {
    alias: [{ find: /^#core\//, replacement: fileURLToPath(new URL('./core/', import.meta.url)) }],
  },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT, exclude: NEVER, testTimeout: 10_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/*.test.ts'],
          exclude: [...NEVER, ...UNIT],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['test/global-setup.ts'],
          fileParallelism: true,
        },
      },
    ],
  },
});
