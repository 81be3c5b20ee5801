import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CutoutInput } from '../activities/inputs';
import { saliencyModelsInstalled } from '../activities/segmentation/model';
import { stopSegmentationWorker } from '../activities/segmentation/runner';
import { EVAL_SET, photoBytes, photoPath } from '../bench/cutout-set';
import type { SessionState } from '../core/session';
import { uploadKey } from '../storage';
import { startSession, waitForState } from '../workflows/client';
import * as messages from '../workflows/messages';
import { createRealActivities, instrument } from './support/activities';
import { createUser } from './support/api';
import { createTestDatabase } from './support/database';
import { createFakeGeneration } from './support/fake-activities';
import { saveHistories } from './support/histories';
import { requiredConditionInCi } from './support/required';
import { TEST_OPTIONS, sessionInput, startTestWorker } from './support/worker';

/**
 * Fixing a product cutout without starting over, on a real Temporal server with the real local
 * cutout (U²-Net in its worker thread) on a real photograph: the rocket on its pad, which the
 * quality gate refuses. At the plan review the refusal waits there, with its verdict, until the
 * person draws a box around the rocket; without a review the step fails, a plain retry is
 * refused, and a transparent PNG of the product brings the session back to the review. The plan
 * is paid for once either way. Images, clips and music are fake.
 */
const ready = requiredConditionInCi(
  'The cutout models (.tools/models) and the evaluation photos (.tools/photos)',
  saliencyModelsInstalled() && EVAL_SET.every((p) => photoPath(p)),
);
const ROCKET_BOX = { x: 0.47, y: 0.28, w: 0.07, h: 0.68 };
const STYLE = {
  lighting: 'soft morning light',
  camera: '50mm',
  mood: 'calm',
  grade: 'clean',
  backdrop: 'launch pad at dawn',
  palette: ['#ffffff', '#c0392b'],
};

describe.skipIf(!ready)('fixing a doubtful or refused cutout', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let real: Awaited<ReturnType<typeof createRealActivities>>;
  let userId: string;
  let inputs: Array<{ name: string; input: Record<string, unknown> }> = [];
  const started: Array<{ test: string; sessionId: string }> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    userId = (await createUser(database.db, 'fixer@example.com', 'password-123')).id;
    real = await createRealActivities(database.db);
    const all = { ...real.activities, ...createFakeGeneration() };
    // Every call with its input, so the test can say what reached each activity.
    const recorded = instrument(all);
    inputs = recorded.calls;
    worker = await startTestWorker(recorded.activities);
  });
  afterAll(async () => {
    await saveHistories(worker.client, 'review', started);
    await worker.stop();
    await stopSegmentationWorker();
    await database.drop();
  });

  const callsOf = <T>(name: string, sessionId: string) =>
    inputs
      .filter((c) => c.name === name && c.input.sessionId === sessionId)
      .map((c) => c.input as unknown as T);

  /** A file of `owner` in storage, as POST /api/uploads leaves it. */
  async function upload(bytes: Buffer) {
    const path = join(real.root, `${randomUUID()}.png`);
    await sharp(bytes).png().toFile(path);
    const key = uploadKey(userId, randomUUID(), 'png');
    await real.storage.putFile(key, path, 'image/png');
    return key;
  }
  const rocket = () => photoBytes(EVAL_SET.find((p) => p.name === 'rocket')!);

  async function rejection(run: () => Promise<unknown>) {
    try {
      await run();
    } catch (error) {
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (error as WorkflowUpdateFailedError).cause as ApplicationFailure;
      return { type: cause.type, message: cause.message };
    }
    throw new Error('expected the update to be rejected');
  }

  const settled = (handle: WorkflowHandle, done: (s: SessionState) => boolean) =>
    waitForState(handle, done);

  it(
    'a refused photo waits at the review; a box around the product redoes the cutout',
    { timeout: 300_000 },
    async () => {
      const input = sessionInput(userId, worker.renderTaskQueue, {
        productPhotoKey: await upload(await rocket()),
        options: { ...TEST_OPTIONS, reviewPlan: true },
      });
      const handle = await startSession(worker.client, worker.taskQueue, input);
      const id = input.sessionId;
      started.push({ test: 'a refused photo is fixed at the review with a box', sessionId: id });

      const refused = await settled(
        handle,
        (s) => s.productCutout?.status === 'failed' || s.stage === 'failed',
      );
      // The refusal stays at the review, in words a person understands, with what would work.
      expect(refused.stage).toBe('awaiting_plan_approval');
      expect(refused.productCutout?.errorCode).toBe('PRODUCT_UNCLEAR');
      expect(refused.productCutout?.cutoutQuality).toMatchObject({ verdict: 'refused' });
      expect(refused.productCutout?.cutoutQuality?.advice).toMatch(/photo/i);
      expect(refused.productCutout?.error).toMatch(/Use a photo where the product/);
      expect(callsOf('generateImage', id)).toHaveLength(0);

      // Nothing can be approved around a refused cutout; bad marks are refused with stable codes.
      expect(
        await rejection(() =>
          handle.executeUpdate(messages.actionUpdates.approvePlan, {
            args: [{ style: STYLE, prompts: [] }],
          }),
        ),
      ).toMatchObject({ type: 'INVALID_STATE' });
      expect(
        await rejection(() =>
          handle.executeUpdate(messages.actionUpdates.refineCutout, {
            args: [{ drop: [{ x: -0.1, y: 0.5 }] }],
          }),
        ),
      ).toEqual({ type: 'VALIDATION_FAILED', message: 'drop.0.x: A mark must lie on the photo.' });
      expect(
        await rejection(() =>
          handle.executeUpdate(messages.actionUpdates.refineCutout, { args: [{}] }),
        ),
      ).toEqual({
        type: 'VALIDATION_FAILED',
        message: 'Mark what to keep or drop, or draw a box around the product.',
      });

      // The person draws a box around the rocket: the cutout is made again with it.
      const answer = await handle.executeUpdate(messages.actionUpdates.refineCutout, {
        args: [{ box: ROCKET_BOX }],
      });
      expect(answer.stage).toBe('awaiting_plan_approval');
      const fixed = await settled(
        handle,
        (s) => s.productCutout?.status === 'ready' || s.stage === 'failed',
      );
      expect(fixed.stage).toBe('awaiting_plan_approval');
      expect(fixed.cutoutHints).toEqual({ keep: [], drop: [], box: ROCKET_BOX });
      expect(fixed.productCutout?.cutoutQuality?.verdict).not.toBe('refused');
      // The cutout sits inside the box the person drew, on the photo.
      const at = fixed.productCutout!.productBox!;
      expect(at.x).toBeGreaterThanOrEqual(ROCKET_BOX.x - 0.01);
      expect(at.x + at.w).toBeLessThanOrEqual(ROCKET_BOX.x + ROCKET_BOX.w + 0.01);
      const cutouts = callsOf<CutoutInput>('cutoutProductPhoto', id);
      expect(cutouts.map((c) => c.hints)).toEqual([undefined, fixed.cutoutHints]);
      const oldRow = await database.db.asset.findUnique({
        where: { id: refused.productCutout!.id },
      });
      expect(oldRow?.status).toBe('replaced');

      await handle.executeUpdate(messages.actionUpdates.approvePlan, {
        args: [{ style: STYLE, prompts: [] }],
      });
      const images = await settled(
        handle,
        (s) => s.stage === 'awaiting_image_approval' || s.stage === 'failed',
      );
      expect(images.stage).toBe('awaiting_image_approval');
      for (const call of callsOf<{ productPhotoKey: string }>('generateImage', id)) {
        expect(call.productPhotoKey).toBe(fixed.productCutout!.storageKey);
      }
      // The plan was made (and paid for) once.
      expect(callsOf('planShots', id)).toHaveLength(1);
    },
  );

  it(
    'without a review, a refused photo fails the step; a transparent PNG brings it back',
    { timeout: 300_000 },
    async () => {
      const input = sessionInput(userId, worker.renderTaskQueue, {
        productPhotoKey: await upload(await rocket()),
        options: { ...TEST_OPTIONS, reviewPlan: false },
      });
      const handle = await startSession(worker.client, worker.taskQueue, input);
      const id = input.sessionId;
      started.push({ test: 'a refused photo is fixed after the failed step', sessionId: id });

      const failed = await settled(handle, (s) => s.stage === 'failed');
      expect(failed.lastError).toMatchObject({ code: 'PRODUCT_UNCLEAR', retryable: false });
      // The cutout shows as failed (the page offers its fixes), not as still being made.
      expect(failed.productCutout).toMatchObject({
        status: 'failed',
        errorCode: 'PRODUCT_UNCLEAR',
      });
      // A plain retry would give the same refusal: it is refused, saying what would work.
      expect(
        await rejection(() => handle.executeUpdate(messages.actionUpdates.retry, { args: [{}] })),
      ).toMatchObject({ type: 'PRODUCT_UNCLEAR', message: /transparent PNG/ });

      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><rect x="110" y="40" width="80" height="220" rx="30" fill="#c0392b"/></svg>`;
      const png = await upload(await sharp(Buffer.from(svg)).png().toBuffer());
      await handle.executeUpdate(messages.actionUpdates.replaceProductPhoto, {
        args: [{ productPhotoKey: png }],
      });
      const review = await settled(
        handle,
        (s) =>
          (s.stage === 'awaiting_plan_approval' && s.productCutout?.status === 'ready') ||
          s.stage === 'failed',
      );
      expect(review.stage).toBe('awaiting_plan_approval');
      expect(review.lastError).toBeUndefined();
      expect(review.productCutout?.model).toBe('local/alpha-kept');
      expect(review.productCutout?.cutoutQuality).toMatchObject({
        verdict: 'good',
        method: 'alpha-kept',
      });
      expect(callsOf('planShots', id)).toHaveLength(1);
      expect(callsOf('generateImage', id)).toHaveLength(0);
    },
  );
});
