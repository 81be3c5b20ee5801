import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * `npm run fuzz`: schemathesis sends generated requests to every route of the API's OpenAPI
 * document on a test stack (real PostgreSQL and Temporal, a worker with media-free generation)
 * and fails on any 5xx or any answer that shows internals. See test/fuzz/api.fuzz.ts.
 */
const root = resolve(import.meta.dirname, '..');
const result = spawnSync(
  join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '--config', 'vitest.fuzz.config.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
