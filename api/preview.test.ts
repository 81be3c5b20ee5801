import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, tokenFor } from '../test/support/api';
import { createTestStudio } from '../test/support/studio';
import { waitForState } from '../workflows/client';
import type { sessionWorkflow } from '../workflows/session';
import type { SessionView } from './routes/sessions';

/** POST /sessions/{id}/preview: stills in the session's shape, for its owner only. */
describe('preview route', () => {
  let studio: Awaited<ReturnType<typeof createTestStudio>>;
  let alice: string;
  let bob: string;
  let sessionId: string;

  const call = (token: string, path: string, body: unknown) =>
    studio.api.app.request(`/api${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const BODY = {
    productName: 'Aero',
    callToAction: 'Shop now',
    tagline: 'Light.',
    colors: { primary: '#14213d', accent: '#fca311', text: '#ffffff' },
  };

  beforeAll(async () => {
    studio = await createTestStudio();
    const a = await createUser(studio.database.db, 'alice@example.com', 'password-123', 'Alice');
    const b = await createUser(studio.database.db, 'bob@example.com', 'password-123', 'Bob');
    alice = await tokenFor(studio.database.db, a);
    bob = await tokenFor(studio.database.db, b);
    const created = await call(alice, '/sessions', {
      productPrompt: 'pink tennis shoes',
      imageCount: 4,
      aspectRatio: '9:16',
    });
    sessionId = ((await created.json()) as SessionView).sessionId;
    const handle = studio.worker.client.workflow.getHandle<typeof sessionWorkflow>(sessionId);
    await waitForState(handle, (s) => s.stage === 'awaiting_image_approval');
  });
  afterAll(() => studio.close());

  it('returns the intro, lower third and outro as tall JPEG stills for a 9:16 session', async () => {
    const response = await call(alice, `/sessions/${sessionId}/preview`, BODY);
    expect(response.status).toBe(200);
    const preview = (await response.json()) as Record<string, string | number>;
    expect(preview.height).toBeGreaterThan(preview.width as number);
    for (const name of ['introTitle', 'lowerThird', 'outro']) {
      const url = String(preview[name]);
      expect(url.startsWith('data:image/jpeg;base64,')).toBe(true);
      const meta = await sharp(Buffer.from(url.split(',')[1]!, 'base64')).metadata();
      expect([meta.width, meta.height]).toEqual([preview.width, preview.height]);
    }
  });

  it('is drawn by a worker: with none serving the render queue, the API answers 503 at the deadline (issue 15)', async () => {
    const idle = await studio.apiWith({
      PREVIEW_TIMEOUT: '1s',
      TEMPORAL_RENDER_TASK_QUEUE: `nobody-polls-${sessionId}`,
    });
    try {
      const response = await idle.app.request(`/api/sessions/${sessionId}/preview`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
        body: JSON.stringify(BODY),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: 'The studio is busy drawing other work. Try the preview again in a moment.',
        },
      });
    } finally {
      await idle.close();
    }
  });

  it('refuses bad colours at the edge and hides other people’s sessions', async () => {
    const bad = await call(alice, `/sessions/${sessionId}/preview`, {
      ...BODY,
      colors: { ...BODY.colors, text: 'red' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe(
      'VALIDATION_FAILED',
    );
    const foreign = await call(bob, `/sessions/${sessionId}/preview`, BODY);
    expect(foreign.status).toBe(404);
  });
});
