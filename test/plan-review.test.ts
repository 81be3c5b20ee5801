import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  GenerateClipInput,
  GenerateImageInput,
  GenerateMusicInput,
  PlanShotsInput,
  RenderInput,
} from '../activities/inputs';
import type { LastFrameInput } from '../activities/last-frame';
import { clipsNeeded } from '../core/ad-length';
import { roleRank } from '../core/beats';
import type { SessionState, StyleSpec } from '../core/session';
import { uploadKey } from '../storage';
import { startSession, waitForState } from '../workflows/client';
import * as messages from '../workflows/messages';
import { createRealActivities, instrument } from './support/activities';
import { createUser } from './support/api';
import { saveHistories } from './support/histories';
import { createTestDatabase } from './support/database';
import { createFakeGeneration } from './support/fake-activities';
import { TEST_OPTIONS, sessionInput, startTestWorker } from './support/worker';

/**
 * The plan review step and long ads on a real Temporal server: the person edits the style and a
 * prompt before any image is made, swaps the product photo (cut out again, reviewed again), and
 * a 20 s ad chains clips through their last frame. Generation is fake (no media); the cutout is
 * the real local one, on real photos in real storage.
 */
describe('plan review and chained clips', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let real: Awaited<ReturnType<typeof createRealActivities>>;
  let userId: string;
  let inputs: Array<{ name: string; input: Record<string, unknown> }> = [];
  /** Sessions to record as histories (RECORD_HISTORIES), named after their test. */
  const started: Array<{ test: string; sessionId: string }> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    userId = (await createUser(database.db, 'review@example.com', 'password-123')).id;
    real = await createRealActivities(database.db);
    const all = { ...real.activities, ...createFakeGeneration() };
    // Every call with its input, so the test can say what reached each activity.
    const recorded = instrument(all);
    inputs = recorded.calls;
    worker = await startTestWorker(recorded.activities);
  });
  afterAll(async () => {
    await saveHistories(worker.client, 'craft', started);
    await worker.stop();
    await database.drop();
  });

  const callsOf = <T>(name: string, sessionId: string) =>
    inputs
      .filter((c) => c.name === name && c.input.sessionId === sessionId)
      .map((c) => c.input as unknown as T);

  /** A product photo of `owner` in storage, as POST /api/uploads leaves it. */
  async function photoOf(owner: string, colour: string) {
    const path = join(real.root, `${randomUUID()}.png`);
    const product = await sharp({
      create: { width: 120, height: 160, channels: 3, background: colour },
    })
      .png()
      .toBuffer();
    // The product on a plain light backdrop, as the local cutter expects.
    await sharp({ create: { width: 320, height: 320, channels: 3, background: '#f4f4f4' } })
      .composite([{ input: product, left: 100, top: 80 }])
      .png()
      .toFile(path);
    const key = uploadKey(owner, randomUUID(), 'png');
    await real.storage.putFile(key, path, 'image/png');
    return key;
  }

  const waitFor = (handle: WorkflowHandle, done: (s: SessionState) => boolean) =>
    waitForState(handle, (s) => done(s) || s.stage === 'failed');

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

  const reviewReady = (s: SessionState) =>
    s.stage === 'awaiting_plan_approval' && s.productCutout?.status === 'ready';

  it('stops before any image for review; edits reach every image, a new photo is cut out again', async () => {
    const firstPhoto = await photoOf(userId, '#d02050');
    const input = sessionInput(userId, worker.renderTaskQueue, {
      productPhotoKey: firstPhoto,
      options: { ...TEST_OPTIONS, reviewPlan: true, durationSeconds: 20 },
    });
    const handle = await startSession(worker.client, worker.taskQueue, input);
    const id = input.sessionId;
    started.push({ test: 'plan review and a chained 20 s ad', sessionId: id });

    const review = await waitFor(handle, reviewReady);
    expect(review.stage).toBe('awaiting_plan_approval');
    // Nothing but planning and the cutout has run: no image is paid for before the review.
    expect(callsOf('generateImage', id)).toHaveLength(0);
    expect(callsOf('cutoutProductPhoto', id)).toHaveLength(1);
    // The planner knows there is a photo, so it plans scenes around it rather than views of it.
    expect(callsOf<PlanShotsInput>('planShots', id).map((c) => c.hasPhoto)).toEqual([true]);
    expect(review.style?.palette.length).toBeGreaterThan(0);
    expect(review.images.map((i) => i.status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    // Every shot has a beat, and the plan has its hook and its call to action.
    const roles = review.shots.map((s) => s.role);
    expect(roles).toContain('hook');
    expect(roles).toContain('call_to_action');
    expect(review.images.map((i) => i.role)).toEqual(roles);

    const style: StyleSpec = {
      lighting: 'hard neon rim light from behind',
      camera: '35mm lens, low angle',
      mood: 'electric',
      grade: 'teal shadows, magenta highlights',
      backdrop: 'wet asphalt at night',
      palette: ['#0b1f3a', '#ff2e88', '#19e6d4'],
    };
    const edited = review.images[1]!;

    // Invalid edits, other users' photos and other stages' actions are refused with stable codes.
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.approvePlan, {
          args: [{ style: { ...style, palette: ['#0b1f3a', 'pink'] }, prompts: [] }],
        }),
      ),
    ).toEqual({
      type: 'VALIDATION_FAILED',
      message: 'style.palette.1: Use a colour like #1a2b3c.',
    });
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.approvePlan, {
          args: [{ style, prompts: [{ imageId: 'not-an-image', prompt: 'x' }] }],
        }),
      ),
    ).toEqual({ type: 'VALIDATION_FAILED', message: 'No image not-an-image in this session.' });
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.replaceProductPhoto, {
          args: [{ productPhotoKey: uploadKey(randomUUID(), randomUUID(), 'png') }],
        }),
      ),
    ).toEqual({ type: 'VALIDATION_FAILED', message: 'No such photo. Upload it again.' });
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.approveImages, {
          args: [{ imageIds: [review.images[0]!.id, edited.id], videoPrompt: 'go' }],
        }),
      ),
    ).toMatchObject({ type: 'INVALID_STATE' });

    // Another photo: it is cut out again and the review is shown again, still without images.
    const secondPhoto = await photoOf(userId, '#2050d0');
    await handle.executeUpdate(messages.actionUpdates.replaceProductPhoto, {
      args: [{ productPhotoKey: secondPhoto }],
    });
    const again = await waitFor(
      handle,
      (s) => reviewReady(s) && s.productCutout?.id !== review.productCutout?.id,
    );
    expect(again.stage).toBe('awaiting_plan_approval');
    expect(again.productPhotoKey).toBe(secondPhoto);
    const cutouts = callsOf<{ photoKey: string }>('cutoutProductPhoto', id);
    expect(cutouts.map((c) => c.photoKey)).toEqual([firstPhoto, secondPhoto]);
    expect(callsOf('generateImage', id)).toHaveLength(0);
    const replaced = await database.db.asset.findUnique({
      where: { id: review.productCutout!.id },
    });
    expect(replaced?.status).toBe('replaced');

    await handle.executeUpdate(messages.actionUpdates.approvePlan, {
      args: [{ style, prompts: [{ imageId: edited.id, prompt: '  the sole, glowing  ' }] }],
    });
    const images = await waitFor(handle, (s) => s.stage === 'awaiting_image_approval');
    expect(images.stage).toBe('awaiting_image_approval');
    expect(images.style).toEqual(style);
    // Each image keeps the beat its shot was planned for.
    expect(images.images.map((i) => i.role)).toEqual(roles);

    // The edited style reached every image, made around the new cutout; the edited prompt too.
    const made = callsOf<GenerateImageInput>('generateImage', id);
    expect(made).toHaveLength(4);
    for (const call of made) {
      expect(call.style).toEqual(style);
      expect(call.productPhotoKey).toBe(again.productCutout!.storageKey);
    }
    expect(made.find((c) => c.assetId === edited.id)?.prompt).toBe('the sole, glowing');
    expect(images.images.find((i) => i.id === edited.id)?.prompt).toBe('the sole, glowing');

    // Two scenes make a 20 s ad by chaining clips through their last frame.
    const [a, b] = images.images;
    await handle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: [a!.id, b!.id], videoPrompt: 'slow push in' }],
    });
    const clips = await waitFor(handle, (s) => s.stage === 'awaiting_clip_approval');
    expect(clips.stage).toBe('awaiting_clip_approval');
    const total = clipsNeeded(2, 20);
    expect(total).toBeGreaterThan(2);
    expect(clips.clips).toHaveLength(total);
    const roots = clips.clips.filter((c) => !c.continuesFromId);
    const links = clips.clips.filter((c) => c.continuesFromId);
    expect(roots).toHaveLength(2);
    // The scenes are in beat order: hook (or the earlier beat) first, call to action last.
    expect(roleRank(roots[0]!.role)).toBeLessThan(roleRank(roots[1]!.role));
    expect(roots[1]!.role).toBe('call_to_action');

    // Each continuation starts from the last frame of the clip it continues, made after it.
    const frames = callsOf<LastFrameInput>('extractLastFrame', id);
    expect(frames).toHaveLength(links.length);
    const clipCalls = callsOf<GenerateClipInput>('generateClip', id);
    for (const link of links) {
      const frame = frames.find((f) => f.assetId === `${link.id}-start`);
      expect(frame?.clip.id).toBe(link.continuesFromId);
      expect(frame?.clip.status).toBe('ready');
      const call = clipCalls.find((c) => c.assetId === link.id);
      expect(call?.sourceImage.id).toBe(`${link.id}-start`);
      expect(link.sourceImageId).toBe(
        clips.clips.find((c) => c.id === link.continuesFromId)?.sourceImageId,
      );
    }
    for (const call of clipCalls) expect(call.style).toEqual(style);

    // The person approves the scenes; each plays with its continuations, at the chosen length.
    await handle.executeUpdate(messages.actionUpdates.approveClips, {
      args: [{ clipIds: roots.map((c) => c.id) }],
    });
    await handle.executeUpdate(messages.actionUpdates.compose, {
      args: [
        {
          productName: 'Glow',
          callToAction: 'Shop now',
          colors: { primary: '#0b1f3a', accent: '#ff2e88', text: '#ffffff' },
          music: { enabled: true, genre: 'electronic' },
        },
      ],
    });
    const done = await waitFor(handle, (s) => s.stage === 'completed');
    expect(done.stage).toBe('completed');
    const [render] = callsOf<RenderInput>('renderVideo', id);
    expect(render?.durationSeconds).toBe(20);
    const played = render!.clips.map((c) => c.id);
    expect(played).toHaveLength(total);
    for (const link of links) {
      expect(played.indexOf(link.id)).toBeGreaterThan(played.indexOf(link.continuesFromId!));
    }
    expect(played[0]).toBe(roots[0]!.id);
    expect(callsOf<GenerateMusicInput>('generateMusic', id)[0]?.durationSeconds).toBe(20);
    // A whole session on the offline studio: two cutouts, the images, the clips and the music.
  }, 240_000);

  it('goes straight to the images when the session does not ask for a review', async () => {
    const input = sessionInput(userId, worker.renderTaskQueue, {
      options: { ...TEST_OPTIONS, reviewPlan: false },
    });
    const handle = await startSession(worker.client, worker.taskQueue, input);
    const seen = new Set<string>();
    const state = await waitForState(handle, (s) => s.stage === 'awaiting_image_approval', {
      onChange: (s) => seen.add(s.stage),
    });
    expect(state.stage).toBe('awaiting_image_approval');
    expect(seen.has('awaiting_plan_approval')).toBe(false);
    // Without a photo the planning input is as it always was.
    const [planned] = callsOf<PlanShotsInput>('planShots', input.sessionId);
    expect(planned).toBeDefined();
    expect(planned).not.toHaveProperty('hasPhoto');
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.approvePlan, {
          args: [{ style: state.style!, prompts: [] }],
        }),
      ),
    ).toEqual({
      type: 'INVALID_STATE',
      message: 'Cannot approve the plan while the session is awaiting_image_approval.',
    });
  });
});
