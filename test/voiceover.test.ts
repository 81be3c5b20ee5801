import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureLoudness } from '../activities/media/loudness';
import type { SessionState } from '../core/session';
import { splitPhrases } from '../core/voice-script';
import { startSession, updateResumingSession, waitForState } from '../workflows/client';
import type { SessionWorkflowInput } from '../workflows/session';
import { actionUpdates } from '../workflows/messages';
import { createRealActivities } from './support/activities';
import { createUser } from './support/api';
import { createTestDatabase } from './support/database';
import { saveHistories } from './support/histories';
import { TEST_OPTIONS, sessionInput, startTestWorker } from './support/worker';

/**
 * A whole 9:16 session on the local studio whose ad speaks: the planner writes a script that fits
 * the 10 s ad, the composition keeps it with an English voice, the render mixes the voice over
 * ducked music with captions, and the captions are stored as .srt and .vtt beside the MP4.
 * Composing again with the same words reuses the voice; another language speaks anew.
 */
describe('a session with a voiceover', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let real: Awaited<ReturnType<typeof createRealActivities>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let userId: string;
  const started: Array<{ test: string; sessionId: string }> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    userId = (await createUser(database.db, 'voice@example.com', 'password-123')).id;
    real = await createRealActivities(database.db);
    worker = await startTestWorker(real.activities);
  });
  afterAll(async () => {
    await saveHistories(worker.client, 'voice', started);
    await worker.stop();
    await database.drop();
  });

  const composition = (voice: { enabled: boolean; script: string; voiceId?: string }) => ({
    productName: 'Aero Pink',
    callToAction: 'Shop now',
    colors: { primary: '#1d1d1f', accent: '#ff5fa2', text: '#ffffff' },
    music: { enabled: true, genre: 'upbeat' as const },
    voice,
  });

  it(
    'speaks the planner’s script over ducked music, with captions and their sidecars',
    { timeout: 420_000 },
    async () => {
      const input = sessionInput(userId, worker.renderTaskQueue, {
        options: { ...TEST_OPTIONS, aspectRatio: '9:16', durationSeconds: 10 },
      });
      started.push({ test: 'speaks the planner script', sessionId: input.sessionId });
      const handle = await startSession(worker.client, worker.taskQueue, input);
      const images = await waitForState(handle, (s) => s.stage === 'awaiting_image_approval', {
        timeoutMs: 180_000,
      });
      await handle.executeUpdate(actionUpdates.approveImages, {
        args: [{ imageIds: images.images.slice(0, 2).map((i) => i.id), videoPrompt: 'slow zoom' }],
      });
      const clips = await waitForState(handle, (s) => s.stage === 'awaiting_clip_approval', {
        timeoutMs: 180_000,
      });
      // The planner wrote the voiceover with the scenes, fitted to the ad.
      const draft = clips.voiceover!;
      expect(draft.language).toBe('en');
      expect(draft.script).toMatch(/^Pink tennis shoes|^Meet|^Ready|^This/);
      await handle.executeUpdate(actionUpdates.approveClips, {
        args: [{ clipIds: clips.clips.map((c) => c.id) }],
      });

      // A script too long for 10 s is refused before anything is made.
      const refused = await handle
        .executeUpdate(actionUpdates.compose, {
          args: [composition({ enabled: true, script: Array(60).fill('buy').join(' ') })],
        })
        .then(
          () => undefined,
          (error: Error) => error.cause as { type?: string; message?: string } | undefined,
        );
      expect(refused).toMatchObject({ type: 'VALIDATION_FAILED' });
      expect(refused?.message).toMatch(/room for about/);

      await handle.executeUpdate(actionUpdates.compose, {
        args: [composition({ enabled: true, script: draft.script })],
      });
      const done = await waitForState(handle, (s) => s.stage === 'completed', {
        timeoutMs: 240_000,
      });
      const voice = done.voice!;
      expect(voice).toMatchObject({
        type: 'voice',
        status: 'ready',
        voiceId: 'local-en-slt',
        language: 'en',
        prompt: draft.script,
        costUsd: 0,
      });
      expect(voice.cues!.map((c) => c.text)).toEqual(splitPhrases(draft.script, 'en'));
      expect(voice.cues![0]!.startSeconds).toBeLessThan(0.5);

      const final = done.final!;
      expect(final.captionKeys).toBeDefined();
      const srt = join(real.root, 'captions.srt');
      await real.storage.getToFile(final.captionKeys!.srt, srt);
      const subtitles = await readFile(srt, 'utf8');
      expect(subtitles.match(/-->/g)).toHaveLength(voice.cues!.length);
      expect(subtitles).toContain(voice.cues![0]!.text);
      const vtt = join(real.root, 'captions.vtt');
      await real.storage.getToFile(final.captionKeys!.vtt, vtt);
      expect((await readFile(vtt, 'utf8')).startsWith('WEBVTT')).toBe(true);

      const video = join(real.root, 'voice-final.mp4');
      await real.storage.getToFile(final.storageKey!, video);
      const loudness = await measureLoudness(video);
      expect(Math.abs(loudness.integratedLufs + 16)).toBeLessThanOrEqual(1);
      expect(loudness.truePeakDbtp).toBeLessThanOrEqual(-1.5);
      expect(final.loudness?.voiceToMusicDb).toBeGreaterThanOrEqual(10);
      const ledger = await database.db.generationCost.findMany({
        where: { sessionId: input.sessionId, agent: 'voice' },
      });
      expect(ledger).toHaveLength(1);

      // The same words again: the voice is reused, not spoken again.
      const again = await nextRender(
        input,
        done,
        composition({ enabled: true, script: draft.script }),
      );
      expect(again.voice?.id).toBe(voice.id);

      // Another language: spoken anew by the voice for it, the old one retired.
      const german = 'Leicht wie Luft. Jetzt kaufen.';
      const inGerman = await nextRender(
        input,
        again,
        composition({ enabled: true, script: german }),
      );
      expect(inGerman.voice).toMatchObject({ language: 'de', voiceId: 'local-de', prompt: german });
      const retired = await database.db.asset.findUniqueOrThrow({ where: { id: voice.id } });
      expect(retired.status).toBe('replaced');

      // Voice off: the ad has music only and no captions.
      const silent = await nextRender(
        input,
        inGerman,
        composition({ enabled: false, script: german }),
      );
      expect(silent.final?.captionKeys).toBeUndefined();
    },
  );

  /**
   * Composes again and waits for the new final ad. A completed session's run has closed, so its
   * next action starts a new run from its state, as the API does (updateResumingSession).
   */
  async function nextRender(
    input: SessionWorkflowInput,
    before: SessionState,
    args: ReturnType<typeof composition>,
  ) {
    await updateResumingSession(
      worker.client,
      worker.taskQueue,
      { ...input, resume: before },
      actionUpdates.compose,
      args,
    );
    return waitForState(
      worker.client.workflow.getHandle(before.sessionId),
      (s) => s.stage === 'completed' && s.final?.id !== before.final?.id,
      { timeoutMs: 180_000 },
    );
  }
});
