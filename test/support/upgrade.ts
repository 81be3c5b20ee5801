import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { SessionState } from '../../core/session';
import { createDb } from '../../db/client';
import { restoreDatabase } from '../../scripts/lib/snapshot/database';
import { sha256Of, type readSnapshot } from '../../scripts/lib/snapshot/files';
import { freePort } from '../../scripts/lib/ports';
import { startTemporalDevServer } from '../../scripts/lib/temporal-server';
import { withDatabase } from './database';
import { temporalCli } from './temporal-cli';

type Snapshot = Awaited<ReturnType<typeof readSnapshot>>;

/**
 * A release's data snapshot put back as that release left it, in fresh services: a new database
 * in the run's PostgreSQL loaded from its SQL, a Temporal dev server of its own on the snapshot's
 * SQLite file (started by the same code as `npm start`'s), and its files in an fs store.
 */
export async function restoreSnapshot(snapshot: Snapshot) {
  const scratch = await mkdtemp(join(inject('testWorkDir'), 'upgrade-'));
  await chmod(scratch, 0o755);
  const stops: Array<() => Promise<unknown>> = [];
  const adminUrl = inject('adminDatabaseUrl');
  const name = `studio_upgrade_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  stops.push(async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });
  const databaseUrl = withDatabase(adminUrl, name);
  await restoreDatabase(databaseUrl, await snapshot.databaseSql());

  const temporalDb = join(scratch, 'temporal.db');
  await snapshot.temporalDbTo(temporalDb);
  const temporalPort = await freePort();
  const temporal = await startTemporalDevServer({
    cli: temporalCli(),
    port: temporalPort,
    uiPort: await freePort(),
    dbFile: temporalDb,
    namespace: 'default',
    quiet: true,
  });
  stops.push(() => temporal.stop());

  const storageDir = join(scratch, 'storage');
  await snapshot.storageTo(storageDir);
  const workDir = join(scratch, 'work');
  await mkdir(workDir);
  const db = createDb(databaseUrl, { max: 4 });
  stops.push(() => db.$disconnect());
  return {
    databaseUrl,
    db,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    storageDir,
    workDir,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** What a session had made before the upgrade: its ready assets' files, hashed, and its ledger. */
export async function madeBefore(
  db: ReturnType<typeof createDb>,
  storageDir: string,
  sessionId: string,
) {
  const assets = await db.asset.findMany({
    where: { sessionId, status: 'ready', storageKey: { not: null } },
  });
  const files = new Map<string, string>();
  for (const asset of assets) {
    files.set(asset.id, await sha256Of(join(storageDir, asset.storageKey!)));
  }
  const ledger = await db.generationCost.findMany({ where: { sessionId } });
  return { files, ledgerIds: new Set(ledger.map((c) => c.id)) };
}

export type SessionView = SessionState & { urls?: Record<string, string> };
