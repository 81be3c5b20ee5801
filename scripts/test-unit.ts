import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * `npm run test:unit`: the unit project only (vitest.config.ts), which starts no service: pure
 * code answers in seconds. `npm run test:unit -- <filters>` narrows it further.
 */
const root = resolve(import.meta.dirname, '..');
const run = spawnSync(
  join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '--project', 'unit', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(run.status ?? 1);
