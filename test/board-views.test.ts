import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../core/session';
import { startSession, waitForState } from '../workflows/client';
import * as messages from '../workflows/messages';
import { createRealActivities } from './support/activities';
import { createUser } from './support/api';
import { createTestDatabase } from './support/database';
import { createFakeGeneration } from './support/fake-activities';
import { saveHistories } from './support/histories';
import { sessionInput, startTestWorker } from './support/worker';

/**
 * A session started from mood-board images on a real Temporal server: the copies take their
 * places, and the images made for it are the views they lack, never a second of a view it has.
 * Generation is fake (no media); the copies are real files in real storage. With
 * RECORD_HISTORIES the session's history is saved for test/replay.test.ts.
 */
describe('a session from mood-board images', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let real: Awaited<ReturnType<typeof createRealActivities>>;
  let userId: string;
  const started: Array<{ test: string; sessionId: string }> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    userId = (await createUser(database.db, 'board@example.com', 'password-123')).id;
    real = await createRealActivities(database.db);
    worker = await startTestWorker({ ...real.activities, ...createFakeGeneration() });
  });
  afterAll(async () => {
    await saveHistories(worker.client, 'board', started);
    await worker.stop();
    await database.drop();
  });

  const settled = (stage: SessionState['stage']) => (s: SessionState) =>
    s.stage === stage || s.stage === 'failed';

  it('makes the views its copies lack, then goes on to the ad', async () => {
    // A first session: front, side, back and top; the front and the top are approved and join
    // the mood board (fake generation writes no files, so they are given real pixels).
    const first = sessionInput(userId, worker.renderTaskQueue);
    const firstHandle = await startSession(worker.client, worker.taskQueue, first);
    const made = await waitForState(firstHandle, settled('awaiting_image_approval'));
    const [front, , , top] = made.images;
    expect([front!.view, top!.view]).toEqual(['front', 'top']);
    for (const image of [front!, top!]) {
      const png = join(real.root, `${image.id}.png`);
      await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#1f8a8a' } })
        .png()
        .toFile(png);
      await real.storage.putFile(image.storageKey!, png, 'image/png');
    }
    await firstHandle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: [front!.id, top!.id], videoPrompt: 'slow zoom' }],
    });
    await waitForState(firstHandle, settled('awaiting_clip_approval'));

    // The new session starts from those two: it makes a side and a back view, not a second top.
    const input = sessionInput(userId, worker.renderTaskQueue, {
      moodBoardImageIds: [front!.id, top!.id],
    });
    started.push({ test: 'a session from mood-board images', sessionId: input.sessionId });
    const handle = await startSession(worker.client, worker.taskQueue, input);
    const ready = await waitForState(handle, settled('awaiting_image_approval'));
    expect(ready.lastError).toBeUndefined();
    expect(ready.images.map((i) => [i.provider, i.view])).toEqual([
      ['mood-board', 'front'],
      ['mood-board', 'top'],
      ['fake', 'side'],
      ['fake', 'back'],
    ]);
    expect(new Set(ready.images.map((i) => i.view)).size).toBe(4);

    // And on to the ad, so the history covers the whole session.
    const [copy, , side] = ready.images;
    await handle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: [copy!.id, side!.id], videoPrompt: 'bright and quick' }],
    });
    const clips = await waitForState(handle, settled('awaiting_clip_approval'));
    await handle.executeUpdate(messages.actionUpdates.approveClips, {
      args: [{ clipIds: clips.clips.map((c) => c.id) }],
    });
    await waitForState(handle, settled('awaiting_composition'));
    await handle.executeUpdate(messages.actionUpdates.compose, {
      args: [
        {
          productName: 'Teal mug',
          callToAction: 'Pour one',
          colors: { primary: '#000000', accent: '#1f8a8a', text: '#ffffff' },
          music: { enabled: false, genre: 'upbeat' },
        },
      ],
    });
    const done = await waitForState(handle, settled('completed'));
    expect(done.lastError).toBeUndefined();
    expect(done.final?.status).toBe('ready');
  });
});
