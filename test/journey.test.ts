import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe } from '../activities/media/ffmpeg';
import { actionUpdates } from '../workflows/messages';
import { startSession, waitForState } from '../workflows/client';
import { createRealActivities } from './support/activities';
import { createTestDatabase } from './support/database';
import { createUser } from './support/api';
import { sessionInput, startTestWorker } from './support/worker';

/**
 * The whole journey on the local studio with real media: prompt → 4 images → approve 2 with a
 * video prompt → 2 clips → approve them in reverse order → compose with music → final MP4.
 */
describe('a whole session on the local studio', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let real: Awaited<ReturnType<typeof createRealActivities>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let userId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    userId = (await createUser(database.db, 'journey@example.com', 'password-123')).id;
    real = await createRealActivities(database.db);
    worker = await startTestWorker(real.activities);
  });
  afterAll(async () => {
    await worker.stop();
    await database.drop();
  });

  it('goes from a prompt to a finished 1080p ad, recording everything', async () => {
    const input = sessionInput(userId, worker.renderTaskQueue);
    const handle = await startSession(worker.client, worker.taskQueue, input);

    const images = await waitForState(handle, (s) => s.stage === 'awaiting_image_approval');
    expect(images.images).toHaveLength(4);
    expect(images.images.map((i) => i.view)).toEqual(['front', 'side', 'back', 'top']);
    expect(images.images.every((i) => i.status === 'ready' && i.storageKey && i.sha256)).toBe(true);
    expect(images.style?.palette.length).toBeGreaterThan(0);
    expect(images.product?.colourName).toBe('pink');

    const chosen = [images.images[0]!.id, images.images[3]!.id];
    const afterApproval = await handle.executeUpdate(actionUpdates.approveImages, {
      args: [{ imageIds: chosen, videoPrompt: 'slow zoom, soft light sweep' }],
    });
    expect(afterApproval.stage).toBe('planning_scenes');

    const clips = await waitForState(handle, (s) => s.stage === 'awaiting_clip_approval');
    expect(clips.clips).toHaveLength(2);
    // In beat order, not the order of approval: the top view hooks, the front view closes.
    expect(clips.clips.map((c) => c.sourceImageId)).toEqual([chosen[1], chosen[0]]);
    expect(clips.clips.map((c) => c.role)).toEqual(['hook', 'call_to_action']);
    for (const clip of clips.clips) {
      expect(clip.durationSeconds).toBeCloseTo(3, 1);
      expect(clip.width).toBe(1920);
    }

    const order = [clips.clips[1]!.id, clips.clips[0]!.id];
    await handle.executeUpdate(actionUpdates.approveClips, { args: [{ clipIds: order }] });
    const composed = await handle.executeUpdate(actionUpdates.compose, {
      args: [
        {
          productName: 'Aero Pink',
          callToAction: "Shop now — it's 20% off",
          colors: { primary: '#1d1d1f', accent: '#ff5fa2', text: '#ffffff' },
          music: { enabled: true, genre: 'upbeat' },
        },
      ],
    });
    expect(composed.stage).toBe('generating_music');

    const done = await waitForState(handle, (s) => s.stage === 'completed', { timeoutMs: 180_000 });
    expect(done.approvedClipIds).toEqual(order);
    expect(done.music?.genre).toBe('upbeat');
    const final = done.final!;
    expect(final.status).toBe('ready');
    // A finished ad's workflow completes; the session lives on in its row (api/stored-sessions.ts).
    expect((await handle.result()).stage).toBe('completed');

    const localCopy = join(real.root, 'final.mp4');
    await real.storage.getToFile(final.storageKey!, localCopy);
    const probe = await ffprobe(localCopy);
    const video = probe.streams.find((s) => s.codec_type === 'video')!;
    const audio = probe.streams.find((s) => s.codec_type === 'audio')!;
    expect([video.codec_name, video.width, video.height, video.pix_fmt]).toEqual([
      'h264',
      1920,
      1080,
      'yuv420p',
    ]);
    expect(video.r_frame_rate).toBe('30/1');
    expect(audio.codec_name).toBe('aac');
    const seconds = Number(probe.format.duration);
    expect(seconds).toBeGreaterThanOrEqual(8);
    expect(seconds).toBeLessThanOrEqual(12);
    expect(Number(probe.format.size)).toBeLessThan(15 * 1024 * 1024);

    // The database is the index: session row, every asset, the cost ledger, the mood board.
    const row = await database.db.session.findUniqueOrThrow({ where: { id: input.sessionId } });
    expect(row.stage).toBe('completed');
    expect(row.finalAssetId).toBe(final.id);
    expect(row.state).toMatchObject({ stage: 'completed', final: { id: final.id } });
    const assets = await database.db.asset.groupBy({
      by: ['type'],
      where: { sessionId: input.sessionId, status: 'ready' },
      _count: true,
    });
    expect(Object.fromEntries(assets.map((a) => [a.type, a._count]))).toEqual({
      image: 4,
      clip: 2,
      music: 1,
      final: 1,
    });
    const costs = await database.db.generationCost.findMany({
      where: { sessionId: input.sessionId },
    });
    expect(costs.filter((c) => c.agent === 'image')).toHaveLength(4);
    expect(costs.filter((c) => c.agent === 'clip')).toHaveLength(2);
    expect(costs.every((c) => c.success)).toBe(true);
    const board = await database.db.moodBoardItem.findMany({ where: { userId } });
    expect(board.map((b) => b.assetId).sort()).toEqual([...chosen].sort());

    // Progress reached the session's room while assets were made.
    const events = real.published.filter((p) => p.sessionId === input.sessionId);
    expect(events.some((e) => e.event === 'session:progress')).toBe(true);
    expect(events.some((e) => e.event === 'session:state')).toBe(true);

    if (process.env.RECORD_HISTORY) {
      // Temporal's JSON form, as `temporal workflow show --output json` writes it.
      await writeFile(process.env.RECORD_HISTORY, historyToJSON(await handle.fetchHistory()));
    }
  });
});
