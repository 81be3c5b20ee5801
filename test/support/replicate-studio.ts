import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { startFakeReplicate } from '../../scripts/replicate-fake/server';
import { startSession } from '../../workflows/client';
import type { SessionWorkflowInput } from '../../workflows/session';
import { createTestApi, createUser } from './api';
import { createTestDatabase } from './database';
import { TEST_OPTIONS } from './worker';

const root = resolve(import.meta.dirname, '../..');

/**
 * The replicate path end to end on real parts: the local Replicate server, a fresh database, the
 * API over HTTP (it receives the fake's signed webhooks), and the real worker as a child process
 * (so a test can SIGKILL it), all on the run's Temporal server.
 */
export async function startReplicateStudio() {
  const fake = await startFakeReplicate();
  const database = await createTestDatabase();
  const user = await createUser(database.db, `${randomUUID()}@replicate.test`, 'password-123');
  const taskQueue = `replicate-${randomUUID()}`;
  const renderTaskQueue = `${taskQueue}-render`;
  const api = await createTestApi(database.db, database.url, {
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_RENDER_TASK_QUEUE: renderTaskQueue,
    REPLICATE_WEBHOOK_SECRET: fake.webhookSecret,
  });
  const server = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((ok) => server.once('listening', ok));
  const apiOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const workDir = await mkdtemp(join(inject('testWorkDir'), 'replicate-worker-'));

  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_RENDER_TASK_QUEUE: renderTaskQueue,
    STORAGE_DRIVER: 'fs',
    STORAGE_DIR: api.storageDir,
    WORK_DIR: workDir,
    REPLICATE_API_TOKEN: fake.token,
    REPLICATE_BASE_URL: fake.baseUrl,
    REPLICATE_WEBHOOK_URL: `${apiOrigin}/api/webhooks/replicate`,
    REPLICATE_POLL_MIN_MS: '100',
    REPLICATE_POLL_MAX_MS: '300',
    REPLICATE_MAX_THROTTLE_MS: '20000',
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    LOG_LEVEL: 'error',
  };
  let worker: ChildProcess | undefined;
  const startWorker = async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-process.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((ready, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) ready();
      });
      child.once('exit', (code) => fail(new Error(`the worker exited with ${code}`)));
    });
    worker = child;
    return child;
  };
  await startWorker();

  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection });

  const stopWorker = async (signal: NodeJS.Signals) => {
    const child = worker;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    await exited;
  };

  return {
    fake,
    db: database.db,
    api,
    apiOrigin,
    user,
    client,
    taskQueue,
    startWorker,
    /** SIGKILL: no shutdown, no cleanup, as when a machine dies. */
    killWorker: () => stopWorker('SIGKILL'),
    start(overrides: Partial<SessionWorkflowInput> = {}) {
      return startSession(client, taskQueue, {
        sessionId: `session-${randomUUID()}`,
        userId: user.id,
        title: 'Pink tennis shoes',
        productPrompt: 'pink tennis shoes',
        options: { ...TEST_OPTIONS, provider: 'replicate', budgetUsd: 20 },
        idleTimeoutMs: 10 * 60_000,
        renderTaskQueue,
        retry: { initialIntervalMs: 100, maximumAttempts: 6, heartbeatTimeoutMs: 8000 },
        ...overrides,
      });
    },
    async close() {
      await stopWorker('SIGTERM');
      await connection.close();
      await new Promise((done) => server.close(done));
      await api.close();
      await fake.close();
      await database.drop();
    },
  };
}
