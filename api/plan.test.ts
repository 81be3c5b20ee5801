import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, tokenFor } from '../test/support/api';
import { REVIEW_STYLE, reviewReady, uploadProductPhoto } from '../test/support/plan-review';
import { createTestStudio } from '../test/support/studio';
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

  const upload = (token: string, colour: string) =>
    uploadProductPhoto(studio.api.app, token, colour);
  const handleOf = (id: string) =>
    studio.worker.client.workflow.getHandle<typeof sessionWorkflow>(id);
  // The review as the page gets it: the row the worker writes just after the state moves.
  const reviewReadyOf = (id: string, notCutout?: string) =>
    reviewReady(handleOf(id), { db: studio.database.db, notCutout });
  const style = REVIEW_STYLE;

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
    const review = await reviewReadyOf(id);
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
    const again = await reviewReadyOf(id, review.productCutout!.id);
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
