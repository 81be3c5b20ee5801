import { join, resolve } from 'node:path';
import { createDb } from '../../db/client';
import { startEmbeddedPostgres } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { requireFreePorts } from './ports';
import { loadOrCreateSecrets } from './secrets';
import { seedDemoUser } from './seed';
import type { StackConfig } from './stack-config';
import { superviseService } from './supervise-service';
import { startTemporalDevServer } from './temporal-server';

/** `npm start` keeps the services it runs running; the demo and scripts start them once. */
export interface ServiceOptions {
  supervise?: boolean;
}

/** The database of the stack: DATABASE_URL, else an embedded PostgreSQL under the data folder. */
export async function startDatabase(
  config: StackConfig,
  log: (line: string) => void,
  options: ServiceOptions = {},
) {
  const dataDir = resolve(config.DATA_DIR);
  const secrets = loadOrCreateSecrets(dataDir);
  let url = config.DATABASE_URL;
  let stop = () => Promise.resolve();
  let postgresDir: string | undefined;
  const embedded = !url;
  if (!url) {
    await requireFreePorts([
      { port: config.PG_PORT, variable: 'PG_PORT', what: 'embedded PostgreSQL' },
    ]);
    const started = Date.now();
    const start = () =>
      startEmbeddedPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: config.PG_PORT,
        user: 'studio',
        password: secrets.postgresPassword,
        database: 'studio',
      });
    const supervised = options.supervise
      ? await superviseService({ name: 'PostgreSQL', start, say: log })
      : undefined;
    const pg = supervised?.current() ?? (await start());
    log(
      `PostgreSQL (embedded) on 127.0.0.1:${config.PG_PORT}, ready in ${Date.now() - started} ms`,
    );
    if (pg.dataDir !== join(dataDir, 'postgres')) {
      log(
        `PostgreSQL's data is in ${pg.dataDir}: as root, its postgres user cannot enter this private folder`,
      );
    }
    postgresDir = pg.dataDir;
    url = pg.url;
    stop = () => (supervised ?? pg).stop();
  }
  const migrations = await migrate(url);
  if (migrations.applied.length) log(`applied migrations: ${migrations.applied.join(', ')}`);
  if (config.SEED_DEMO_USER ?? embedded) {
    const db = createDb(url, { max: 1 });
    try {
      await seedDemoUser(db, config.DEMO_USER_EMAIL, config.DEMO_USER_PASSWORD);
    } finally {
      await db.$disconnect();
    }
  }
  return { url, stop, secrets, embedded, postgresDir };
}

/** Temporal: TEMPORAL_ADDRESS, else the CLI's dev server with its SQLite file under data/. */
export async function startTemporal(
  config: StackConfig,
  log: (line: string) => void,
  options: ServiceOptions = {},
) {
  if (config.TEMPORAL_ADDRESS) {
    return { address: config.TEMPORAL_ADDRESS, ui: null, stop: () => Promise.resolve() };
  }
  await requireFreePorts([
    { port: config.TEMPORAL_PORT, variable: 'TEMPORAL_PORT', what: 'Temporal' },
    { port: config.TEMPORAL_UI_PORT, variable: 'TEMPORAL_UI_PORT', what: 'Temporal UI' },
  ]);
  const started = Date.now();
  const start = async () => {
    const server = await startTemporalDevServer({
      cli: config.TEMPORAL_CLI_PATH,
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: resolve(config.DATA_DIR, 'temporal.db'),
      namespace: config.TEMPORAL_NAMESPACE,
    });
    const exited = server.exited.then((code) =>
      server.child.signalCode ? `was killed (${server.child.signalCode})` : `exited (code ${code})`,
    );
    return { exited, stop: () => server.stop(), process: server };
  };
  const server = options.supervise
    ? await superviseService({ name: 'Temporal dev server', start, say: log })
    : await start();
  log(
    `Temporal dev server on 127.0.0.1:${config.TEMPORAL_PORT}, ready in ${Date.now() - started} ms`,
  );
  return {
    address: `127.0.0.1:${config.TEMPORAL_PORT}`,
    ui: `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
    stop: () => server.stop(),
  };
}
