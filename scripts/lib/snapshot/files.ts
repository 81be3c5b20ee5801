import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ParkedSession } from './park';

/**
 * A data snapshot on disk, as committed under test/snapshots/<release>/:
 * - manifest.json: the release, who owns the sessions, and each parked session;
 * - database.sql.gz: the database as SQL (scripts/lib/snapshot/database.ts);
 * - temporal.db.gz: the Temporal dev server's SQLite file, histories and all;
 * - storage/: the fs store's files (sessions/<id>/..., uploads/...), as the release wrote them.
 * The histories of its sessions go to test/histories/release-<short>-<name>.json, where the
 * replay and patch tests read them.
 */
export interface SnapshotManifest {
  release: string;
  subject: string;
  madeAt: string;
  madeBy: string;
  user: { email: string; password: string };
  sessions: Array<ParkedSession & { histories: string[] }>;
  storage: { files: number; bytes: number };
}

export const SNAPSHOTS_DIR = join(import.meta.dirname, '..', '..', '..', 'test', 'snapshots');
export const HISTORIES_DIR = join(import.meta.dirname, '..', '..', '..', 'test', 'histories');

export async function writeSnapshot(
  dir: string,
  parts: {
    manifest: Omit<SnapshotManifest, 'storage'>;
    databaseSql: string;
    temporalDb: string;
    storageDir: string;
  },
) {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'database.sql.gz'), gzipSync(parts.databaseSql, { level: 9 }));
  await writeFile(
    join(dir, 'temporal.db.gz'),
    gzipSync(await readFile(parts.temporalDb), { level: 9 }),
  );
  // The store's own files only: its write probe and partial uploads are not data.
  await cp(parts.storageDir, join(dir, 'storage'), {
    recursive: true,
    filter: (source) =>
      !relative(parts.storageDir, source)
        .split('/')
        .some((p) => p.startsWith('.')),
  });
  const files = await listFiles(join(dir, 'storage'));
  const bytes = (
    await Promise.all(files.map(async (f) => (await stat(join(dir, 'storage', f))).size))
  ).reduce((a, b) => a + b, 0);
  const manifest: SnapshotManifest = { ...parts.manifest, storage: { files: files.length, bytes } };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export async function readSnapshot(dir: string) {
  const manifest = JSON.parse(
    await readFile(join(dir, 'manifest.json'), 'utf8'),
  ) as SnapshotManifest;
  return {
    dir,
    manifest,
    databaseSql: async () =>
      gunzipSync(await readFile(join(dir, 'database.sql.gz'))).toString('utf8'),
    /** Writes the Temporal database to `file`, for a dev server to open. */
    temporalDbTo: async (file: string) =>
      writeFile(file, gunzipSync(await readFile(join(dir, 'temporal.db.gz')))),
    /** Copies the stored files into an fs store's folder. */
    storageTo: async (storageDir: string) =>
      cp(join(dir, 'storage'), storageDir, { recursive: true }),
  };
}

/** Every committed snapshot, oldest release first (by the time it was made). */
export async function listSnapshots(dir = SNAPSHOTS_DIR) {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const snapshots = await Promise.all(
    entries.filter((e) => e.isDirectory()).map((e) => readSnapshot(join(dir, e.name))),
  );
  return snapshots.sort((a, b) => a.manifest.madeAt.localeCompare(b.manifest.madeAt));
}

export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? listFiles(join(dir, e.name), `${prefix}${e.name}/`)
        : Promise.resolve([`${prefix}${e.name}`]),
    ),
  );
  return nested.flat().sort();
}

export async function sha256Of(file: string) {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}
