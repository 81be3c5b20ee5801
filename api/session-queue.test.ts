import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/support/database';
import { createTestApi, createUser, tokenFor } from '../test/support/api';
import { sessionIdFor } from './session-start';
import { lazyTemporalClient } from './temporal';

/**
 * Issue 19: overload is a queue, not an error. GET /api/sessions/{id}/queue tells the owner of a
 * session whose work waits for a worker slot its place in line and a likely wait, from the other
 * sessions' rows and the measured job durations; a start beyond MAX_QUEUED_SESSIONS is refused
 * with 503 STUDIO_BUSY, a time to try again, and nothing started.
 */
describe('the line for worker slots', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Awaited<ReturnType<typeof createTestApi>>;
  let owner: Awaited<ReturnType<typeof createUser>>;
  let token: string;
  let otherToken: string;
  const ids = {
    served: `session-${randomUUID()}`,
    first: `session-${randomUUID()}`,
    second: `session-${randomUUID()}`,
    paid: `session-${randomUUID()}`,
    rendering: `session-${randomUUID()}`,
    person: `session-${randomUUID()}`,
  };
  const IMAGE_MS = 30_000;
  const base = Date.now() - 600_000;

  const session = (
    id: string,
    userId: string,
    stage: string,
    at: number,
    progress: { done: number; total: number },
    provider = 'local',
  ) =>
    database.db.session.create({
      data: {
        id,
        userId,
        title: 'Shoes',
        stage,
        productPrompt: 'pink tennis shoes',
        budgetUsd: 5,
        options: { provider, aspectRatio: '16:9', imageCount: 4 },
        state: { progress: { ...progress, fraction: 0 } },
        createdAt: new Date(at),
        updatedAt: new Date(at),
      },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createTestApi(database.db, database.url, {
      ACTIVITY_CONCURRENCY: '2',
      RENDER_CONCURRENCY: '1',
    });
    owner = await createUser(database.db, 'waiting@example.com', 'password-123');
    token = await tokenFor(database.db, owner);
    const other = await createUser(database.db, 'served@example.com', 'password-123');
    otherToken = await tokenFor(database.db, other);
    // Another user's session being served: one of its four images done, three to go.
    await session(ids.served, other.id, 'generating_images', base, { done: 1, total: 4 });
    await session(ids.first, owner.id, 'generating_images', base + 10_000, { done: 0, total: 4 });
    await session(ids.second, owner.id, 'generating_images', base + 20_000, { done: 0, total: 4 });
    // Not in the same line: another provider's queue, another stage, a person's step.
    await session(
      ids.paid,
      other.id,
      'generating_images',
      base - 5_000,
      { done: 0, total: 8 },
      'replicate',
    );
    await session(ids.rendering, other.id, 'rendering', base - 5_000, { done: 0, total: 1 });
    await session(ids.person, owner.id, 'awaiting_image_approval', base, { done: 0, total: 0 });
    // Measured local 16:9 images of a finished session: 30 s each.
    await database.db.asset.createMany({
      data: Array.from({ length: 3 }, () => ({
        id: randomUUID(),
        sessionId: ids.person,
        type: 'image',
        status: 'ready',
        provider: 'local',
        width: 1920,
        height: 1080,
        generationMs: IMAGE_MS,
      })),
    });
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  const get = (id: string, as = token) =>
    api.app.request(`/api/sessions/${id}/queue`, { headers: { authorization: `Bearer ${as}` } });

  it('gives a waiting session its place and a wait from the jobs ahead and the slots', async () => {
    // Ahead of `first`: the served session's 3 images; 2 slots, so 2 of them finish first: 1 round.
    const first = await get(ids.first);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      stage: 'generating_images',
      queued: true,
      ahead: 1,
      waitMs: IMAGE_MS,
    });
    // Ahead of `second`: 3 + 4 images; 6 must finish, 2 at a time: 3 rounds.
    expect(await (await get(ids.second)).json()).toEqual({
      stage: 'generating_images',
      queued: true,
      ahead: 2,
      waitMs: 3 * IMAGE_MS,
    });
  });

  it('is not queued once served, or while it waits for a person', async () => {
    expect(await (await get(ids.served, otherToken)).json()).toMatchObject({ queued: false });
    expect(await (await get(ids.person)).json()).toMatchObject({
      stage: 'awaiting_image_approval',
      queued: false,
      ahead: 0,
    });
  });

  it("answers 404 for another user's session and 401 without signing in", async () => {
    const theirs = await get(ids.served);
    expect(theirs.status).toBe(404);
    expect(((await theirs.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await api.app.request(`/api/sessions/${ids.first}/queue`)).status).toBe(401);
  });

  it('refuses a start politely beyond MAX_QUEUED_SESSIONS, starting and charging nothing', async () => {
    const busy = await createTestApi(database.db, database.url, { MAX_QUEUED_SESSIONS: '3' });
    try {
      const key = randomUUID();
      const answer = await busy.app.request('/api/sessions', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify({ productPrompt: 'blue rain boots', imageCount: 4 }),
      });
      expect(answer.status).toBe(503);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      const { error } = (await answer.json()) as {
        error: { code: string; message: string; details: { ahead: number } };
      };
      expect(error.code).toBe('STUDIO_BUSY');
      // Five sessions in machine stages (the served, two waiting, the paid one, the render).
      expect(error.message).toMatch(
        /^The studio is busy: 5 sessions are ahead\. Try again in about \d+ minutes?\.$/,
      );
      expect(await database.db.session.count({ where: { userId: owner.id } })).toBe(3);
      expect(await database.db.generationCost.count()).toBe(0);
      // No run under the id the start would have used.
      const temporal = lazyTemporalClient({
        address: busy.config.TEMPORAL_ADDRESS,
        namespace: busy.config.TEMPORAL_NAMESPACE,
      });
      try {
        const client = await temporal.get();
        await expect(
          client.workflow.getHandle(sessionIdFor(owner.id, key)).describe(),
        ).rejects.toBeInstanceOf(WorkflowNotFoundError);
      } finally {
        await temporal.close();
      }
    } finally {
      await busy.close();
    }
  });
});
