import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, DefaultLogger } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities } from '../../activities';
import { HEARTBEAT_TUNING } from '../../worker/workers';
import type { SessionOptions } from '../../core/session';
import type { SessionWorkflowInput } from '../../workflows/session';
import { clipFinishingTaskQueue, providerTaskQueue, recordsTaskQueue } from '../../core/queues';

let runtimeReady = false;

/**
 * Workers for one test file on the run's Temporal server, on task queues of their own, with the
 * prebuilt workflow bundle. Returns a client and a `stop()`.
 */
export async function startTestWorker(
  activities: Partial<Activities>,
  options: {
    serveReplicateQueue?: boolean;
    taskQueue?: string;
    /** E.g. `maxCachedWorkflows: 0`: every workflow task replays the run from its history. */
    workflowWorker?: { maxCachedWorkflows?: number };
  } = {},
) {
  if (!runtimeReady) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeReady = true;
  }
  const address = inject('temporalAddress');
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const renderTaskQueue = `${taskQueue}-render`;
  const connection = await NativeConnection.connect({ address });
  // The render queue serves the render and the preview stills (activities/index.ts); the
  // workflow's queue (and a provider's) everything else.
  const { renderVideo, renderPreview, ...studio } = activities;
  const renderQueue = Object.fromEntries(
    Object.entries({ renderVideo, renderPreview }).filter(([, activity]) => activity),
  );
  const queues = { main: studio, render: renderQueue };
  const main = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: queues.main,
    ...HEARTBEAT_TUNING,
    ...options.workflowWorker,
  });
  const render = await Worker.create({
    connection,
    taskQueue: renderTaskQueue,
    activities: queues.render,
    ...HEARTBEAT_TUNING,
  });
  // The same activities also serve the replicate provider's queue, as a worker with a token would
  // (tests that need the real Replicate provider start their own worker on it instead).
  const paid = options.serveReplicateQueue
    ? await Worker.create({
        connection,
        taskQueue: providerTaskQueue(taskQueue, 'replicate'),
        activities: queues.main,
        ...HEARTBEAT_TUNING,
      })
    : undefined;
  // The row writes' queue, served as the workflows' process serves it.
  const records = await Worker.create({
    connection,
    taskQueue: recordsTaskQueue(taskQueue),
    activities: queues.main,
  });
  // Models' clips are finished on a queue of their own, as an activities process serves it.
  const finishing = await Worker.create({
    connection,
    taskQueue: clipFinishingTaskQueue(taskQueue),
    activities: queues.main,
    ...HEARTBEAT_TUNING,
  });
  const workers = [main, render, records, finishing, ...(paid ? [paid] : [])];
  const running = Promise.all(workers.map((w) => w.run()));
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection });
  return {
    client,
    taskQueue,
    renderTaskQueue,
    async stop() {
      for (const worker of workers) worker.shutdown();
      await running;
      await clientConnection.close();
      await connection.close();
    },
  };
}

export const TEST_OPTIONS: SessionOptions = {
  imageCount: 4,
  aspectRatio: '16:9',
  budgetUsd: 10,
  tier: 'standard',
  provider: 'local',
};

export function sessionInput(
  userId: string,
  renderTaskQueue: string,
  overrides: Partial<SessionWorkflowInput> = {},
): SessionWorkflowInput {
  return {
    sessionId: `session-${randomUUID()}`,
    userId,
    title: 'Pink tennis shoes',
    productPrompt: 'pink tennis shoes',
    options: TEST_OPTIONS,
    idleTimeoutMs: 10 * 60_000,
    renderTaskQueue,
    retry: { initialIntervalMs: 50, maximumAttempts: 2 },
    ...overrides,
  };
}
