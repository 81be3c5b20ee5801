import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StyleSpec } from '../core/session';
import { createUser, rowCaughtUp, tokenFor } from '../test/support/api';
import { createTestStudio } from '../test/support/studio';
import { waitForState } from '../workflows/client';
import type { sessionWorkflow } from '../workflows/session';
import type { SessionView } from './routes/sessions';

/**
 * The plan review over HTTP: the new options, accepting the plan with an edited style, and
 * replacing the product photo. Bad input gets a stable code and a readable message, never a 5xx.
 */
describe('plan review routes', () => {
  let studio: Awaited<ReturnType<typeof createTestStudio>>;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    studio = await createTestStudio();
    const db = studio.database.db;
    alice = await tokenFor(db, await createUser(db, 'alice@example.com', 'password-123', 'Alice'));
    bob = await tokenFor(db, await createUser(db, 'bob@example.com', 'password-123', 'Bob'));
  });
  afterAll(async () => {
    // This file's sessions end with it, instead of waiting at a review in the Temporal that every
    // test file shares (one of them showed issue 19's nondeterminism: test/nondeterminism/).
    const client = studio.worker.client;
    const running = client.workflow.list({
      query: `TaskQueue = '${studio.worker.taskQueue}' AND ExecutionStatus = 'Running'`,
    });
    for await (const run of running) {
      await client.workflow
        .getHandle(run.workflowId)
        .terminate('the test is over')
        .catch(() => undefined);
    }
    await studio.close();
  });

  const call = (token: string, method: string, path: string, body?: unknown) =>
    studio.api.app.request(`/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const error = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;

  /** A product on a plain backdrop, uploaded as the person would. */
  async function upload(token: string, colour: string) {
    const product = await sharp({
      create: { width: 100, height: 140, channels: 3, background: colour },
    })
      .png()
      .toBuffer();
    const photo = await sharp({
      create: { width: 300, height: 300, channels: 3, background: '#f5f5f5' },
    })
      .composite([{ input: product, left: 100, top: 80 }])
      .png()
      .toBuffer();
    const form = new FormData();
    form.append('file', new File([new Uint8Array(photo)], 'product.png', { type: 'image/png' }));
    const response = await studio.api.app.request('/api/uploads', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { photoKey: string }).photoKey;
  }

  const handleOf = (id: string) =>
    studio.worker.client.workflow.getHandle<typeof sessionWorkflow>(id);
  // The review as the page gets it: the row the worker writes just after the state moves.
  const reviewReady = async (id: string, notCutout?: string) => {
    const state = await waitForState(
      handleOf(id),
      (s) =>
        s.stage === 'failed' ||
        (s.stage === 'awaiting_plan_approval' &&
          s.productCutout?.status === 'ready' &&
          s.productCutout.id !== notCutout),
    );
    await rowCaughtUp(studio.database.db, id, state.version);
    return state;
  };

  const style: StyleSpec = {
    lighting: 'low warm sun from the left',
    camera: '85mm, eye level',
    mood: 'quiet luxury',
    grade: 'soft film grade',
    backdrop: 'linen and oak',
    palette: ['#f2e8dc', '#3b2f2f', '#c8a165'],
  };

  it('validates the new options at the edge and defaults them for scripts', async () => {
    const tooLong = await call(alice, 'POST', '/sessions', {
      productPrompt: 'oak watch',
      durationSeconds: 31,
    });
    expect(tooLong.status).toBe(400);
    expect(await error(tooLong)).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'durationSeconds: An ad is at most 30 seconds long.',
    });
    const fractional = await call(alice, 'POST', '/sessions', {
      productPrompt: 'oak watch',
      durationSeconds: 12.5,
    });
    expect(await error(fractional)).toMatchObject({ code: 'VALIDATION_FAILED' });
    const notBoolean = await call(alice, 'POST', '/sessions', {
      productPrompt: 'oak watch',
      reviewPlan: 'yes',
    });
    expect(notBoolean.status).toBe(400);
    expect(await error(notBoolean)).toMatchObject({ code: 'VALIDATION_FAILED' });

    // Without the new options a session runs as before: no review, a 10 s ad.
    const plain = await call(alice, 'POST', '/sessions', { productPrompt: 'oak watch' });
    expect(plain.status).toBe(201);
    const session = (await plain.json()) as SessionView;
    expect(session.options).toMatchObject({ reviewPlan: false, durationSeconds: 10 });
    const images = await waitForState(
      handleOf(session.sessionId),
      (s) => s.stage === 'awaiting_image_approval' || s.stage === 'failed',
    );
    expect(images.stage).toBe('awaiting_image_approval');
    // The plan's actions are refused there with the stage conflict code.
    const late = await call(alice, 'POST', `/sessions/${session.sessionId}/plan/approve`, {
      style,
    });
    expect(late.status).toBe(409);
    expect(await error(late)).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('reviews the plan: edits and a replaced photo, with bad input refused', async () => {
    const first = await upload(alice, '#204060');
    const created = await call(alice, 'POST', '/sessions', {
      productPrompt: 'navy leather bag',
      imageCount: 4,
      productPhotoKey: first,
      reviewPlan: true,
      durationSeconds: 24,
    });
    expect(created.status).toBe(201);
    const { sessionId: id } = (await created.json()) as SessionView;
    const review = await reviewReady(id);
    expect(review.stage).toBe('awaiting_plan_approval');

    const got = (await (await call(alice, 'GET', `/sessions/${id}`)).json()) as SessionView;
    expect(got.options.durationSeconds).toBe(24);
    expect(got.urls[got.productCutout!.id]).toMatch(/^\/api\/files\/sessions\//);
    expect(got.images.every((i) => i.status === 'pending' && i.role)).toBe(true);

    const approve = (body: unknown, token = alice) =>
      call(token, 'POST', `/sessions/${id}/plan/approve`, body);
    const bad: Array<[unknown, string]> = [
      [{}, 'style: Send the style: lighting, camera, mood, grade, backdrop and palette.'],
      [
        { style: { ...style, palette: '#ffffff' } },
        'style.palette: List the palette as colours like #1a2b3c.',
      ],
      [{ style: { ...style, palette: ['#ffffff'] } }, 'style.palette: Keep at least 2 colours.'],
      [
        { style: { ...style, palette: ['#fff', '#000'] } },
        'style.palette.0: Use a colour like #1a2b3c.',
      ],
      [{ style: { ...style, mood: '   ' } }, 'style.mood: Describe the mood.'],
      [{ style: { ...style, grade: 'x'.repeat(201) } }, 'style.grade: Use at most 200 characters.'],
      [
        { style, prompts: [{ imageId: '../etc', prompt: 'p' }] },
        'prompts.0.imageId: This is not a valid id.',
      ],
      [
        { style, prompts: [{ imageId: got.images[0]!.id, prompt: 'a\u0000b' }] },
        'prompts.0.prompt: Remove the control characters (such as NUL) from this text.',
      ],
    ];
    for (const [body, message] of bad) {
      const response = await approve(body);
      expect(response.status).toBe(400);
      expect(await error(response)).toMatchObject({ code: 'VALIDATION_FAILED', message });
    }
    const broken = await approve('{"style": ');
    expect(broken.status).toBe(400);
    expect(await error(broken)).toMatchObject({ code: 'VALIDATION_FAILED' });
    // The workflow's own check: an image that is not in this session.
    const unknown = await approve({ style, prompts: [{ imageId: 'nope', prompt: 'p' }] });
    expect(unknown.status).toBe(400);
    expect(await error(unknown)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'No image nope in this session.',
    });
    // Someone else's session is missing, whatever they send.
    const foreign = await approve({ style }, bob);
    expect(foreign.status).toBe(404);
    expect(await error(foreign)).toMatchObject({ code: 'NOT_FOUND' });

    const replace = (body: unknown, token = alice) =>
      call(token, 'POST', `/sessions/${id}/plan/photo`, body);
    const notAKey = await replace({ productPhotoKey: '../../etc/passwd' });
    expect(notAKey.status).toBe(400);
    expect(await error(notAKey)).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'productPhotoKey: This is not a photo from the upload step. Upload it again.',
    });
    // Bob's own upload is not Alice's photo.
    const bobs = await replace({ productPhotoKey: await upload(bob, '#aa2200') });
    expect(bobs.status).toBe(404);
    expect(await error(bobs)).toEqual({
      code: 'NOT_FOUND',
      message: 'No such photo. Upload it again.',
    });

    const second = await upload(alice, '#602040');
    const replaced = await replace({ productPhotoKey: second });
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as SessionView).productPhotoKey).toBe(second);
    const again = await reviewReady(id, review.productCutout!.id);
    expect(again.stage).toBe('awaiting_plan_approval');
    expect(again.images.every((i) => i.status === 'pending')).toBe(true);

    const edited = again.images[2]!;
    const accepted = await approve({
      style,
      prompts: [{ imageId: edited.id, prompt: 'the clasp in warm light' }],
    });
    expect(accepted.status).toBe(200);
    const after = (await accepted.json()) as SessionView;
    expect(after.stage).toBe('generating_images');
    expect(after.style).toEqual(style);
    expect(after.images.find((i) => i.id === edited.id)?.prompt).toBe('the clasp in warm light');

    // Once accepted, the plan cannot be approved again.
    const twice = await approve({ style });
    expect(twice.status).toBe(409);
    expect(await error(twice)).toMatchObject({ code: 'INVALID_STATE' });
  });
});
