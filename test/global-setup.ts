import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../db/embedded';
import { migrate } from '../db/migrate';
import { freePort } from '../scripts/lib/ports';
import { startTemporalDevServer } from '../scripts/lib/temporal-server';
import { buildWebIfStale } from '../scripts/lib/web-build';
import { workflowsPath } from '../worker/workers';
import { TEMPLATE_DATABASE, withDatabase } from './support/database';
import { temporalCli } from './support/temporal-cli';

/**
 * Real services for the whole run, on loopback: one PostgreSQL (TEST_DATABASE_URL or an embedded
 * one in a temp folder) holding a migrated template database that each test file clones, one
 * Temporal dev server (in memory), and the workflow bundle, built once.
 */
export default async function setup(project: TestProject) {
  const workDir = await mkdtemp(join(tmpdir(), 'studio-test-'));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter this folder.
  await chmod(workDir, 0o755);
  const stops: Array<() => Promise<void>> = [];

  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const postgres = await startEmbeddedPostgres({
      dataDir: join(workDir, 'postgres'),
      port: await freePort(),
      user: 'studio',
      password: 'test-only-password',
      database: 'postgres',
    });
    adminUrl = postgres.url;
    stops.push(() => postgres.stop());
    // As root with a private TMPDIR the cluster lives in a stand-in folder; it is this run's alone.
    if (!postgres.dataDir.startsWith(workDir)) {
      stops.push(() => rm(postgres.dataDir, { recursive: true, force: true }));
    }
  }
  const templateUrl = withDatabase(adminUrl, TEMPLATE_DATABASE);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  await migrate(templateUrl);

  const temporalPort = await freePort();
  const temporal = await startTemporalDevServer({
    cli: temporalCli(),
    port: temporalPort,
    uiPort: await freePort(),
    namespace: 'default',
    quiet: true,
  });
  stops.push(() => temporal.stop());

  // Built once here: the browser suites each start a stack, and two builds at once would clash.
  buildWebIfStale(join(import.meta.dirname, '..'), (line) => console.log(`[test] ${line}`));

  const bundle = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  const bundlePath = join(workDir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('temporalAddress', `127.0.0.1:${temporalPort}`);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('testWorkDir', workDir);

  return async () => {
    for (const stop of stops.reverse()) await stop();
    await rm(workDir, { recursive: true, force: true });
  };
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
    testWorkDir: string;
  }
}
