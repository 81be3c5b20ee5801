import { setTimeout as delay } from 'node:timers/promises';
// First: the API's routes extend zod with OpenAPI before the action schemas are built.
import { createUser } from './support/api';
import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities } from '../activities';
import type { SessionState } from '../core/session';
import { waitForState } from '../workflows/client';
import * as messages from '../workflows/messages';
import type { sessionWorkflow } from '../workflows/session';
import { createRealActivities } from './support/activities';
import { createTestDatabase } from './support/database';
import { createFakeGeneration } from './support/fake-activities';
import { saveHistories } from './support/histories';
import { sessionInput, startTestWorker } from './support/worker';

/**
 * Issue 19's nondeterminism: a session whose last row write (a local activity) outlived 80% of
 * its workflow task timeout, as a loaded database or a starved event loop makes it. The SDK then
 * closes that workflow task and finishes the run in the next one, so the finish (and its
 * `completed-sessions-close` marker) lands one task later than the render's result. A worker
 * that keeps no run in its cache replays the whole history for every task and every query, the
 * way a worker does after an eviction: the finished run must still answer its `state` query and
 * its history must replay.
 */
const TASK_TIMEOUT_MS = 1000;
/** Longer than the SDK's workflow task heartbeat (80% of the task timeout), with room to spare. */
const SLOW_WRITE_MS = 2 * TASK_TIMEOUT_MS;

describe('a worker without a workflow cache', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let userId: string;
  const started: Array<{ test: string; sessionId: string }> = [];
  const acted = new Set<string>();
  const actions: Array<Promise<unknown>> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    userId = (await createUser(database.db, 'uncached@example.com', 'password-123')).id;
    const real = await createRealActivities(database.db);
    const activities: Partial<Activities> = {
      ...real.activities,
      ...createFakeGeneration(),
      // The write that follows the finished render is slow, like a loaded database's.
      async syncSession(state: SessionState) {
        if (state.stage === 'completed') {
          // The person acts while the first of them runs.
          if (!state.exports?.length && !acted.has(state.sessionId)) {
            acted.add(state.sessionId);
            actions.push(
              worker.client.workflow
                .getHandle(state.sessionId)
                .executeUpdate(messages.actionUpdates.exportAspect, {
                  args: [{ aspectRatio: '9:16' }],
                }),
            );
          }
          await delay(SLOW_WRITE_MS);
        }
        await real.activities.syncSession(state);
      },
    };
    worker = await startTestWorker(activities, { workflowWorker: { maxCachedWorkflows: 0 } });
  });
  afterAll(async () => {
    await saveHistories(worker.client, 'writes', started);
    // The export the person asked for may still be running, its writes slow too: it is ended
    // here so that it is not left open in the Temporal that every other test file shares.
    await Promise.all(
      started.map(({ sessionId }) =>
        worker.client.workflow
          .getHandle(sessionId)
          .terminate('the test is over')
          .catch(() => undefined),
      ),
    );
    await worker.stop();
    await database.drop();
  });

  async function start(test: string) {
    const input = sessionInput(userId, worker.renderTaskQueue);
    started.push({ test, sessionId: input.sessionId });
    return worker.client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
      taskQueue: worker.taskQueue,
      workflowId: input.sessionId,
      args: [input],
      workflowTaskTimeout: TASK_TIMEOUT_MS,
    });
  }

  const waitFor = (handle: WorkflowHandle, stage: SessionState['stage']) =>
    waitForState(handle, (s) => s.stage === stage || s.stage === 'failed');

  it('a session whose last write is slow finishes, answers queries and replays', async () => {
    const handle = await start('a session whose last write is slow');
    const images = await waitFor(handle, 'awaiting_image_approval');
    await handle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: [images.images[0]!.id, images.images[1]!.id], videoPrompt: 'slow zoom' }],
    });
    const clips = await waitFor(handle, 'awaiting_clip_approval');
    await handle.executeUpdate(messages.actionUpdates.approveClips, {
      args: [{ clipIds: [clips.clips[0]!.id] }],
    });
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
    await handle.result();
    await Promise.all(actions);

    // Every query on the closed run replays its whole history on this worker.
    const finished = await handle.query(messages.stateQuery);
    expect(finished.stage).toBe('completed');
    expect(finished.final).toMatchObject({ status: 'ready' });

    const history = await handle.fetchHistory();
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') } },
        history,
        handle.workflowId,
      ),
    ).resolves.toBeUndefined();
  });
});
