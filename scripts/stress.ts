import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * `npm run stress`: sessions on a machine whose cores are all taken, each replayed from its
 * history at the end (test/stress/replay-under-load.stress.ts). Minutes, so kept out of `npm test`.
 */
const root = resolve(import.meta.dirname, '..');
const result = spawnSync(
  join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '--config', 'vitest.stress.config.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
