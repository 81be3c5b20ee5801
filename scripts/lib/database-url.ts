import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadOrCreateSecrets } from './secrets';
import type { StackConfig } from './stack-config';

/**
 * The database the operator commands use: DATABASE_URL when set, else the embedded stack's
 * (`npm start`), whose password is kept in the data folder.
 */
export function operatorDatabaseUrl(config: StackConfig, root: string): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const dataDir = resolve(root, config.DATA_DIR);
  if (!existsSync(join(dataDir, 'secrets.json'))) {
    throw new Error(`No studio data in ${dataDir}. Start it with npm start, or set DATABASE_URL.`);
  }
  const { postgresPassword } = loadOrCreateSecrets(dataDir);
  return `postgresql://studio:${encodeURIComponent(postgresPassword)}@127.0.0.1:${config.PG_PORT}/studio`;
}
