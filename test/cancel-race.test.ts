// First: the API's routes extend zod with OpenAPI before the action schemas are built.
import { createUser } from './support/api';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities } from '../activities';
import type { SessionState } from '../core/session';
import { waitForState } from '../workflows/client';
import * as messages from '../workflows/messages';
import type { sessionWorkflow } from '../workflows/session';
import { HEARTBEAT_TUNING } from '../worker/workers';
import { createRealActivities } from './support/activities';
import { createTestDatabase } from './support/database';
import { createFakeGeneration } from './support/fake-activities';
import { saveHistories } from './support/histories';
import { sessionInput } from './support/worker';

/**
 * A cancel that reaches the workflow in the same workflow task as the result of the running
 * step's last activity: the signal is handled first (the session says `cancelled`), then the step
 * carries on from that result. The session must stay cancelled.
 *
 * Made deterministic by stopping the workflow worker while the render's last write runs: the
 * cancel is sent and the write completes while nothing polls workflow tasks, so the next worker
 * receives both in one task.
 */
describe('a cancel that arrives with a step’s last result', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let userId: string;
  let connection: NativeConnection;
  let client: Client;
  const taskQueue = `cancel-race-${randomUUID()}`;
  const renderTaskQueue = `${taskQueue}-render`;
  let activities: Partial<Activities>;
  let workflows: { worker: Worker; running: Promise<void> } | undefined;
  const others: Array<{ worker: Worker; running: Promise<void> }> = [];
  const started: Array<{ test: string; sessionId: string }> = [];
  /** Set by the test: what the render's last write does before it returns. */
  let beforeFinalWrite: ((sessionId: string) => Promise<void>) | undefined;

  async function run(options: Parameters<typeof Worker.create>[0]) {
    const worker = await Worker.create({ connection, ...HEARTBEAT_TUNING, ...options });
    return { worker, running: worker.run() };
  }
  /** The session workflows' worker: it runs their local activities, no other activity. */
  const startWorkflowWorker = async () => {
    workflows = await run({
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities,
      enableNonLocalActivities: false,
    });
  };
  const stopWorkflowWorker = async () => {
    workflows!.worker.shutdown();
    await workflows!.running;
  };

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    database = await createTestDatabase();
    userId = (await createUser(database.db, 'cancel-race@example.com', 'password-123')).id;
    const real = await createRealActivities(database.db);
    const { renderVideo, ...studio } = { ...real.activities, ...createFakeGeneration() };
    activities = {
      ...studio,
      async recordResult(input) {
        if (input.assets.some((a) => a.type === 'final')) await beforeFinalWrite?.(input.sessionId);
        return real.activities.recordResult(input);
      },
    };
    connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    others.push(await run({ taskQueue, activities }));
    others.push(await run({ taskQueue: renderTaskQueue, activities: { renderVideo } }));
    await startWorkflowWorker();
    client = new Client({
      connection: await Connection.connect({ address: inject('temporalAddress') }),
    });
  });
  afterAll(async () => {
    await saveHistories(client, 'overload', started);
    for (const { worker } of [...others, ...(workflows ? [workflows] : [])]) worker.shutdown();
    await Promise.all([...others, ...(workflows ? [workflows] : [])].map((w) => w.running));
    await client.connection.close();
    await connection.close();
    await database.drop();
  });

  it('a cancel with the render’s last result leaves the session cancelled', async () => {
    const input = sessionInput(userId, renderTaskQueue);
    started.push({ test: 'a cancel with the render’s last result', sessionId: input.sessionId });
    const handle = await client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
      taskQueue,
      workflowId: input.sessionId,
      args: [input],
    });
    const waitFor = (stage: SessionState['stage']) =>
      waitForState(handle, (s) => s.stage === stage || s.stage === 'failed');
    const images = await waitFor('awaiting_image_approval');
    await handle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: [images.images[0]!.id, images.images[1]!.id], videoPrompt: 'slow zoom' }],
    });
    const clips = await waitFor('awaiting_clip_approval');
    await handle.executeUpdate(messages.actionUpdates.approveClips, {
      args: [{ clipIds: [clips.clips[0]!.id] }],
    });

    // While the render's last write runs, nothing takes workflow tasks; the person cancels.
    beforeFinalWrite = async (sessionId) => {
      beforeFinalWrite = undefined;
      await stopWorkflowWorker();
      await client.workflow
        .getHandle(sessionId)
        .signal(messages.cancelSignal, { reason: 'cancelled by the user' });
    };
    await handle.executeUpdate(messages.actionUpdates.compose, {
      args: [
        {
          productName: 'Aero',
          callToAction: 'Shop now',
          colors: { primary: '#000000', accent: '#ff0000', text: '#ffffff' },
          music: { enabled: false, genre: 'upbeat' },
        },
      ],
    });
    // The write has finished when its completion is in the history: then both wait in one task.
    for (;;) {
      const { events } = await handle.fetchHistory();
      const signalled = events!.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
      if (
        signalled >= 0 &&
        events!.slice(signalled).some((e) => e.activityTaskCompletedEventAttributes)
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await startWorkflowWorker();

    const final = await handle.result();
    expect(final.stage).toBe('cancelled');
  });
});
