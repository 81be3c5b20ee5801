import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { appendFile, chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DEMO_USER } from '../core/demo';
import { dumpDatabase } from './lib/snapshot/database';
import { HISTORIES_DIR, SNAPSHOTS_DIR, writeSnapshot } from './lib/snapshot/files';
import { parkSessions } from './lib/snapshot/park';
import { checkoutRelease, startReleaseStack } from './lib/snapshot/release';

/**
 * `npm run snapshot -- <release commit>`: the data a release leaves behind, for the upgrade test.
 * Checks the release out beside this clone, runs its own `npm start` on a scratch data folder,
 * parks sessions at every stage where its sessions wait for a person (plus a finished ad and a
 * failed step), stops it, and saves its database, Temporal's database and its stored files under
 * test/snapshots/<short commit>/, and its sessions' histories under test/histories/. A snapshot
 * is made once per release and never made again in place.
 */
const root = resolve(import.meta.dirname, '..');
const say = (line: string) => console.log(`snapshot | ${line}`);

async function main() {
  const [commit, ...rest] = process.argv.slice(2);
  if (!commit || commit.startsWith('--')) {
    throw new Error('usage: npm run snapshot -- <release commit> [--out <folder>]');
  }
  const release = await checkoutRelease(commit);
  const short = release.commit.slice(0, 7);
  const outIndex = rest.indexOf('--out');
  const out = outIndex >= 0 ? resolve(rest[outIndex + 1]!) : join(SNAPSHOTS_DIR, short);
  if (existsSync(out)) {
    await release.remove();
    throw new Error(`${relative(root, out)} exists: a snapshot is never made again in place.`);
  }
  const logFile = join(release.scratch, 'release.log');
  const log = (line: string) => void appendFile(logFile, `${line}\n`);
  say(`release ${release.commit} checked out in ${release.dir}; its output goes to ${logFile}`);
  try {
    const dataDir = join(release.scratch, 'data');
    await mkdir(dataDir, { recursive: true });
    await chmod(dataDir, 0o755);
    say('starting its stack (the first start installs its packages and builds its web UI)');
    const stack = await startReleaseStack(release.dir, dataDir, {
      temporalCli: process.env.TEMPORAL_CLI_PATH ?? 'temporal',
      log,
    });
    let stopped = false;
    try {
      const parked = await parkSessions(
        stack.apiUrl,
        stack.temporalAddress,
        join(dataDir, 'storage'),
        DEMO_USER,
        say,
      );
      const connection = await Connection.connect({ address: stack.temporalAddress });
      const client = new Client({ connection });
      await quiesce(
        client,
        parked.map((p) => p.sessionId),
      );
      const histories = await saveHistories(client, short, parked);
      await connection.close();
      const databaseSql = await dumpDatabase(
        stack.databaseUrl,
        await releaseMigrations(release.dir),
        `Ad Studio data made by release ${release.commit} (scripts/snapshot.ts)`,
      );
      say('stopping its stack');
      await stack.stop();
      stopped = true;
      const manifest = await writeSnapshot(out, {
        manifest: {
          release: release.commit,
          subject: execFileSync('git', ['-C', root, 'log', '-1', '--format=%s', release.commit], {
            encoding: 'utf8',
          }).trim(),
          madeAt: new Date().toISOString(),
          madeBy: 'scripts/snapshot.ts',
          user: DEMO_USER,
          sessions: parked.map((p) => ({ ...p, histories: histories.get(p.sessionId) ?? [] })),
        },
        databaseSql,
        temporalDb: await temporalDatabase(dataDir),
        storageDir: join(dataDir, 'storage'),
      });
      say(
        `saved ${relative(root, out)}: ${manifest.sessions.length} sessions, ${manifest.storage.files} files (${(manifest.storage.bytes / 1e6).toFixed(1)} MB)`,
      );
    } finally {
      if (!stopped) await stack.stop();
    }
  } finally {
    await release.remove();
  }
}

/** Waits until no session has an activity or a workflow task under way. */
async function quiesce(client: Client, ids: string[]) {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const busy = [];
    for (const id of ids) {
      const { raw, status } = await client.workflow.getHandle(id).describe();
      if (status.name !== 'RUNNING') continue;
      if (raw.pendingActivities?.length || raw.pendingWorkflowTask) busy.push(id);
    }
    if (!busy.length) return;
    if (Date.now() > deadline) throw new Error(`still busy: ${busy.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Every run's history of every parked session, as new files (an existing one is never touched). */
async function saveHistories(
  client: Client,
  short: string,
  parked: Array<{ name: string; sessionId: string }>,
) {
  const saved = new Map<string, string[]>();
  for (const { name, sessionId } of parked) {
    const names: string[] = [];
    let n = 0;
    for await (const run of client.workflow.list({ query: `WorkflowId = '${sessionId}'` })) {
      const history = await client.workflow.getHandle(sessionId, run.runId).fetchHistory();
      const file = `release-${short}-${name}${n++ ? `-run${n}` : ''}.json`;
      const path = join(HISTORIES_DIR, file);
      if (existsSync(path)) throw new Error(`${file} exists: histories are never recorded again.`);
      await writeFile(path, historyToJSON(history));
      names.push(file);
    }
    saved.set(sessionId, names);
  }
  return saved;
}

/** The release's migrations as it shipped them. */
async function releaseMigrations(dir: string) {
  const folder = join(dir, 'prisma', 'migrations');
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      sql: await readFile(join(folder, name, 'migration.sql'), 'utf8'),
    })),
  );
}

/**
 * The dev server's SQLite file, whole. Since fc8ca65 it keeps a write-ahead log, which a stopped
 * server may leave holding committed transactions: they are checkpointed into the file, as SQLite
 * itself would on the next open, so the one file carries everything. A rollback journal left
 * behind means a transaction was cut off: that data is not taken.
 */
async function temporalDatabase(dataDir: string) {
  const file = join(dataDir, 'temporal.db');
  if (existsSync(`${file}-wal`)) {
    const db = new DatabaseSync(file);
    try {
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  }
  for (const companion of ['-wal', '-journal']) {
    const path = `${file}${companion}`;
    if (existsSync(path) && (await readFile(path)).length > 0) {
      throw new Error(`${path} is not empty: Temporal did not stop cleanly.`);
    }
  }
  return file;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
