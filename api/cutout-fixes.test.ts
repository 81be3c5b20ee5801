import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, tokenFor } from '../test/support/api';
import { reviewReady } from '../test/support/plan-review';
import { createTestStudio } from '../test/support/studio';
import type { sessionWorkflow } from '../workflows/session';
import type { SessionView } from './routes/sessions';

/**
 * Fixing the product cutout over HTTP: marks on the photo (`POST /sessions/{id}/plan/cutout`)
 * checked at the edge with stable codes, and a transparent PNG uploaded as the cutout
 * (`purpose=cutout`), checked to really free the product.
 */
describe('cutout fixes over HTTP', () => {
  let studio: Awaited<ReturnType<typeof createTestStudio>>;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    studio = await createTestStudio();
    const db = studio.database.db;
    alice = await tokenFor(db, await createUser(db, 'alice@example.com', 'password-123', 'Alice'));
    bob = await tokenFor(db, await createUser(db, 'bob@example.com', 'password-123', 'Bob'));
  });
  afterAll(() => studio.close());

  const call = (token: string, method: string, path: string, body?: unknown) =>
    studio.api.app.request(`/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const error = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;

  const upload = (token: string, bytes: Buffer, type: string, purpose?: string) => {
    const form = new FormData();
    form.append('file', new File([new Uint8Array(bytes)], 'product', { type }));
    if (purpose) form.append('purpose', purpose);
    return studio.api.app.request('/api/uploads', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
  };
  /** A 300 × 300 image: a 100 × 140 product on a backdrop (transparent when `alpha` is 0). */
  const picture = async (backdropAlpha: number, format: 'png' | 'jpeg' = 'png') => {
    const input = await sharp({
      create: { width: 100, height: 140, channels: 4, background: '#204060ff' },
    })
      .png()
      .toBuffer();
    const image = sharp({
      create: {
        width: 300,
        height: 300,
        channels: 4,
        background: { r: 245, g: 245, b: 245, alpha: backdropAlpha },
      },
    }).composite([{ input, left: 100, top: 80 }]);
    return (format === 'png' ? image.png() : image.jpeg()).toBuffer();
  };

  it('takes a transparent PNG as the cutout only when its alpha frees the product', async () => {
    const bad: Array<[Buffer, string, RegExp]> = [
      [await picture(1, 'jpeg'), 'image/jpeg', /must be a PNG with a transparent background/],
      [
        await sharp(await picture(1))
          .removeAlpha()
          .png()
          .toBuffer(),
        'image/png',
        /has no transparency/,
      ],
      [await picture(1), 'image/png', /hardly transparent anywhere/],
      [
        await sharp({
          create: { width: 200, height: 200, channels: 4, background: '#00000000' },
        })
          .png()
          .toBuffer(),
        'image/png',
        /almost entirely transparent/,
      ],
    ];
    for (const [bytes, type, message] of bad) {
      const response = await upload(alice, bytes, type, 'cutout');
      expect(response.status).toBe(422);
      const body = await error(response);
      expect(body.code).toBe('MEDIA_INVALID');
      expect(body.message).toMatch(message);
    }
    // The same opaque PNG is a fine product photo; a real cutout is a fine cutout.
    expect((await upload(alice, await picture(1), 'image/png')).status).toBe(201);
    expect((await upload(alice, await picture(0), 'image/png', 'cutout')).status).toBe(201);
    const unknown = await upload(alice, await picture(0), 'image/png', 'sticker');
    expect(unknown.status).toBe(400);
    expect((await error(unknown)).code).toBe('VALIDATION_FAILED');
  });

  it('redoes the cutout with marks on the photo; bad marks get stable codes', async () => {
    const photo = await upload(alice, await picture(1), 'image/png');
    const { photoKey } = (await photo.json()) as { photoKey: string };
    const created = await call(alice, 'POST', '/sessions', {
      productPrompt: 'navy leather bag',
      imageCount: 4,
      productPhotoKey: photoKey,
      reviewPlan: true,
    });
    expect(created.status).toBe(201);
    const { sessionId: id } = (await created.json()) as SessionView;
    const handle = studio.worker.client.workflow.getHandle<typeof sessionWorkflow>(id);
    // The review as the page gets it: the row the worker writes just after the state moves.
    const reviewOf = (notCutout?: string) =>
      reviewReady(handle, { db: studio.database.db, notCutout });
    const review = await reviewOf();
    expect(review.stage).toBe('awaiting_plan_approval');

    // The page gets the photo to mark on, and where the cutout sits in it.
    const got = (await (await call(alice, 'GET', `/sessions/${id}`)).json()) as SessionView;
    expect(got.productPhotoUrl).toMatch(/^\/api\/files\/uploads\//);
    const box = got.productCutout!.productBox!;
    expect(box.x).toBeCloseTo(100 / 300, 1);
    expect(box.w).toBeCloseTo(100 / 300, 1);

    const refine = (body: unknown, token = alice) =>
      call(token, 'POST', `/sessions/${id}/plan/cutout`, body);
    const bad: Array<[unknown, string]> = [
      [{}, 'Mark what to keep or drop, or draw a box around the product.'],
      [{ drop: [{ x: 2, y: 0.5 }] }, 'drop.0.x: A mark must lie on the photo.'],
      [{ keep: 'here' }, 'keep: Invalid input: expected array, received string'],
      [
        { drop: Array.from({ length: 21 }, () => ({ x: 0.1, y: 0.1 })) },
        'drop: Place at most 20 marks on what to drop.',
      ],
      [{ box: { x: 0.6, y: 0, w: 0.6, h: 0.5 } }, 'box: The box must lie on the photo.'],
    ];
    for (const [body, message] of bad) {
      const response = await refine(body);
      expect(response.status).toBe(400);
      expect(await error(response)).toMatchObject({ code: 'VALIDATION_FAILED', message });
    }
    const foreign = await refine({ drop: [{ x: 0.1, y: 0.1 }] }, bob);
    expect(foreign.status).toBe(404);

    const marked = await refine({ box: { x: 0.3, y: 0.2, w: 0.4, h: 0.6 } });
    expect(marked.status).toBe(200);
    const answer = (await marked.json()) as SessionView;
    expect(answer.stage).toBe('awaiting_plan_approval');
    expect(answer.cutoutHints?.box).toEqual({ x: 0.3, y: 0.2, w: 0.4, h: 0.6 });
    const again = await reviewOf(review.productCutout!.id);
    expect(again.stage).toBe('awaiting_plan_approval');
    expect(again.productCutout?.cutoutQuality?.verdict).not.toBe('refused');

    // Once the images are being made, the cutout is settled.
    const accepted = await call(alice, 'POST', `/sessions/${id}/plan/approve`, {
      style: {
        lighting: 'soft',
        camera: '50mm',
        mood: 'calm',
        grade: 'clean',
        backdrop: 'oak',
        palette: ['#ffffff', '#204060'],
      },
    });
    expect(accepted.status).toBe(200);
    const late = await refine({ drop: [{ x: 0.1, y: 0.1 }] });
    expect(late.status).toBe(409);
    expect(await error(late)).toMatchObject({ code: 'INVALID_STATE' });
  });
});
