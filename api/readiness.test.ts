import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../db/client';
import { freePort } from '../scripts/lib/ports';
import { createTestApi } from '../test/support/api';
import { createTestDatabase, withDatabase } from '../test/support/database';

/**
 * Issue 15: GET /api/ready answers without signing in, so when a dependency is down it names
 * which one with a code, never the database's text (host and port), Temporal's address or a
 * storage path.
 */
describe('readiness when every dependency is down', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('answers codes only', async () => {
    const database = await createTestDatabase();
    closers.push(database.drop);
    const deadPort = await freePort();
    const deadUrl = withDatabase(
      inject('adminDatabaseUrl').replace(/:\d+\//, `:${deadPort}/`),
      'studio_nowhere',
    );
    const deadDb = createDb(deadUrl, { max: 1 });
    closers.push(() => deadDb.$disconnect());
    // A file where the store's folder should be: every write under it fails with its path.
    const blocked = join(inject('testWorkDir'), `not-a-folder-${deadPort}`);
    await writeFile(blocked, 'x');
    const temporalPort = await freePort();
    const api = await createTestApi(deadDb, deadUrl, {
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      STORAGE_DIR: join(blocked, 'storage'),
    });
    closers.push(api.close);

    const response = await api.app.request('/api/ready');
    expect(response.status).toBe(503);
    const text = await response.text();
    const body = JSON.parse(text) as {
      status: string;
      checks: Record<string, { ok: boolean; error?: string }>;
    };
    expect(body.status).toBe('not_ready');
    for (const name of ['database', 'temporal', 'storage']) {
      expect(body.checks[name]?.ok).toBe(false);
      expect(body.checks[name]?.error).toMatch(/^[A-Z_]+$/);
    }
    for (const leak of [String(deadPort), String(temporalPort), blocked, '127.0.0.1', 'ENOTDIR']) {
      expect(text).not.toContain(leak);
    }
  });
});
