import { ConfigError, parseEnv, postgresUrl } from '../core/env';
import { migrate } from '../db/migrate';
import { z } from 'zod';

/** `npm run migrate` (and the compose `migrate` service): apply pending SQL migrations. */
try {
  const { DATABASE_URL } = parseEnv(z.object({ DATABASE_URL: postgresUrl }));
  const result = await migrate(DATABASE_URL);
  console.log(
    result.applied.length
      ? `applied: ${result.applied.join(', ')}`
      : `up to date (${result.skipped.length} migrations)`,
  );
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
}
