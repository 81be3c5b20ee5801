import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/log';
import { freePort } from '../scripts/lib/ports';
import type { ManagedProcess } from '../scripts/lib/processes';
import { startTemporalDevServer } from '../scripts/lib/temporal-server';
import { createTestApi, createUser, tokenFor } from '../test/support/api';
import { createTestDatabase } from '../test/support/database';
import { temporalCli } from '../test/support/temporal-cli';
import { lazyTemporalClient } from './temporal';
import { sessionIdFor, sessionStarter } from './session-start';

/**
 * A Temporal that stops answering (SIGSTOP: its port still accepts connections) must not hang
 * the API: every call has a deadline, and a person gets a 503 while Temporal is frozen, not
 * minutes later. A session start is idempotent: the client's key names the session, an error
 * answer means nothing was started, and sending the request again reaches one session.
 *
 * The answers below are awaited while Temporal is still frozen: without a deadline they never
 * come, and the test fails on its timeout.
 */
describe('the API when Temporal is frozen', () => {
  let temporal: ManagedProcess;
  let address: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Awaited<ReturnType<typeof createTestApi>>;
  let client: Client;
  const taskQueue = `frozen-${randomUUID()}`;
  const closers: Array<() => Promise<unknown>> = [];

  const signal = (name: 'SIGSTOP' | 'SIGCONT') => process.kill(-temporal.child.pid!, name);

  beforeAll(async () => {
    const port = await freePort();
    temporal = await startTemporalDevServer({
      cli: temporalCli(),
      port,
      uiPort: await freePort(),
      namespace: 'default',
      quiet: true,
    });
    address = `127.0.0.1:${port}`;
    closers.push(() => temporal.stop());
    database = await createTestDatabase();
    closers.push(database.drop);
    // No worker serves this queue: runs wait for one, which is all a start needs.
    api = await createTestApi(database.db, database.url, {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
    closers.push(api.close);
    const connection = await Connection.connect({ address });
    closers.push(() => connection.close());
    client = new Client({ connection });
  });
  afterAll(async () => {
    signal('SIGCONT');
    for (const close of closers.reverse()) await close();
  });

  async function person(email: string) {
    const user = await createUser(database.db, email, 'password-123');
    const token = await tokenFor(database.db, user);
    const call = async (method: string, path: string, body?: unknown, key?: string) => {
      const response = await api.app.request(`/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as {
        sessionId?: string;
        error?: { code: string; message: string };
      };
      return { status: response.status, json };
    };
    const start = (key?: string) =>
      call('POST', '/sessions', { productPrompt: 'pink tennis shoes', imageCount: 4 }, key);
    /** Tried again while Temporal wakes up, as a person would. */
    const startOnceTemporalAnswers = async (key: string) => {
      for (let i = 0; ; i++) {
        const answer = await start(key);
        if (answer.status !== 503 || i > 20) return answer;
      }
    };
    return { user, call, start, startOnceTemporalAnswers };
  }

  /** Every run ever made under a workflow id, by status. */
  async function runsOf(id: string) {
    const statuses: string[] = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${id}'` })) {
      statuses.push(run.status.name);
    }
    return statuses.sort();
  }

  it('answers actions with 503 while Temporal is frozen, and serves again once it resumes', async () => {
    const { call, start } = await person('frozen-actions@example.com');
    const started = await start(randomUUID());
    expect(started.status).toBe(201);
    const id = started.json.sessionId!;

    signal('SIGSTOP');
    const cancel = await call('POST', `/sessions/${id}/cancel`);
    const approve = await call('POST', `/sessions/${id}/images/approve`, {
      imageIds: [randomUUID(), randomUUID()],
      videoPrompt: 'a slow turn',
    });
    signal('SIGCONT');

    for (const answer of [cancel, approve]) {
      expect(answer.status).toBe(503);
      expect(answer.json.error?.code).toBe('SERVICE_UNAVAILABLE');
      expect(answer.json.error?.message).not.toMatch(/deadline|grpc|temporal|127\.0\.0\.1/i);
    }
    let again = await call('POST', `/sessions/${id}/cancel`);
    while (again.status === 503) again = await call('POST', `/sessions/${id}/cancel`);
    expect(again.status).toBe(202);
  });

  it('answers a start with 503 while frozen; the same key then starts exactly one session', async () => {
    const { user, start, startOnceTemporalAnswers, call } = await person(
      'frozen-start@example.com',
    );
    const key = randomUUID();
    const id = sessionIdFor(user.id, key);

    signal('SIGSTOP');
    const failed = await start(key);
    signal('SIGCONT');
    expect(failed.status).toBe(503);
    expect(failed.json.error?.code).toBe('SERVICE_UNAVAILABLE');
    expect(failed.json.error?.message).toMatch(/nothing was started/);

    const retried = await startOnceTemporalAnswers(key);
    expect(retried.status).toBe(201);
    expect(retried.json.sessionId).toBe(id);
    const again = await start(key);
    expect(again.status).toBe(201);
    expect(again.json.sessionId).toBe(id);

    const list = await call('GET', '/sessions');
    expect((list.json as { sessions: Array<{ id: string }> }).sessions.map((s) => s.id)).toEqual([
      id,
    ]);
    // One run goes on; any run the frozen attempt made was ended by the retry.
    const runs = await runsOf(id);
    expect(runs.filter((status) => status === 'RUNNING')).toHaveLength(1);
    expect(runs.filter((status) => status !== 'RUNNING' && status !== 'TERMINATED')).toEqual([]);
  });

  it('refuses a key that cannot be one, naming it', async () => {
    const { start } = await person('bad-key@example.com');
    const answer = await start('no spaces or slashes/here');
    expect(answer.status).toBe(400);
    expect(answer.json.error?.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(answer.json.error)).toMatch(/idempotency-key/i);
  });

  it('leaves nothing started when a failed start is not tried again', async () => {
    const user = await createUser(database.db, 'frozen-gives-up@example.com', 'password-123');
    const temporalClient = lazyTemporalClient({ address, namespace: 'default' });
    closers.push(temporalClient.close);
    const starter = sessionStarter({
      config: api.config,
      db: database.db,
      storage: api.storage,
      temporal: temporalClient.get,
      log: createLogger('api-test', 'error'),
    });
    // A connection that has already spoken to Temporal: the frozen server still accepts it.
    await temporalClient.get();
    const id = sessionIdFor(user.id, randomUUID());
    const options = {
      imageCount: 4,
      aspectRatio: '16:9' as const,
      budgetUsd: 5,
      tier: 'standard' as const,
      provider: 'local' as const,
    };

    signal('SIGSTOP');
    const outcome = await starter
      .start({
        taskQueue,
        input: {
          sessionId: id,
          userId: user.id,
          title: 'Shoes',
          productPrompt: 'shoes',
          options,
          renderTaskQueue: `${taskQueue}-render`,
        },
        row: {
          userId: user.id,
          title: 'Shoes',
          stage: 'planning_images',
          productPrompt: 'shoes',
          options,
          budgetUsd: 5,
        },
      })
      .then(
        () => 'started',
        (error: unknown) => (error as { code?: string }).code,
      );
    expect(await database.db.session.count({ where: { id } })).toBe(0);
    signal('SIGCONT');
    expect(outcome).toBe('SERVICE_UNAVAILABLE');

    // The undo carries on once Temporal answers, and has the last word.
    await starter.idle();
    expect(await database.db.session.count({ where: { id } })).toBe(0);
    expect((await runsOf(id)).filter((status) => status === 'RUNNING')).toEqual([]);
  });
});
