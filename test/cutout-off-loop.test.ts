import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../activities';
import type { CutoutInput } from '../activities/inputs';
import { saliencyModelsInstalled } from '../activities/segmentation/model';
import { stopSegmentationWorker } from '../activities/segmentation/runner';
import type { SessionState } from '../core/session';
import { uploadKey } from '../storage';
import { startSession, waitForState } from '../workflows/client';
import { createRealActivities } from './support/activities';
import { createUser } from './support/api';
import { createTestDatabase } from './support/database';
import { createFakeGeneration } from './support/fake-activities';
import { requiredInCi } from './support/required';
import { TEST_OPTIONS, sessionInput, startTestWorker } from './support/worker';

/**
 * One worker process, two sessions: session A's product photo is 8000 x 8000 pixels (a PNG of a
 * few hundred kilobytes, 64 megapixels once decoded), session B has no photo. The cutout decodes,
 * segments and judges the photo in the segmentation worker thread, so while it runs, the same
 * worker keeps serving B's workflow tasks and activities: B reaches its plan review before A's
 * cutout finishes. (With the cutout on the event loop, B waited for the whole cutout.) The flat
 * grey photo is then refused in plain words, with the stable code.
 */
const models = requiredInCi(
  'The cutout models (.tools/models)',
  saliencyModelsInstalled() ? 'installed' : undefined,
);

describe.skipIf(!models)('a large photo is cut out off the event loop', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let real: Awaited<ReturnType<typeof createRealActivities>>;
  let userId: string;
  /** What happened, in the order the worker saw it. */
  const events: string[] = [];
  let cutoutStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (cutoutStarted = resolve));

  beforeAll(async () => {
    database = await createTestDatabase();
    userId = (await createUser(database.db, 'large@example.com', 'password-123')).id;
    real = await createRealActivities(database.db);
    const activities: Activities = {
      ...real.activities,
      ...createFakeGeneration(),
      async cutoutProductPhoto(input: CutoutInput) {
        events.push('A: cutout started');
        cutoutStarted();
        try {
          return await real.activities.cutoutProductPhoto(input);
        } finally {
          events.push('A: cutout finished');
        }
      },
    };
    worker = await startTestWorker(activities);
  });
  afterAll(async () => {
    await worker.stop();
    await stopSegmentationWorker();
    await database.drop();
  });

  const settled = (handle: WorkflowHandle, done: (s: SessionState) => boolean) =>
    waitForState(handle, (s) => done(s) || s.stage === 'failed', { timeoutMs: 240_000 });

  it(
    'serves another session while it cuts out, then refuses the flat photo at the review',
    { timeout: 300_000 },
    async () => {
      const path = join(real.root, 'large.png');
      await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#8a8a8a' } })
        .png({ compressionLevel: 9 })
        .toFile(path);
      const photoKey = uploadKey(userId, randomUUID(), 'png');
      await real.storage.putFile(photoKey, path, 'image/png');

      const review = { ...TEST_OPTIONS, reviewPlan: true };
      const a = sessionInput(userId, worker.renderTaskQueue, {
        productPhotoKey: photoKey,
        options: review,
      });
      const handleA = await startSession(worker.client, worker.taskQueue, a);
      await started;

      const b = sessionInput(userId, worker.renderTaskQueue, { options: review });
      const handleB = await startSession(worker.client, worker.taskQueue, b);
      const reviewB = await settled(handleB, (s) => s.stage === 'awaiting_plan_approval');
      events.push('B: plan review reached');
      expect(reviewB.stage).toBe('awaiting_plan_approval');

      // A refused photo waits at the review, its cutout failed with the verdict, for a fix.
      const refusedA = await settled(handleA, (s) => s.productCutout?.status === 'failed');
      expect(events).toEqual(['A: cutout started', 'B: plan review reached', 'A: cutout finished']);
      expect(refusedA.stage).toBe('awaiting_plan_approval');
      expect(refusedA.productCutout).toMatchObject({
        errorCode: 'PRODUCT_UNCLEAR',
        cutoutQuality: { verdict: 'refused' },
        error: expect.stringMatching(/^Nothing in this photo stands out as a product\./) as unknown,
      });
    },
  );
});
