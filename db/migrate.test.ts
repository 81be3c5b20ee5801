import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmptyDatabase } from '../test/support/database';
import { MIGRATIONS_DIR, listMigrations, migrate } from './migrate';

describe('migrate', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function emptyDatabase() {
    const database = await createEmptyDatabase();
    cleanups.push(database.drop);
    return database.url;
  }

  async function tables(url: string) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    await client.end();
    return rows.map((r) => r.table_name);
  }

  it('applies every migration once, then skips them', async () => {
    const url = await emptyDatabase();
    const all = (await listMigrations()).map((m) => m.name);
    expect(all[0]).toBe('20261121000000_init');
    const first = await migrate(url);
    expect(first.applied).toEqual(all);
    expect(await tables(url)).toEqual(
      expect.arrayContaining([
        'users',
        'sessions',
        'assets',
        'generation_costs',
        'mood_board_items',
      ]),
    );
    const second = await migrate(url);
    expect(second).toEqual({ applied: [], skipped: all });
  });

  it('lets concurrent starters migrate without racing', async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    // Each migration is applied by exactly one of the starters.
    expect(results.flatMap((r) => r.applied).sort()).toEqual(
      (await listMigrations()).map((m) => m.name),
    );
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const url = await emptyDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(url, dir);
    await writeFile(join(dir, '20261121000000_init', 'migration.sql'), 'SELECT 1;');
    await expect(migrate(url, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls back a failing migration and names it', async () => {
    const url = await emptyDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const broken = join(dir, '20990101000000_broken');
    await cp(join(dir, '20261121000000_init'), broken, { recursive: true });
    await writeFile(
      join(broken, 'migration.sql'),
      'CREATE TABLE half_done (id int); SELECT nonsense;',
    );
    await expect(migrate(url, dir)).rejects.toThrow(/Migration 20990101000000_broken failed/);
    expect(await tables(url)).not.toContain('half_done');
    expect(await tables(url)).toContain('users');
  });
});
