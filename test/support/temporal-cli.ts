import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The CLI the bootstrap found or installed; `npx vitest` alone also finds the project's own. */
export function temporalCli() {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const local = join(import.meta.dirname, '..', '..', '.tools', 'venv', 'bin', 'temporal');
  return existsSync(local) ? local : 'temporal';
}
