import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_USER } from '../../core/demo';
import { createDb } from '../../db/client';
import { startEmbeddedPostgres, type RunningPostgres } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { freePorts } from './ports';
import { startProcess, type ManagedProcess } from './processes';
import { seedDemoUser } from './seed';
import { supervise, type SupervisedProcess } from './supervise';
import { startTemporalDevServer } from './temporal-server';

/**
 * The embedded stack (PostgreSQL, Temporal's dev server with its SQLite file, workers and an API,
 * each worker and API supervised as `npm start` does) in a temp folder on free loopback ports, with
 * a handle on every part so the fault and load scripts can kill and restart them.
 */
export interface HarnessOptions {
  say: (line: string) => void;
  workers?: number;
  /** Extra environment for the workers and the API. */
  env?: Record<string, string>;
  /** Child output goes here instead of the terminal. */
  log?: (line: string) => void;
}

const root = resolve(import.meta.dirname, '..', '..');

export async function startHarness(options: HarnessOptions) {
  const scratch = await mkdtemp(join(tmpdir(), 'studio-harness-'));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter this folder.
  await chmod(scratch, 0o755);
  const stops: Array<() => Promise<void>> = [];
  try {
    return await start(options, scratch, stops);
  } catch (error) {
    // What did start is stopped: a failed start leaves no server behind.
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
}

async function start(options: HarnessOptions, scratch: string, stops: Array<() => Promise<void>>) {
  const { say } = options;
  const [pgPort, temporalPort, uiPort, apiPort] = await freePorts(4);
  const ports = { pg: pgPort!, temporal: temporalPort!, temporalUi: uiPort!, api: apiPort! };
  const pgOptions = {
    dataDir: join(scratch, 'postgres'),
    port: ports.pg,
    user: 'studio',
    password: randomBytes(12).toString('hex'),
    database: 'studio',
  };
  let postgres: RunningPostgres = await startEmbeddedPostgres(pgOptions);
  stops.push(async () => {
    await postgres.stop();
    // As root in a private TMPDIR the cluster lives in a stand-in folder; it is this run's alone.
    if (postgres.dataDir !== pgOptions.dataDir) {
      await rm(postgres.dataDir, { recursive: true, force: true });
    }
  });
  await migrate(postgres.url);
  const db = createDb(postgres.url, { max: 4 });
  await seedDemoUser(db, DEMO_USER.email, DEMO_USER.password);

  const temporalDb = join(scratch, 'temporal.db');
  const startTemporal = () =>
    startTemporalDevServer({
      cli: process.env.TEMPORAL_CLI_PATH ?? 'temporal',
      port: ports.temporal,
      uiPort: ports.temporalUi,
      dbFile: temporalDb,
      namespace: 'default',
      quiet: true,
    });
  let temporal: ManagedProcess = await startTemporal();
  stops.push(() => temporal.stop());

  const storageDir = join(scratch, 'storage');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    API_PORT: String(ports.api),
    STORAGE_DRIVER: 'fs',
    STORAGE_DIR: storageDir,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const log = options.log ?? ((line: string) => console.log(line));
  const child = (name: string, script: string, readyPattern: RegExp, extra: NodeJS.ProcessEnv) =>
    supervise({
      name,
      start: () => {
        const started = startProcess(name, process.execPath, ['--import', 'tsx', script], {
          env: { ...env, ...extra },
          cwd: root,
          quiet: true,
        });
        const forward = (chunk: Buffer) =>
          chunk
            .toString()
            .split('\n')
            .filter(Boolean)
            .forEach((line) => log(`${name.padEnd(8)}| ${line}`));
        started.child.stdout?.on('data', forward);
        started.child.stderr?.on('data', forward);
        return started;
      },
      readyPattern,
      readyTimeoutMs: 120_000,
      say,
    });

  // The session workflows run in a process of their own; `workers` run the activities.
  const workflows = child('flows', 'worker/main.ts', /polling task queues/, {
    WORKER_ROLE: 'workflows',
    WORK_DIR: join(scratch, 'work-workflows'),
    LOG_LEVEL: 'info',
  });
  const workers: SupervisedProcess[] = [];
  for (let i = 0; i < (options.workers ?? 1); i++) {
    workers.push(
      child(
        `worker${options.workers === 1 || !options.workers ? '' : i + 1}`,
        'worker/main.ts',
        /polling task queues/,
        { WORKER_ROLE: 'activities', WORK_DIR: join(scratch, `work-${i}`), LOG_LEVEL: 'info' },
      ),
    );
  }
  const api = child('api', 'api/main.ts', /listening on/, { LOG_LEVEL: 'info' });
  for (const process_ of [workflows, ...workers, api]) stops.push(() => process_.stop());
  await Promise.all([workflows, ...workers, api].map((p) => p.ready));

  return {
    scratch,
    db,
    storageDir,
    apiUrl: `http://127.0.0.1:${ports.api}/api`,
    temporalAddress: `127.0.0.1:${ports.temporal}`,
    databaseUrl: () => postgres.url,
    workflows,
    workers,
    api,
    /** Stops Temporal's dev server and starts it again on the same SQLite file and port. */
    async restartTemporal() {
      await temporal.stop();
      temporal = await startTemporal();
    },
    /** A fast shutdown of PostgreSQL (every connection drops), then a start on the same data. */
    async restartPostgres() {
      await postgres.stop();
      postgres = await startEmbeddedPostgres(pgOptions);
    },
    async stop() {
      await db.$disconnect().catch(() => undefined);
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof start>>;

/** Ctrl-C (or SIGTERM) stops what the run started instead of leaving servers behind. */
export function stopOnSignals(harness: { stop(): Promise<void> }) {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      void harness.stop().finally(() => process.exit(130));
    });
  }
}
