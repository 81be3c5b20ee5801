import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe } from '../activities/media/ffmpeg';
import { clipFinishingTaskQueue, providerTaskQueue } from '../core/queues';
import { FIDELITY_WARNING_BELOW, type SessionState } from '../core/session';
import type { Stage } from '../core/stages';
import { splitPhrases } from '../core/voice-script';
import { uploadKey } from '../storage';
import { waitForState } from '../workflows/client';
import * as messages from '../workflows/messages';
import { startReplicateStudio } from './support/replicate-studio';

/**
 * The replicate provider on the local Replicate server, with the real worker process, Temporal,
 * PostgreSQL, FFmpeg and the API receiving signed webhooks: nothing is ever paid for twice.
 */
describe('replicate provider', { timeout: 240_000 }, () => {
  let studio: Awaited<ReturnType<typeof startReplicateStudio>>;

  beforeAll(async () => {
    studio = await startReplicateStudio();
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
  });

  const reach = async (handle: WorkflowHandle, stage: Stage) => {
    const state = await waitForState(handle, (s) => s.stage === stage || s.stage === 'failed', {
      timeoutMs: 150_000,
    });
    if (state.stage !== stage)
      throw new Error(`${state.stage}: ${JSON.stringify(state.lastError)}`);
    return state;
  };
  const predictionsOf = (sessionId: string) =>
    studio.fake.stats().predictions.filter((p) => p.jobKey.startsWith(`${sessionId}:`));
  const countsOf = (sessionId: string) =>
    Object.entries(studio.fake.stats().countsByJobKey).filter(([key]) =>
      key.startsWith(`${sessionId}:`),
    );
  const approveTwo = (handle: WorkflowHandle, state: SessionState) =>
    handle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: state.images.slice(0, 2).map((i) => i.id), videoPrompt: 'slow orbit' }],
    });
  /** Approves every clip, then composes with music: the session goes on to music and render. */
  const approveAllAndCompose = async (
    handle: WorkflowHandle,
    clips: SessionState,
    voice?: { enabled: boolean; script: string; voiceId: string },
  ) => {
    await handle.executeUpdate(messages.actionUpdates.approveClips, {
      args: [{ clipIds: clips.clips.map((c) => c.id) }],
    });
    await reach(handle, 'awaiting_composition');
    await handle.executeUpdate(messages.actionUpdates.compose, {
      args: [
        {
          productName: 'Court Classic',
          callToAction: 'Shop now',
          colors: { primary: '#1d1d1f', accent: '#ff5fa2', text: '#ffffff' },
          music: { enabled: true, genre: 'upbeat' },
          ...(voice ? { voice } : {}),
        },
      ],
    });
  };
  /** Waits (bounded) until the fake holds a prediction of this model in `processing`. */
  const heldPrediction = async (sessionId: string, model: string) => {
    for (let i = 0; i < 600; i++) {
      const held = predictionsOf(sessionId).find(
        (p) => p.model.includes(model) && p.status === 'processing',
      );
      const row =
        held && (await studio.db.prediction.findUnique({ where: { predictionId: held.id } }));
      if (held && row) return held;
      await new Promise((tick) => setTimeout(tick, 100));
    }
    throw new Error(`no ${model} prediction was held`);
  };

  it('makes a whole ad: one prediction per asset, and the ledger is the sum of the predictions', async () => {
    const handle = await studio.start();
    const sessionId = handle.workflowId;
    const images = await reach(handle, 'awaiting_image_approval');
    expect(images.images.filter((i) => i.status === 'ready')).toHaveLength(4);
    expect(images.images[0]).toMatchObject({
      provider: 'replicate',
      model: 'black-forest-labs/flux-dev',
    });
    await approveTwo(handle, images);
    const clips = await reach(handle, 'awaiting_clip_approval');
    // Seedance answers 1280x720 at 24 fps; the studio keeps the session's 1920x1080.
    expect(clips.clips.map((c) => [c.width, c.height])).toEqual([
      [1920, 1080],
      [1920, 1080],
    ]);
    // The LLM planner wrote the voiceover with the scenes; a MiniMax voice on Replicate reads it.
    const script = clips.voiceover!.script;
    expect(script.length).toBeGreaterThan(10);
    await approveAllAndCompose(handle, clips, {
      enabled: true,
      script,
      voiceId: 'replicate-wise-woman',
    });
    const done = await reach(handle, 'completed');

    // Two plans, four images, two clips, one track, one voiceover: ten predictions, each job
    // created once.
    const made = predictionsOf(sessionId);
    expect(made.map((p) => p.model).sort()).toEqual(
      [
        ...Array<string>(2).fill('meta/meta-llama-3-8b-instruct'),
        ...Array<string>(4).fill('black-forest-labs/flux-dev'),
        ...Array<string>(2).fill('bytedance/seedance-1-lite'),
        'meta/musicgen',
        'minimax/speech-2.6-turbo',
      ].sort(),
    );
    expect(countsOf(sessionId).every(([, n]) => n === 1)).toBe(true);

    // The voiceover: one prediction of the table's speech model, priced by its characters, cut
    // back into its phrases for the captions, and stored with the ad.
    const spoken = await studio.db.prediction.findMany({ where: { sessionId, purpose: 'voice' } });
    expect(spoken).toHaveLength(1);
    const phrases = splitPhrases(script, 'en');
    const text = phrases.join(' <#0.6#> ');
    expect(Number(spoken[0]!.costUsd)).toBeCloseTo((0.06 * text.length) / 1000, 4);
    expect(done.voice).toMatchObject({
      voiceId: 'replicate-wise-woman',
      model: 'minimax/speech-2.6-turbo',
      costUsd: Number(spoken[0]!.costUsd),
    });
    expect(done.voice!.cues!.map((c) => c.text)).toEqual(phrases);
    expect(done.final!.captionKeys).toBeDefined();

    const rows = await studio.db.prediction.findMany({ where: { sessionId } });
    expect(rows.map((r) => r.status)).toEqual(Array<string>(10).fill('succeeded'));
    const predictionsUsd = rows.reduce((sum, r) => sum + Number(r.costUsd), 0);
    const ledger = await studio.db.generationCost.findMany({ where: { sessionId } });
    const ledgerUsd = ledger.reduce((sum, r) => sum + Number(r.costUsd), 0);
    // flux-dev $0.025 x 4 and seedance-lite 720p $0.036/s x 3 s x 2 at least.
    expect(predictionsUsd).toBeGreaterThan(0.1 + 0.216);
    expect(ledgerUsd).toBeCloseTo(predictionsUsd, 4);
    expect(done.costs.totalUsd).toBeCloseTo(predictionsUsd, 4);
    // The fake's signed webhooks reached the API and were applied.
    expect(await studio.db.webhookEvent.count()).toBeGreaterThan(0);

    // Each clip: the model's answer on the provider's queue, stored as it came, then brought to
    // 1080p at 30 fps on the clip-finishing queue.
    const clipWork: string[] = [];
    for (const e of (await handle.fetchHistory()).events ?? []) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      const type = scheduled?.activityType?.name ?? '';
      if (/clip/i.test(type)) clipWork.push(`${type} on ${scheduled?.taskQueue?.name}`);
    }
    expect(clipWork.sort()).toEqual([
      ...Array<string>(2).fill(`finishClip on ${clipFinishingTaskQueue(studio.taskQueue)}`),
      ...Array<string>(2).fill(
        `generateModelClip on ${providerTaskQueue(studio.taskQueue, 'replicate')}`,
      ),
    ]);
    const modelClip = await studio.api.storage.head(
      `${clips.clips[0]!.storageKey!.replace(/\.mp4$/, '')}-model.mp4`,
    );
    expect(modelClip?.bytes).toBeGreaterThan(1000);

    const final = await studio.api.storage.head(done.final!.storageKey!);
    expect(final?.bytes).toBeGreaterThan(10_000);
    const probe = await ffprobe(`${studio.api.storageDir}/${done.final!.storageKey!}`);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      width: 1920,
      height: 1080,
    });
  });

  it('a worker SIGKILLed while a prediction runs: the next worker resumes it, no second one', async () => {
    studio.fake.faults.add({ on: 'create', model: 'seedance', kind: 'hold' });
    const handle = await studio.start();
    const sessionId = handle.workflowId;
    await approveTwo(handle, await reach(handle, 'awaiting_image_approval'));
    const held = await heldPrediction(sessionId, 'seedance');

    await studio.killWorker();
    await studio.startWorker();
    studio.fake.release(held.id);
    const clips = await reach(handle, 'awaiting_clip_approval');

    expect(clips.clips.filter((c) => c.status === 'ready')).toHaveLength(2);
    const seedance = predictionsOf(sessionId).filter((p) => p.model.includes('seedance'));
    expect(seedance).toHaveLength(2);
    expect(countsOf(sessionId).every(([, n]) => n === 1)).toBe(true);
  });

  it('a connection reset after Replicate accepted a create: reconciliation finds it', async () => {
    studio.fake.faults.add({ on: 'create', model: 'flux-dev', kind: 'reset-after-accept' });
    const handle = await studio.start();
    const sessionId = handle.workflowId;
    await reach(handle, 'awaiting_image_approval');
    const unanswered = studio.fake.stats().requests.filter((r) => r.status === 0);
    expect(unanswered.length).toBeGreaterThan(0);
    expect(predictionsOf(sessionId).filter((p) => p.model.includes('flux-dev'))).toHaveLength(4);
    expect(countsOf(sessionId).every(([, n]) => n === 1)).toBe(true);
  });

  it('a burst of 429s with Retry-After is waited out; nothing fails', async () => {
    const before = studio.fake.stats().requests.filter((r) => r.status === 429).length;
    studio.fake.faults.add({ on: 'create', kind: 'rate-limit', retryAfterSeconds: 1, times: 3 });
    const handle = await studio.start();
    const images = await reach(handle, 'awaiting_image_approval');
    expect(images.images.filter((i) => i.status === 'ready')).toHaveLength(4);
    expect(studio.fake.stats().requests.filter((r) => r.status === 429).length - before).toBe(3);
    expect(countsOf(handle.workflowId).every(([, n]) => n === 1)).toBe(true);
  });

  it('a content-policy refusal fails that image, naming model and reason; a changed prompt makes it', async () => {
    studio.fake.faults.add({ on: 'create', model: 'flux-dev', kind: 'fail-policy' });
    const handle = await studio.start();
    // The other images are made: the person sees them, and the refused one with its reason.
    const partial = await reach(handle, 'awaiting_image_approval');
    expect(partial.images.filter((i) => i.status === 'ready')).toHaveLength(3);
    const refused = partial.images.find((i) => i.status === 'failed')!;
    expect(refused.errorCode).toBe('CONTENT_POLICY');
    expect(refused.error).toMatch(/black-forest-labs\/flux-dev refused the prompt: NSFW/);
    // The same prompt again would be refused again: the person is asked to change it.
    await expect(
      handle.executeUpdate(messages.actionUpdates.retryAsset, { args: [{ assetId: refused.id }] }),
    ).rejects.toMatchObject({ cause: { type: 'CONTENT_POLICY' } });
    await handle.executeUpdate(messages.actionUpdates.regenerateImage, {
      args: [{ imageId: refused.id, prompt: 'pink tennis shoes on a white studio table' }],
    });
    const remade = await waitForState(
      handle,
      (s) =>
        s.stage === 'awaiting_image_approval' &&
        s.images.some((i) => i.variantOf === refused.id && i.status === 'ready'),
      { timeoutMs: 120_000 },
    );
    const variant = remade.images.find((i) => i.variantOf === refused.id)!;
    expect(variant.prompt).toBe('pink tennis shoes on a white studio table');
    await handle.executeUpdate(messages.actionUpdates.keepVariant, {
      args: [{ assetId: variant.id }],
    });
    const images = await waitForState(
      handle,
      (s) => s.stage === 'awaiting_image_approval' && s.images.length === 4,
      { timeoutMs: 120_000 },
    );
    expect(images.images.filter((i) => i.status === 'ready')).toHaveLength(4);
  });

  it('cancelling a session cancels its running predictions on Replicate', async () => {
    studio.fake.faults.add({ on: 'create', model: 'flux-dev', kind: 'hold' });
    const handle = await studio.start();
    const held = await heldPrediction(handle.workflowId, 'flux-dev');
    await handle.signal(messages.cancelSignal, { reason: 'changed my mind' });
    expect((await handle.result()).stage).toBe('cancelled');
    const after = studio.fake.stats().predictions.find((p) => p.id === held.id);
    expect(after).toMatchObject({ cancelRequested: true, status: 'canceled' });
    const row = await studio.db.prediction.findUnique({ where: { predictionId: held.id } });
    expect(row?.status).toBe('canceled');
  });

  it('a malformed plan is asked for once more, then the rule-based planner takes over', async () => {
    studio.fake.faults.add({ on: 'create', model: 'llama', kind: 'malformed-json', times: 2 });
    const handle = await studio.start();
    const images = await reach(handle, 'awaiting_image_approval');
    expect(images.shots).toHaveLength(4);
    const plans = predictionsOf(handle.workflowId).filter((p) => p.model.includes('llama'));
    expect(plans).toHaveLength(2);
    const planRow = await studio.db.generationCost.findFirstOrThrow({
      where: { sessionId: handle.workflowId, stage: 'planning_images' },
    });
    expect(planRow.model).toMatch(/meta-llama-3-8b-instruct \(fell back to local\/planner-v1\)/);
    // Both asks were paid for, and the ledger says so.
    const paid = await studio.db.prediction.findMany({
      where: { sessionId: handle.workflowId, purpose: { startsWith: 'plan-shots' } },
    });
    expect(Number(planRow.costUsd)).toBeCloseTo(
      paid.reduce((sum, r) => sum + Number(r.costUsd), 0),
      4,
    );
  });

  it('an output Replicate already deleted is made again as a new attempt, both in the ledger', async () => {
    studio.fake.faults.add({ on: 'create', model: 'flux-dev', kind: 'output-deleted' });
    const handle = await studio.start();
    const images = await reach(handle, 'awaiting_image_approval');
    expect(images.images.filter((i) => i.status === 'ready')).toHaveLength(4);
    const rows = await studio.db.prediction.findMany({
      where: { sessionId: handle.workflowId, purpose: 'image' },
    });
    expect(rows.map((r) => r.status).sort()).toEqual([
      'output_lost',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    const lost = rows.find((r) => r.status === 'output_lost')!;
    const again = rows.find((r) => r.assetId === lost.assetId && r.status === 'succeeded')!;
    expect(again.attempt).toBe(lost.attempt + 1);
    const image = images.images.find((i) => i.id === lost.assetId)!;
    expect(image.costUsd).toBeCloseTo(Number(lost.costUsd) + Number(again.costUsd), 4);
    expect(countsOf(handle.workflowId).every(([, n]) => n === 1)).toBe(true);
  });

  it('a product photo is cut out once, and every image is the edit model fed that cutout', async () => {
    const photo = join(studio.api.storageDir, 'studio-shot.png');
    await sharp(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">' +
          '<rect width="400" height="300" fill="#eeeeec"/>' +
          '<rect x="150" y="60" width="100" height="190" rx="20" fill="#1e7d5e"/></svg>',
      ),
    )
      .png()
      .toFile(photo);
    const productPhotoKey = uploadKey(studio.user.id, randomUUID(), 'png');
    await studio.api.storage.putFile(productPhotoKey, photo, 'image/png');
    const handle = await studio.start({ productPhotoKey });
    const images = await reach(handle, 'awaiting_image_approval');

    expect(images.productCutout).toMatchObject({
      status: 'ready',
      model: '851-labs/background-remover',
    });
    // Trimmed to the product: about its 100x190 pixels, not the 400x300 photo.
    expect(images.productCutout!.width).toBeLessThan(130);
    const made = predictionsOf(handle.workflowId);
    expect(made.filter((p) => p.model.includes('background-remover'))).toHaveLength(1);
    const edits = made.filter((p) => p.model === 'black-forest-labs/flux-kontext-pro');
    expect(edits).toHaveLength(4);
    expect(edits.every((p) => String(p.input.input_image).startsWith('data:image/png'))).toBe(true);
    expect(images.images.every((i) => i.model === 'black-forest-labs/flux-kontext-pro')).toBe(true);
    // The edit model placed the product itself: the studio finds it with its segmentation model,
    // so every image has a product box (exports reframe around it) and a product-match score.
    for (const image of images.images) {
      console.log(
        `replicate image ${image.view}: fidelity ${image.fidelity}, box ${JSON.stringify(image.productBox)}`,
      );
      expect(image.fidelity).toBeGreaterThan(0);
      expect(image.fidelity).toBeLessThanOrEqual(1);
      expect(image.fidelityWarning).toBe(image.fidelity! < FIDELITY_WARNING_BELOW);
      const box = image.productBox!;
      expect(box.w).toBeGreaterThan(0.05);
      expect(box.h).toBeGreaterThan(0.1);
      expect(box.x + box.w).toBeLessThanOrEqual(1);
      expect(box.y + box.h).toBeLessThanOrEqual(1);
    }
    // The cutout is in the ledger with its own cost line.
    const cutoutCost = await studio.db.generationCost.findFirstOrThrow({
      where: { sessionId: handle.workflowId, agent: 'cutout' },
    });
    expect(cutoutCost.model).toBe('851-labs/background-remover');
  });

  it('a community model billed for a run that then failed: its GPU time is in the ledger', async () => {
    // MusicGen (billed by GPU time) runs for a while, then refuses for good (content policy).
    studio.fake.faults.add({ on: 'create', model: 'musicgen', kind: 'hold' });
    studio.fake.faults.add({ on: 'create', model: 'musicgen', kind: 'fail-policy' });
    const handle = await studio.start();
    const sessionId = handle.workflowId;
    await approveTwo(handle, await reach(handle, 'awaiting_image_approval'));
    const clips = await reach(handle, 'awaiting_clip_approval');
    await approveAllAndCompose(handle, clips);
    const held = await heldPrediction(sessionId, 'musicgen');
    // Not waiting for a state: letting billable GPU time pass before the run fails.
    await new Promise((billed) => setTimeout(billed, 1500));
    studio.fake.release(held.id);
    const failed = await waitForState(handle, (s) => s.stage === 'failed', { timeoutMs: 60_000 });
    expect(failed.lastError).toMatchObject({ stage: 'generating_music', code: 'CONTENT_POLICY' });

    const music = await studio.db.prediction.findFirstOrThrow({
      where: { sessionId, predictionId: held.id },
    });
    expect(Number(music.costUsd)).toBeGreaterThan(0);
    const rows = await studio.db.prediction.findMany({ where: { sessionId } });
    const predictionsUsd = rows.reduce((sum, r) => sum + Number(r.costUsd), 0);
    const ledger = await studio.db.generationCost.findMany({ where: { sessionId } });
    expect(ledger.reduce((sum, r) => sum + Number(r.costUsd), 0)).toBeCloseTo(predictionsUsd, 4);
    expect(failed.costs.totalUsd).toBeCloseTo(predictionsUsd, 4);
  });
});
