import { chmod, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { Hono } from 'hono';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../core/log';
import { createDb } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { migrate } from '../db/migrate';
import { freePort } from '../scripts/lib/ports';
import { createTestApi, createUser, tokenFor } from '../test/support/api';
import { createTestDatabase } from '../test/support/database';
import { createErrorHandler } from './errors';

/**
 * When PostgreSQL or Temporal is down the API stays up and says so: 503 SERVICE_UNAVAILABLE, and
 * it serves again once they are back. Dropped connections are replaced without a restart. How
 * fast the refusal comes is a figure, not an assertion: `npm run bench:unavailable`.
 */

type Api = Awaited<ReturnType<typeof createTestApi>>;

async function answer(api: Api, token: string, method: string, path: string) {
  const response = await api.app.request(`/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { error?: { code: string; message: string } };
  return { status: response.status, body };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the API when a service is down', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  async function sessionOf(db: ReturnType<typeof createDb>, email: string) {
    const user = await createUser(db, email, 'password-123');
    await db.session.create({
      data: {
        id: `session-${user.id}`,
        userId: user.id,
        title: 'Shoes',
        stage: 'awaiting_image_approval',
        productPrompt: 'shoes',
        budgetUsd: 5,
      },
    });
    return { token: await tokenFor(db, user), sessionId: `session-${user.id}` };
  }

  it('answers 503 when Temporal cannot be reached', async () => {
    const database = await createTestDatabase();
    closers.push(database.drop);
    const api = await createTestApi(database.db, database.url, {
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    });
    closers.push(api.close);
    const { token, sessionId } = await sessionOf(database.db, 'temporal-down@example.com');

    const cancel = await answer(api, token, 'POST', `/sessions/${sessionId}/cancel`);
    expect(cancel.status).toBe(503);
    expect(cancel.body.error?.code).toBe('SERVICE_UNAVAILABLE');
    expect(cancel.body.error?.message).not.toMatch(/127\.0\.0\.1|deadline|grpc/i);
    // What needs only the database still works.
    expect((await answer(api, token, 'GET', '/sessions')).status).toBe(200);
  });

  it('answers 503 while PostgreSQL is stopped and serves again once it is back', async () => {
    const scratch = await mkdtemp(join(inject('testWorkDir'), 'pg-down-'));
    // As root, PostgreSQL runs as the postgres user, which must be able to enter this folder
    // (else its data would go to a stand-in under /var/lib/ad-studio and outlive the test).
    await chmod(scratch, 0o755);
    const dataDir = join(scratch, 'postgres');
    const port = await freePort();
    const start = () =>
      startEmbeddedPostgres({
        dataDir,
        port,
        user: 'studio',
        password: 'test-only-password',
        database: 'studio',
      });
    let postgres = await start();
    closers.push(() => postgres.stop());
    await migrate(postgres.url);
    const db = createDb(postgres.url, { max: 2 });
    closers.push(() => db.$disconnect());
    const api = await createTestApi(db, postgres.url);
    closers.push(api.close);
    const { token } = await sessionOf(db, 'db-down@example.com');
    expect((await answer(api, token, 'GET', '/sessions')).status).toBe(200);

    await postgres.stop();
    const down = await answer(api, token, 'GET', '/sessions');
    expect(down.status).toBe(503);
    expect(down.body.error?.code).toBe('SERVICE_UNAVAILABLE');

    postgres = await start();
    const back = await until(
      () => answer(api, token, 'GET', '/sessions'),
      (r) => r.status !== 503,
      'the API to reconnect',
    );
    expect(back.status).toBe(200);
  });

  it("keeps serving after PostgreSQL terminates the API's connections", async () => {
    const database = await createTestDatabase();
    closers.push(database.drop);
    const api = await createTestApi(database.db, database.url);
    closers.push(api.close);
    const { token } = await sessionOf(database.db, 'dropped@example.com');
    expect((await answer(api, token, 'GET', '/sessions')).status).toBe(200);

    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    await admin.end();
    expect(rowCount).toBeGreaterThanOrEqual(1);

    // A request racing the drop may see 503; nothing else, and soon a 200.
    const statuses: number[] = [];
    await until(
      async () => {
        const { status } = await answer(api, token, 'GET', '/sessions');
        statuses.push(status);
        return status;
      },
      (status) => status === 200,
      'a 200 after the drop',
    );
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  });

  it('answers 503, not 500, for a query PostgreSQL cut off (57P01, as when it is killed)', async () => {
    const database = await createTestDatabase();
    closers.push(database.drop);
    // A request whose query is under way when PostgreSQL ends its connection.
    const app = new Hono()
      .get('/slow', async (c) => c.json(await database.db.$queryRaw`SELECT pg_sleep(30) AS slept`))
      .onError(createErrorHandler(createLogger('api-test', 'error')));
    const answer = app.request('/slow');
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await until(
      async () =>
        (
          await admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = current_database() AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()`,
          )
        ).rowCount,
      (terminated) => terminated === 1,
      'the slow query to start',
    );
    await admin.end();
    const response = await answer;
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
  });
});
