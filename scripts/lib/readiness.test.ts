import { serve } from '@hono/node-server';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../test/support/api';
import { createTestDatabase } from '../../test/support/database';
import { freePort } from './ports';
import { waitUntilReady } from './readiness';

/**
 * `npm start` says the studio is up only once the API's readiness route says ready: listening is
 * not enough (an API whose Temporal does not answer listens, and fails every session action).
 */
describe('waiting for the studio to be ready', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  async function servedApi(overrides: Record<string, string> = {}) {
    const database = await createTestDatabase();
    closers.push(database.drop);
    const api = await createTestApi(database.db, database.url, overrides);
    closers.push(api.close);
    const port = await freePort();
    const server = serve({ fetch: api.app.fetch, port, hostname: '127.0.0.1' });
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    return `http://127.0.0.1:${port}/api/ready`;
  }

  it('returns once the API is ready', async () => {
    const lines: string[] = [];
    await waitUntilReady(await servedApi(), { timeoutMs: 60_000, say: (l) => lines.push(l) });
    expect(lines).toEqual([]);
  });

  it('keeps waiting while a service the API needs does not answer, and says which', async () => {
    const lines: string[] = [];
    const url = await servedApi({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    await expect(
      waitUntilReady(url, { timeoutMs: 3000, tellAfterMs: 500, say: (l) => lines.push(l) }),
    ).rejects.toThrow(/did not get ready within 3 s \(waiting for temporal\)/);
    expect(lines).toEqual(['not ready yet (waiting for temporal)…']);
  });
});
