import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { lazyTemporalClient } from '../api/temporal';
import { ConfigError } from '../core/env';
import { createDb } from '../db/client';
import { workflowsPath } from '../worker/workers';
import { USAGE, UsageError, isFailureLine, runSessionCommand } from './lib/session-cli';
import { loadStackConfig } from './lib/stack-config';
import { operatorDatabaseUrl } from './lib/database-url';

/**
 * `npm run session -- <verb>` against the running studio: DATABASE_URL and TEMPORAL_ADDRESS when
 * set, else the embedded stack's database and Temporal dev server, as `npm start` runs them.
 */
const root = resolve(import.meta.dirname, '..');
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));

async function main() {
  if (!process.argv[2]) throw new UsageError('no verb given');
  // The replay worker's bundling and start-up chatter is not what an operator asked for.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadStackConfig();
  const databaseUrl = operatorDatabaseUrl(config, root);
  const db = createDb(databaseUrl, { max: 2 });
  const temporal = lazyTemporalClient({
    address: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  try {
    const lines = await runSessionCommand(process.argv.slice(2), {
      db,
      temporal: temporal.get,
      namespace: config.TEMPORAL_NAMESPACE,
      temporalUi: process.env.TEMPORAL_UI_URL ?? `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
      // A prebuilt bundle (the tests build one) saves the replay worker bundling the code again.
      replay: process.env.WORKFLOW_BUNDLE_PATH
        ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH } }
        : { workflowsPath },
    });
    for (const line of lines) console.log(line);
    if (lines.some(isFailureLine)) process.exitCode = 1;
  } finally {
    await Promise.allSettled([db.$disconnect(), temporal.close()]);
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else if (error instanceof ConfigError || error instanceof Error) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
