// First: the API's routes extend zod with OpenAPI before the action schemas are built.
import { createTestApi, createUser, tokenFor } from '../test/support/api';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../test/support/database';

/**
 * Overload is a queue, not an error (issue 19): while no worker takes the sessions' workflow
 * tasks (every worker busy or stopped), an action cannot be taken in time. The API tries it once
 * more, then answers 503 SERVICE_UNAVAILABLE with Retry-After, never 500.
 */
describe('the API while the workflow worker is saturated', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Awaited<ReturnType<typeof createTestApi>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    // No worker serves this queue: every session's workflow task waits, as behind a full worker.
    api = await createTestApi(database.db, database.url, {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `saturated-${randomUUID()}`,
      ACTION_WAIT: '2s',
    });
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('answers actions and reads 503 with a time to retry, never 500', async () => {
    const user = await createUser(database.db, 'saturated@example.com', 'password-123');
    const token = await tokenFor(database.db, user);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await api.app.request(`/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as {
        sessionId?: string;
        error?: { code: string; message: string; details?: { retryAfterSeconds?: number } };
      };
      return { status: response.status, retryAfter: response.headers.get('retry-after'), json };
    };

    const started = await call('POST', '/sessions', {
      productPrompt: 'pink tennis shoes',
      imageCount: 4,
    });
    expect(started.status).toBe(201);
    const id = started.json.sessionId!;

    const answers = [
      await call('POST', `/sessions/${id}/images/approve`, {
        imageIds: [randomUUID(), randomUUID()],
        videoPrompt: 'a slow turn',
      }),
      await call('POST', `/sessions/${id}/images/approve`, {
        imageIds: [randomUUID(), randomUUID()],
        videoPrompt: 'a slow turn',
      }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.json.error?.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(answer.json.error?.details?.retryAfterSeconds).toBe(Number(answer.retryAfter));
      expect(answer.json.error?.message).not.toMatch(/deadline|grpc|temporal|update|127\.0\.0\.1/i);
    }
    // Nothing has written this session's state yet and its workflow cannot answer: a read is a
    // 503 with a time to retry too, never a 500.
    const read = await call('GET', `/sessions/${id}`);
    expect(read.status).toBe(503);
    expect(Number(read.retryAfter)).toBeGreaterThan(0);
  });
});
