// First: the API's routes extend zod with OpenAPI before the action schemas are built.
import { createUser } from './support/api';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities } from '../activities';
import { recordsTaskQueue } from '../core/queues';
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
 * A cancel that reaches the workflow while the render's last row write runs. Runs from before the
 * operators' patch wrote rows as activities: a cancel handled in the same workflow task as that
 * write's result came first, then the step carried on from the result and finished the session
 * (issue 19). `test/histories/overload-a-cancel-with-the-render-s-last-result.json` is that race,
 * recorded; its replay (test/replay.test.ts) fails without the fix in `moveTo`.
 *
 * New runs write rows as local activities. Here the write outlives the workflow task (its timeout
 * is short), the person cancels while it runs, and the write gives its result only once a later
 * workflow task has delivered the cancel: the session must end cancelled, not completed.
 */
describe('a cancel that arrives during a step’s last write', () => {
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
  const TASK_TIMEOUT_MS = 1000;

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
    others.push(await run({ taskQueue: recordsTaskQueue(taskQueue), activities }));
    others.push(await run({ taskQueue: renderTaskQueue, activities: { renderVideo } }));
    await startWorkflowWorker();
    client = new Client({
      connection: await Connection.connect({ address: inject('temporalAddress') }),
    });
  });
  afterAll(async () => {
    await saveHistories(client, 'writes', started);
    for (const { worker } of [...others, ...(workflows ? [workflows] : [])]) worker.shutdown();
    await Promise.all([...others, ...(workflows ? [workflows] : [])].map((w) => w.running));
    await client.connection.close();
    await connection.close();
    await database.drop();
  });

  it('a cancel during the render’s last write leaves the session cancelled', async () => {
    const input = sessionInput(userId, renderTaskQueue);
    started.push({ test: 'a cancel during the render’s last write', sessionId: input.sessionId });
    const handle = await client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
      taskQueue,
      workflowId: input.sessionId,
      args: [input],
      workflowTaskTimeout: TASK_TIMEOUT_MS,
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

    // While the render's last write runs, the person cancels; the write gives its result only
    // once a later workflow task has delivered the cancel to the workflow.
    beforeFinalWrite = async (sessionId) => {
      beforeFinalWrite = undefined;
      const session = client.workflow.getHandle(sessionId);
      await session.signal(messages.cancelSignal, { reason: 'cancelled by the user' });
      for (;;) {
        const { events } = await session.fetchHistory();
        const signalled = events!.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
        if (
          signalled >= 0 &&
          events!.slice(signalled).some((e) => e.workflowTaskStartedEventAttributes)
        )
          return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
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

    const final = await handle.result();
    expect(final.stage).toBe('cancelled');
  });
});
