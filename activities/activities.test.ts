import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductView } from '../core/options';
import type { AssetView, Composition, SessionState } from '../core/session';
import { countUnits, scriptFit, splitPhrases } from '../core/voice-script';
import { hashFile } from '../storage/hash';
import { createRealActivities } from '../test/support/activities';
import { createTestDatabase } from '../test/support/database';
import type { HeartbeatDetails } from './context';
import type { GenerateImageInput, RenderInput } from './inputs';
import { beatGridOf } from './media/beats';
import { ffprobe } from './media/ffmpeg';
import { createLocalPlanner } from './providers/local/planner';
import { isPartKey } from './render/part-cache';
import type { ShotPlan } from './providers/types';

/**
 * The activities as a worker runs them, each inside Temporal's mock activity context: real
 * images, clips and renders from the local studio, fs storage, a real database, and heartbeats
 * and cancellation the way Temporal delivers them.
 */

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let real: Awaited<ReturnType<typeof createRealActivities>>;

beforeAll(async () => {
  database = await createTestDatabase();
  real = await createRealActivities(database.db);
});
afterAll(async () => {
  await database.drop();
});

/** Runs one activity in its own mock context (a cancelled context stays cancelled). */
async function runActivity<R>(work: () => Promise<R>) {
  const env = new MockActivityEnvironment();
  const beats: HeartbeatDetails[] = [];
  env.on('heartbeat', (details: HeartbeatDetails) => beats.push(details));
  const result = await env.run<[], R, () => Promise<R>>(work);
  return { result, beats };
}

const fractionsOf = (beats: HeartbeatDetails[]) => beats.map((beat) => beat.fraction);

function expectNonDecreasing(values: Array<number | undefined>) {
  for (let i = 1; i < values.length; i++) {
    expect(values[i], `heartbeat ${i} of ${values.join(', ')}`).toBeGreaterThanOrEqual(
      values[i - 1]!,
    );
  }
}

/** Copies a stored object out and hashes what is really there. */
async function storedHash(key: string) {
  const copy = join(real.root, `check-${randomUUID()}`);
  await real.storage.getToFile(key, copy);
  return { copy, ...(await hashFile(copy)) };
}

/** Ids of the ffmpeg (or any) processes whose command line mentions `text`. */
function processesMentioning(text: string): string[] {
  const found = spawnSync('pgrep', ['-f', text], { encoding: 'utf8' });
  if (found.error) throw found.error;
  return found.stdout.split('\n').filter(Boolean);
}

describe('generation and render activities on the local studio', () => {
  const sessionId = `session-${randomUUID()}`;
  let plan: ShotPlan;
  let imageInput: GenerateImageInput;
  let image: { result: AssetView; beats: HeartbeatDetails[] };
  let clips: Array<{ result: AssetView; beats: HeartbeatDetails[] }>;

  const composition: Composition = {
    productName: 'Aero Pink',
    callToAction: 'Shop now',
    colors: { primary: '#1D1D1F', accent: '#FF5FA2', text: '#FFFFFF' },
    music: { enabled: false, genre: 'upbeat' },
  };
  const renderInput = (assetId: string): RenderInput => ({
    sessionId,
    assetId,
    clips: clips.map((clip) => clip.result),
    composition,
  });

  beforeAll(async () => {
    plan = await createLocalPlanner().planShots({
      prompt: 'pink tennis shoes',
      count: 4,
      aspectRatio: '16:9',
    });
    const view: ProductView = 'front';
    imageInput = {
      sessionId,
      assetId: randomUUID(),
      prompt: plan.shots.find((shot) => shot.view === view)?.prompt ?? view,
      view,
      seed: plan.seed,
      style: plan.style,
      product: plan.product,
      aspectRatio: '16:9',
    };
    image = await runActivity(() => real.activities.generateImage(imageInput));
    clips = [];
    for (const motion of ['zoom_in', 'pan_left'] as const) {
      clips.push(
        await runActivity(() =>
          real.activities.generateClip({
            sessionId,
            assetId: randomUUID(),
            sourceImage: image.result,
            motion,
            prompt: `${motion} across the product`,
            seed: plan.seed,
          }),
        ),
      );
    }
  });

  it('generateImage stores a PNG whose real hash matches what it returns, heartbeating from 0', async () => {
    const { result, beats } = image;
    expect(result).toMatchObject({
      id: imageInput.assetId,
      type: 'image',
      status: 'ready',
      view: 'front',
      mime: 'image/png',
      width: 1920,
      height: 1080,
      storageKey: `sessions/${sessionId}/images/${imageInput.assetId}.png`,
    });

    expect(await real.storage.head(result.storageKey!)).toEqual({
      bytes: result.bytes,
      contentType: 'image/png',
    });
    const stored = await storedHash(result.storageKey!);
    expect({ bytes: stored.bytes, sha256: stored.sha256 }).toEqual({
      bytes: result.bytes,
      sha256: result.sha256,
    });
    const meta = await sharp(stored.copy).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1920, 1080]);

    expect(beats.length).toBeGreaterThanOrEqual(1);
    expect(beats[0]).toEqual({ fraction: 0 });
  });

  it('generateClip heartbeats rising progress up to 1 and stores a 3 s MP4', async () => {
    const [{ result, beats }] = clips as [(typeof clips)[number]];
    const fractions = fractionsOf(beats);
    expect(fractions.length, fractions.join(', ')).toBeGreaterThanOrEqual(3);
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(
      fractions.some((f) => f! > 0 && f! < 1),
      fractions.join(', '),
    ).toBe(true);
    expectNonDecreasing(fractions);

    expect(result).toMatchObject({
      type: 'clip',
      status: 'ready',
      mime: 'video/mp4',
      sourceImageId: image.result.id,
      motion: 'zoom_in',
      durationSeconds: 3,
    });
    const stored = await storedHash(result.storageKey!);
    expect(stored.sha256).toBe(result.sha256);
    const probe = await ffprobe(stored.copy);
    const video = probe.streams.find((s) => s.codec_type === 'video')!;
    expect([video.codec_name, video.width, video.height]).toEqual(['h264', 1920, 1080]);
    expect(Number(probe.format.duration)).toBeCloseTo(3, 1);
  });

  it('generateMusic stores the track with its beats, found once from the stored file', async () => {
    const assetId = randomUUID();
    const { result } = await runActivity(() =>
      real.activities.generateMusic({
        sessionId,
        assetId,
        genre: 'upbeat',
        durationSeconds: 12,
        seed: 5,
      }),
    );
    const stored = await storedHash(result.storageKey!);
    const found = await beatGridOf(stored.copy, real.root);
    expect(result.beats?.length).toBeGreaterThanOrEqual(12);
    expect(result.beats).toEqual(found.beats.map((t) => Math.round(t * 1000) / 1000));
    expectNonDecreasing(result.beats!);
    expect(result.beats!.at(-1)).toBeLessThanOrEqual(12);
  });

  it('renderVideo heartbeats its progress and stores an 8-12 s 1080p final ad', async () => {
    const assetId = randomUUID();
    const { result, beats } = await runActivity(() =>
      real.activities.renderVideo(renderInput(assetId)),
    );

    const fractions = fractionsOf(beats);
    expect(fractions[0]).toBe(0);
    expect(
      fractions.some((f) => f! > 0 && f! < 1),
      fractions.join(', '),
    ).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expectNonDecreasing(fractions);

    const key = `sessions/${sessionId}/final/${assetId}.mp4`;
    expect(result).toMatchObject({
      id: assetId,
      type: 'final',
      status: 'ready',
      storageKey: key,
      mime: 'video/mp4',
      width: 1920,
      height: 1080,
    });
    expect(result.durationSeconds).toBeGreaterThanOrEqual(8);
    expect(result.durationSeconds).toBeLessThanOrEqual(12);

    expect(await real.storage.head(key)).toEqual({ bytes: result.bytes, contentType: 'video/mp4' });
    const stored = await storedHash(key);
    expect(stored.sha256).toBe(result.sha256);
    const probe = await ffprobe(stored.copy);
    const video = probe.streams.find((s) => s.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([1920, 1080]);
    expect(Number(probe.format.duration)).toBeCloseTo(result.durationSeconds!, 1);

    // Its video's parts, one per clip and one more, kept beside it for the session's re-renders.
    const finals = await readdir(join(real.root, 'storage', 'sessions', sessionId, 'final'));
    const parts = finals
      .map((name) => `sessions/${sessionId}/final/${name}`)
      .filter((key) => isPartKey(key));
    expect(parts).toHaveLength(clips.length + 1);
    expect(finals.filter((name) => name.startsWith('part-'))).toHaveLength(parts.length);

    // Its poster frame, a 1920x1080 JPEG beside the video, for the player and the sessions list.
    expect(result.posterKey).toBe(`sessions/${sessionId}/final/${assetId}.jpg`);
    expect(await real.storage.head(result.posterKey!)).toMatchObject({ contentType: 'image/jpeg' });
    const poster = await storedHash(result.posterKey!);
    const frame = (await ffprobe(poster.copy)).streams[0]!;
    expect([frame.width, frame.height]).toEqual([1920, 1080]);
  });

  it('cancelling renderVideo kills its ffmpeg and removes its scratch folder', async () => {
    const assetId = randomUUID();
    const env = new MockActivityEnvironment();
    const fractions: Array<number | undefined> = [];
    env.on('heartbeat', (details: HeartbeatDetails) => fractions.push(details.fraction));
    const ffmpegRunning = new Promise<void>((resolve) => {
      const onBeat = (details: HeartbeatDetails) => {
        if (details.fraction === undefined || details.fraction <= 0 || details.fraction >= 1) {
          return;
        }
        env.off('heartbeat', onBeat);
        resolve();
      };
      env.on('heartbeat', onBeat);
    });
    // Another session's render: this session's parts, stored by the render above, would leave
    // nothing to encode and so nothing to cancel.
    const otherSession = `${sessionId}-cancelled`;
    const rendering = env.run<[], AssetView, () => Promise<AssetView>>(() =>
      real.activities.renderVideo({ ...renderInput(assetId), sessionId: otherSession }),
    );
    await Promise.race([
      ffmpegRunning,
      rendering.then(() => {
        throw new Error('the render finished before it could be cancelled');
      }),
    ]);

    // Mid-render: ffmpeg is writing this asset inside the activity's scratch folder.
    expect(processesMentioning(assetId)).not.toEqual([]);
    const scratch = await readdir(real.deps.workDir);
    expect(scratch).toHaveLength(1);
    expect(scratch[0]).toMatch(/^render-/);

    env.cancel();
    await expect(rendering).rejects.toBeInstanceOf(CancelledFailure);

    // runFfmpeg waits for the killed process to close before rejecting: nothing may remain.
    expect(processesMentioning(assetId)).toEqual([]);
    // Killed, not left to finish: ffmpeg never reported the end of the ad.
    expect(fractions, fractions.join(', ')).not.toContain(1);
    expect(await readdir(real.deps.workDir)).toEqual([]);
    expect(await real.storage.head(`sessions/${otherSession}/final/${assetId}.mp4`)).toBeNull();
  });

  it('planScenes writes a voiceover for the session’s length; generateVoice speaks it to a stored track', async () => {
    const images = plan.shots.map((shot, i) => ({
      id: `image-${i}`,
      view: shot.view,
      prompt: shot.prompt,
      role: shot.role,
    }));
    const planFor = async (durationSeconds: number) =>
      (
        await runActivity(() =>
          real.activities.planScenes({
            sessionId,
            videoPrompt: 'slow zoom',
            product: plan.product,
            style: plan.style,
            images,
            durationSeconds,
          }),
        )
      ).result.voiceover!;
    const short = await planFor(8);
    const long = await planFor(30);
    expect(countUnits(long.script, 'en')).toBeGreaterThan(countUnits(short.script, 'en'));
    expect(scriptFit(short.script, 8, 'en').fits).toBe(true);

    const { result, beats } = await runActivity(() =>
      real.activities.generateVoice({
        sessionId,
        assetId: randomUUID(),
        script: short.script,
        voiceId: 'local-en-rms',
        language: 'en',
        durationSeconds: 8,
      }),
    );
    expect(result).toMatchObject({
      type: 'voice',
      status: 'ready',
      mime: 'audio/flac',
      costUsd: 0,
    });
    expect(result.cues!.map((c) => c.text)).toEqual(splitPhrases(short.script, 'en'));
    expect(fractionsOf(beats).at(-1)).toBe(1);
    const stored = await storedHash(result.storageKey!);
    expect(stored.sha256).toBe(result.sha256);
    const probe = await ffprobe(stored.copy);
    expect(Number(probe.format.duration)).toBeCloseTo(8, 1);
  });

  it('a retried generateImage overwrites the same key with the same bytes', async () => {
    const key = image.result.storageKey!;
    // A stale object under the key (e.g. from an attempt that died mid-upload).
    const junk = join(real.root, 'junk.png');
    await sharp({
      create: { width: 8, height: 8, channels: 3, background: '#000000' },
    })
      .png()
      .toFile(junk);
    await real.storage.putFile(key, junk, 'image/png');
    expect((await storedHash(key)).sha256).not.toBe(image.result.sha256);

    const retried = await runActivity(() => real.activities.generateImage(imageInput));
    expect(retried.result.storageKey).toBe(key);
    expect(retried.result.sha256).toBe(image.result.sha256);
    expect(retried.result.bytes).toBe(image.result.bytes);
    const stored = await storedHash(key);
    expect(stored.sha256).toBe(image.result.sha256);
  });
});

describe('record activities', () => {
  const now = new Date().toISOString();
  let userId: string;
  /** A session and an image that exist before each test, so the tests stand alone. */
  const sessionId = `session-${randomUUID()}`;
  const boardImageId = randomUUID();

  beforeAll(async () => {
    const user = await database.db.user.create({
      data: {
        email: `records-${randomUUID()}@example.com`,
        name: 'Records',
        passwordHash: 'not-a-real-hash',
      },
    });
    userId = user.id;
    await database.db.session.create({
      data: {
        id: sessionId,
        userId,
        title: 'Fixture',
        stage: 'generating_images',
        productPrompt: 'pink tennis shoes',
        budgetUsd: 10,
      },
    });
    await database.db.asset.create({
      data: { id: boardImageId, sessionId, type: 'image', status: 'ready' },
    });
  });

  const imageAsset = (id: string): AssetView => ({
    id,
    type: 'image',
    status: 'ready',
    storageKey: `sessions/${sessionId}/images/${id}.png`,
    mime: 'image/png',
    bytes: 1234,
    sha256: 'a'.repeat(64),
    width: 1920,
    height: 1080,
    provider: 'local',
    model: 'local/studio-image-v1',
    prompt: 'front view of pink tennis shoes',
    seed: 42,
    costUsd: 0.04,
    generationMs: 321,
    view: 'front',
  });

  it('syncSession twice leaves one session row', async () => {
    const id = `session-${randomUUID()}`;
    const state: SessionState = {
      sessionId: id,
      userId,
      title: 'Pink tennis shoes',
      stage: 'awaiting_image_approval',
      progress: { done: 1, total: 1, fraction: 1 },
      options: {
        imageCount: 4,
        aspectRatio: '16:9',
        budgetUsd: 10,
        tier: 'standard',
        provider: 'local',
      },
      productPrompt: 'pink tennis shoes',
      seed: 42,
      shots: [{ view: 'front', prompt: 'front view of pink tennis shoes' }],
      images: [imageAsset(randomUUID())],
      clips: [],
      approvedImageIds: [],
      approvedClipIds: [],
      costs: { totalUsd: 0.04, byStage: { generating_images: 0.04 } },
      version: 3,
      createdAt: now,
      updatedAt: now,
    };
    await real.activities.syncSession(state);
    await real.activities.syncSession(state);
    const rows = await database.db.session.findMany({ where: { id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId, stage: 'awaiting_image_approval', seed: 42n });
  });

  it('recordAsset twice leaves one asset row', async () => {
    const asset = imageAsset(randomUUID());
    await real.activities.recordAsset({ sessionId, asset });
    await real.activities.recordAsset({ sessionId, asset });
    const rows = await database.db.asset.findMany({ where: { id: asset.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sessionId, type: 'image', status: 'ready', bytes: 1234 });
  });

  it('stores seeds past 2^31 (32-bit unsigned seeds from planners and providers)', async () => {
    const asset = { ...imageAsset(randomUUID()), seed: 4_294_967_295 };
    await real.activities.recordAsset({ sessionId, asset });
    const row = await database.db.asset.findUniqueOrThrow({ where: { id: asset.id } });
    expect(row.seed).toBe(4_294_967_295n);
  });

  it('recordCost twice with one idempotency key leaves one cost row', async () => {
    const entry = {
      sessionId,
      stage: 'generating_images',
      agent: 'image',
      provider: 'local',
      model: 'local/studio-image-v1',
      costUsd: 0.04,
      durationMs: 321,
      success: true,
      idempotencyKey: `${sessionId}:${randomUUID()}`,
    };
    await real.activities.recordCost(entry);
    await real.activities.recordCost(entry);
    const rows = await database.db.generationCost.findMany({
      where: { idempotencyKey: entry.idempotencyKey },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sessionId, agent: 'image', success: true });
    expect(Number(rows[0]!.costUsd)).toBe(0.04);
  });

  it('addToMoodBoard twice leaves one mood-board row', async () => {
    await real.activities.addToMoodBoard({ userId, assetIds: [boardImageId] });
    await real.activities.addToMoodBoard({ userId, assetIds: [boardImageId] });
    const rows = await database.db.moodBoardItem.findMany({ where: { userId } });
    expect(rows.map((row) => row.assetId)).toEqual([boardImageId]);
  });
});
