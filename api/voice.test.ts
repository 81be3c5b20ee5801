import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe } from '../activities/media/ffmpeg';
import { createUser, tokenFor } from '../test/support/api';
import { createTestStudio } from '../test/support/studio';
import { waitForState } from '../workflows/client';
import type { sessionWorkflow } from '../workflows/session';
import type { SessionView } from './routes/sessions';

/**
 * POST /sessions/{id}/voice/preview: a voice reads the start of a script, synthesised by the
 * worker (the API only waits), for the session's owner only; GET /voices lists the voices.
 */
describe('voice routes', () => {
  let studio: Awaited<ReturnType<typeof createTestStudio>>;
  let alice: string;
  let bob: string;
  let sessionId: string;
  let dir: string;

  const call = (token: string, path: string, body?: unknown) =>
    studio.api.app.request(`/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'voice-api-'));
    studio = await createTestStudio();
    const a = await createUser(studio.database.db, 'alice@example.com', 'password-123', 'Alice');
    const b = await createUser(studio.database.db, 'bob@example.com', 'password-123', 'Bob');
    alice = await tokenFor(studio.database.db, a);
    bob = await tokenFor(studio.database.db, b);
    const created = await call(alice, '/sessions', { productPrompt: 'pink tennis shoes' });
    sessionId = ((await created.json()) as SessionView).sessionId;
    const handle = studio.worker.client.workflow.getHandle<typeof sessionWorkflow>(sessionId);
    await waitForState(handle, (s) => s.stage === 'awaiting_image_approval');
  });
  afterAll(async () => {
    await studio.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the voices with their languages', async () => {
    const response = await call(alice, '/voices');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      voices: Array<{ id: string; language: string | null; provider: string }>;
      languages: Record<string, string>;
    };
    expect(body.voices.find((v) => v.id === 'local-en-slt')).toMatchObject({ language: 'en' });
    expect(body.languages.de).toBe('Deutsch');
  });

  it('reads the start of a script in the voice of its language, as an MP3', async () => {
    const response = await call(alice, `/sessions/${sessionId}/voice/preview`, {
      text: 'Die Zukunft des Laufens ist da. Leicht wie Luft. Jetzt kaufen.',
    });
    expect(response.status).toBe(200);
    const preview = (await response.json()) as {
      voiceId: string;
      language: string;
      audio: string;
      durationSeconds: number;
      costUsd: number;
    };
    expect(preview).toMatchObject({ voiceId: 'local-de', language: 'de', costUsd: 0 });
    expect(preview.audio.startsWith('data:audio/mpeg;base64,')).toBe(true);
    const mp3 = join(dir, 'preview.mp3');
    await writeFile(mp3, Buffer.from(preview.audio.split(',')[1]!, 'base64'));
    const audio = (await ffprobe(mp3)).streams.find((s) => s.codec_type === 'audio');
    expect(audio?.codec_name).toBe('mp3');
    expect(preview.durationSeconds).toBeGreaterThan(1);
    // Nothing entered the session: its history has no voice, its ledger no cost.
    const costs = await studio.database.db.generationCost.count({
      where: { sessionId, agent: 'voice-preview' },
    });
    expect(costs).toBe(0);
  });

  it('refuses voices the session cannot use, and hides other people’s sessions', async () => {
    const paid = await call(alice, `/sessions/${sessionId}/voice/preview`, {
      text: 'Shop now.',
      voiceId: 'replicate-wise-woman',
    });
    expect(paid.status).toBe(400);
    expect((await errorOf(paid)).message).toMatch(/not offered here/);
    const wrongLanguage = await call(alice, `/sessions/${sessionId}/voice/preview`, {
      text: 'Shop now.',
      voiceId: 'local-de',
      language: 'en',
    });
    expect(wrongLanguage.status).toBe(400);
    expect((await errorOf(wrongLanguage)).message).toMatch(/does not speak English/);
    const unknown = await call(alice, `/sessions/${sessionId}/voice/preview`, {
      text: 'Shop now.',
      voiceId: 'local-en-nobody',
    });
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).code).toBe('VALIDATION_FAILED');
    const foreign = await call(bob, `/sessions/${sessionId}/voice/preview`, { text: 'Shop now.' });
    expect(foreign.status).toBe(404);
  });
});
