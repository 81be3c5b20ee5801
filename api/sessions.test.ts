import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../db/generated/client';
import { freePort } from '../scripts/lib/ports';
import { signingWindow } from '../storage/signing';
import { createUser, rowCaughtUp, tokenFor } from '../test/support/api';
import { createTestStudio } from '../test/support/studio';
import { waitForState } from '../workflows/client';
import type { sessionWorkflow } from '../workflows/session';
import type { SessionView } from './routes/sessions';
import { SessionViewSchema } from './routes/session-schema';

/** The journey over HTTP: ownership, edge validation, the workflow's own validation, actions. */
describe('session routes', () => {
  let studio: Awaited<ReturnType<typeof createTestStudio>>;
  let database: typeof studio.database;
  let worker: typeof studio.worker;
  let api: typeof studio.api;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    studio = await createTestStudio();
    ({ database, worker, api } = studio);
    const a = await createUser(database.db, 'alice@example.com', 'password-123', 'Alice');
    const b = await createUser(database.db, 'bob@example.com', 'password-123', 'Bob');
    alice = await tokenFor(database.db, a);
    bob = await tokenFor(database.db, b);
  });
  afterAll(() => studio.close());

  const call = (token: string, method: string, path: string, body?: unknown) =>
    api.app.request(`/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /** A signed link without its signature: which file it names. */
  const pathOf = (url: string | null | undefined) => url?.split('?')[0];
  const error = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;

  async function startImages() {
    const created = await call(alice, 'POST', '/sessions', {
      productPrompt: 'pink tennis shoes',
      imageCount: 4,
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as SessionView;
    const handle = worker.client.workflow.getHandle<typeof sessionWorkflow>(session.sessionId);
    const ready = await waitForState(handle, (s) => s.stage === 'awaiting_image_approval');
    // The routes read the session's row, which a write activity fills a moment after the state.
    await rowCaughtUp(database.db, session.sessionId, ready.version);
    return { id: session.sessionId, handle, ready, session };
  }

  it('refuses a bad new session at the edge and creates nothing', async () => {
    const response = await call(alice, 'POST', '/sessions', { productPrompt: 'x', imageCount: 12 });
    expect(response.status).toBe(400);
    expect(await error(response)).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'productPrompt: Describe the product in a few words.',
    });
    expect(await database.db.session.count()).toBe(0);
  });

  it('starts a session, then serves its live state with signed URLs', async () => {
    const { id, session } = await startImages();
    expect(id).toMatch(/^session-/);
    expect(session.stage).toBe('planning_images');
    expect(session.options).toMatchObject({ imageCount: 4, provider: 'local', budgetUsd: 5 });

    const response = await call(alice, 'GET', `/sessions/${id}`);
    const state = (await response.json()) as SessionView;
    expect(response.status).toBe(200);
    expect(state.stage).toBe('awaiting_image_approval');
    expect(state.images).toHaveLength(4);
    expect(SessionViewSchema.parse(state)).toEqual(state);
    for (const image of state.images)
      expect(state.urls[image.id]).toMatch(/^\/api\/files\/sessions\/.+\?exp=\d+&sig=/);

    const list = (await (await call(alice, 'GET', '/sessions')).json()) as {
      sessions: Array<{ id: string; thumbnailUrl: string | null }>;
    };
    expect(list.sessions.map((s) => s.id)).toContain(id);
    // Nothing approved yet: the first image made stands for the session.
    const listed = list.sessions.find((s) => s.id === id)!;
    expect(pathOf(listed.thumbnailUrl)).toBe(pathOf(state.urls[state.images[0]!.id]));
  });

  it('gives the same links on every read within their signing window, so browsers cache', async () => {
    const { id } = await startImages();
    for (;;) {
      const window = signingWindow(3600).signedAt;
      const first = (await (await call(alice, 'GET', `/sessions/${id}`)).json()) as SessionView;
      const second = (await (await call(alice, 'GET', `/sessions/${id}`)).json()) as SessionView;
      if (signingWindow(3600).signedAt !== window) continue;
      expect(Object.keys(first.urls)).toHaveLength(4);
      expect(second.urls).toEqual(first.urls);
      break;
    }
  });

  it("treats another user's session as missing", async () => {
    const { id, ready } = await startImages();
    for (const [method, path, body] of [
      ['GET', `/sessions/${id}`, undefined],
      ['GET', `/sessions/${id}/costs`, undefined],
      ['POST', `/sessions/${id}/cancel`, undefined],
      [
        'POST',
        `/sessions/${id}/images/approve`,
        { imageIds: ready.images.slice(0, 2).map((i) => i.id), videoPrompt: 'x' },
      ],
    ] as const) {
      const response = await call(bob, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await error(response)).toEqual({ code: 'NOT_FOUND', message: 'No such session.' });
    }
    const list = (await (await call(bob, 'GET', '/sessions')).json()) as { sessions: unknown[] };
    expect(list.sessions).toEqual([]);
    expect((await call(alice, 'GET', `/sessions/${id}`)).status).toBe(200);
  });

  it("passes on the workflow's refusals with their codes, and its answers", async () => {
    const { id, ready } = await startImages();
    const edge = await call(alice, 'POST', `/sessions/${id}/images/approve`, {
      imageIds: [ready.images[0]!.id],
      videoPrompt: 'x',
    });
    expect(edge.status).toBe(400);
    expect((await error(edge)).message).toBe('imageIds: Choose at least two images.');

    const unknown = await call(alice, 'POST', `/sessions/${id}/images/approve`, {
      imageIds: [ready.images[0]!.id, 'not-an-image'],
      videoPrompt: 'slow zoom',
    });
    expect(unknown.status).toBe(400);
    expect(await error(unknown)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'No image not-an-image in this session.',
    });

    const early = await call(alice, 'POST', `/sessions/${id}/clips/approve`, { clipIds: ['a'] });
    expect(early.status).toBe(409);
    expect((await error(early)).code).toBe('INVALID_STATE');

    const colour = await call(alice, 'POST', `/sessions/${id}/compose`, {
      productName: 'Aero',
      callToAction: 'Buy',
      colors: { primary: 'red', accent: '#000000', text: '#ffffff' },
      music: { enabled: false, genre: 'upbeat' },
    });
    expect(colour.status).toBe(400);
    expect((await error(colour)).message).toBe('colors.primary: Use a colour like #1a2b3c.');

    const regenerated = await call(
      alice,
      'POST',
      `/sessions/${id}/images/${ready.images[2]!.id}/regenerate`,
      {},
    );
    expect(regenerated.status).toBe(200);
    // The answer is the state just after the workflow took the action: the variant is being made,
    // or (fake generation takes no time) already made.
    const answer = (await regenerated.json()) as SessionView;
    expect(answer.images.some((i) => i.variantOf === ready.images[2]!.id)).toBe(true);
    expect(['generating_images', 'awaiting_image_approval']).toContain(answer.stage);

    const paired = await waitForState(
      worker.client.workflow.getHandle(id),
      (s) => s.stage === 'awaiting_image_approval',
    );
    // The variant sits beside the old image until one of the two is kept.
    const variant = paired.images[3]!;
    expect(variant.variantOf).toBe(ready.images[2]!.id);
    const notAVariant = await call(
      alice,
      'POST',
      `/sessions/${id}/assets/${ready.images[0]!.id}/keep`,
      {},
    );
    expect(notAVariant.status).toBe(400);
    expect((await error(notAVariant)).code).toBe('VALIDATION_FAILED');
    const kept = await call(alice, 'POST', `/sessions/${id}/assets/${variant.id}/keep`, {});
    expect(kept.status).toBe(200);
    const again = await waitForState(
      worker.client.workflow.getHandle(id),
      (s) => s.stage === 'awaiting_image_approval' && s.images.length === ready.images.length,
    );
    expect(again.images[2]!.id).toBe(variant.id);

    const approved = await call(alice, 'POST', `/sessions/${id}/images/approve`, {
      imageIds: [again.images[0]!.id, again.images[2]!.id],
      videoPrompt: 'slow zoom',
    });
    expect(approved.status).toBe(200);
    const body = (await approved.json()) as SessionView;
    expect(body.stage).toBe('planning_scenes');
    expect(body.approvedImageIds).toEqual([again.images[0]!.id, again.images[2]!.id]);
  });

  it('starts a session from mood-board images, which are copied and not made again', async () => {
    const { id, ready } = await startImages();
    const chosen = [ready.images[0]!.id, ready.images[3]!.id];
    const approved = await call(alice, 'POST', `/sessions/${id}/images/approve`, {
      imageIds: chosen,
      videoPrompt: 'slow zoom',
    });
    expect(approved.status).toBe(200);
    await waitForState(
      worker.client.workflow.getHandle(id),
      (s) => s.stage === 'awaiting_clip_approval',
    );

    // Fake generation writes no files: give the chosen images real pixels.
    const dir = await mkdtemp(join(tmpdir(), 'mood-board-'));
    for (const image of [ready.images[0]!, ready.images[3]!]) {
      const png = join(dir, `${image.id}.png`);
      await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#c0ffee' } })
        .png()
        .toFile(png);
      await studio.storage.putFile(image.storageKey!, png, 'image/png');
    }

    // Another user cannot start from Alice's images; a made-up id is refused at the edge.
    const stolen = await call(bob, 'POST', '/sessions', {
      productPrompt: 'pink tennis shoes',
      moodBoardImageIds: chosen,
    });
    expect(stolen.status).toBe(404);
    expect((await error(stolen)).code).toBe('NOT_FOUND');
    const bogus = await call(alice, 'POST', '/sessions', {
      productPrompt: 'pink tennis shoes',
      moodBoardImageIds: ['../../etc/passwd'],
    });
    expect(bogus.status).toBe(400);

    const created = await call(alice, 'POST', '/sessions', {
      productPrompt: 'pink tennis shoes, again',
      imageCount: 4,
      aspectRatio: '1:1',
      moodBoardImageIds: chosen,
    });
    expect(created.status).toBe(201);
    const next = (await created.json()) as SessionView;
    const state = await waitForState(
      worker.client.workflow.getHandle(next.sessionId),
      (s) => s.stage === 'awaiting_image_approval' || s.stage === 'failed',
    );
    expect(state.lastError).toBeUndefined();
    expect(state.images).toHaveLength(4);
    const [first, second, ...made] = state.images;
    for (const copy of [first!, second!]) {
      expect(copy).toMatchObject({ provider: 'mood-board', costUsd: 0, width: 1080, height: 1080 });
      expect(copy.storageKey).toContain(`sessions/${next.sessionId}/images/`);
    }
    expect([first!.prompt, second!.prompt]).toEqual([
      ready.images[0]!.prompt,
      ready.images[3]!.prompt,
    ]);
    expect(made.map((m) => m.provider)).toEqual(['fake', 'fake']);
    // The views the copies lack are made (a front and a top were copied), not a second top.
    expect([first!.view, second!.view]).toEqual(['front', 'top']);
    expect(made.map((m) => m.view)).toEqual(['side', 'back']);
    const paid = await database.db.generationCost.count({
      where: { sessionId: next.sessionId, agent: 'image', success: true },
    });
    expect(paid).toBe(2);
  });

  it('lists the cost ledger and quotes before anything is spent', async () => {
    const { id } = await startImages();
    const costs = (await (await call(alice, 'GET', `/sessions/${id}/costs`)).json()) as {
      costs: Array<{ agent: string; success: boolean }>;
      budgetUsd: number;
    };
    expect(costs.budgetUsd).toBe(5);
    expect(costs.costs.filter((c) => c.agent === 'image' && c.success)).toHaveLength(4);
    expect(costs.costs.filter((c) => c.agent === 'planner')).toHaveLength(1);

    const quote = await call(alice, 'POST', '/quote', {
      imageCount: 6,
      clipCount: 4,
      tier: 'premium',
      music: true,
    });
    expect(await quote.json()).toEqual({
      provider: 'local',
      planner: 0,
      images: 0,
      clips: 0,
      music: 0,
      total: 0,
    });
  });

  it('limits how fast each user starts sessions, whatever address they come from', async () => {
    const limited = await studio.apiWith({ GENERATION_RATE_LIMIT_PER_MINUTE: '1' });
    const start = (token: string, address: string) =>
      limited.app.request(
        '/api/sessions',
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ productPrompt: 'blue water bottle' }),
        },
        { incoming: { socket: { remoteAddress: address } } },
      );
    expect((await start(alice, '198.51.100.1')).status).toBe(201);
    const second = await start(alice, '198.51.100.2');
    expect(second.status).toBe(429);
    expect((await error(second)).code).toBe('RATE_LIMITED');
    // Another user at the very same address has a budget of their own.
    expect((await start(bob, '198.51.100.1')).status).toBe(201);
    await limited.close();
  });

  it('cancels a session; a cancelled session refuses further actions', async () => {
    const { id, handle, ready } = await startImages();
    expect((await call(alice, 'POST', `/sessions/${id}/cancel`)).status).toBe(202);
    expect((await handle.result()).stage).toBe('cancelled');
    const late = await call(alice, 'POST', `/sessions/${id}/images/approve`, {
      imageIds: [ready.images[0]!.id, ready.images[1]!.id],
      videoPrompt: 'too late',
    });
    expect(late.status).toBe(409);
    expect(await error(late)).toEqual({
      code: 'INVALID_STATE',
      message: 'This session was cancelled. Start a new one to continue.',
    });
    const row = await database.db.session.findUniqueOrThrow({ where: { id } });
    expect(row.stage).toBe('cancelled');
    // Cancelled everywhere: the session, the list, and a second cancel.
    const read = (await (await call(alice, 'GET', `/sessions/${id}`)).json()) as SessionView;
    expect(read.stage).toBe('cancelled');
    const list = (await (await call(alice, 'GET', '/sessions')).json()) as {
      sessions: Array<{ id: string; stage: string }>;
    };
    expect(list.sessions.find((s) => s.id === id)?.stage).toBe('cancelled');
    expect((await call(alice, 'POST', `/sessions/${id}/cancel`)).status).toBe(202);
  });

  it('serves a finished session from the database, and re-renders it in a new run', async () => {
    const { id, handle, ready } = await startImages();
    const imageIds = ready.images.slice(0, 2).map((i) => i.id);
    await call(alice, 'POST', `/sessions/${id}/images/approve`, { imageIds, videoPrompt: 'pan' });
    const clips = await waitForState(handle, (s) => s.stage === 'awaiting_clip_approval');
    const clipIds = clips.clips.map((c) => c.id);
    // The approved images are on Alice's mood board, with links; Bob's board does not show them.
    const board = (await (await call(alice, 'GET', '/moodboard')).json()) as {
      items: Array<{ assetId: string; sessionId: string; url: string }>;
    };
    const onBoard = board.items.filter((item) => item.sessionId === id);
    expect(onBoard.map((i) => i.assetId).sort()).toEqual([...imageIds].sort());
    for (const item of onBoard) expect(item.url).toMatch(/^\/api\/files\/sessions\/.+\?exp=/);
    const bobs = (await (await call(bob, 'GET', '/moodboard')).json()) as typeof board;
    expect(bobs.items.filter((item) => item.sessionId === id)).toEqual([]);
    expect((await api.app.request('/api/moodboard')).status).toBe(401);
    // The order the person arranges is kept before they approve, so a reload does not lose it.
    const arranged = [...clipIds].reverse();
    const reordered = await call(alice, 'POST', `/sessions/${id}/clips/order`, {
      clipIds: arranged,
    });
    expect(reordered.status).toBe(200);
    const reread = (await (await call(alice, 'GET', `/sessions/${id}`)).json()) as SessionView;
    expect(reread.clipOrder).toEqual(arranged);
    expect(reread.stage).toBe('awaiting_clip_approval');
    const unknown = await call(alice, 'POST', `/sessions/${id}/clips/order`, {
      clipIds: ['not-a-clip'],
    });
    expect(unknown.status).toBe(400);
    const bobsOrder = await call(bob, 'POST', `/sessions/${id}/clips/order`, { clipIds: arranged });
    expect(bobsOrder.status).toBe(404);
    await call(alice, 'POST', `/sessions/${id}/clips/approve`, { clipIds });
    const composition = {
      productName: 'Aero',
      callToAction: 'Buy now',
      colors: { primary: '#111111', accent: '#ff0000', text: '#ffffff' },
      music: { enabled: false, genre: 'upbeat' },
    };
    await call(alice, 'POST', `/sessions/${id}/compose`, composition);
    // The finished ad's workflow completes instead of waiting for a person.
    const finished = await handle.result();
    expect(finished.stage).toBe('completed');

    // The session is served from its row: an API that cannot reach Temporal at all (as when
    // Temporal no longer keeps the workflow) shows it with its video, links and costs.
    const blind = await studio.apiWith({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    const served = await blind.app.request(`/api/sessions/${id}`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    await blind.close();
    expect(served.status).toBe(200);
    const view = (await served.json()) as SessionView;
    expect(view.stage).toBe('completed');
    expect(view.final?.id).toBe(finished.final!.id);
    expect(view.urls[finished.final!.id]).toMatch(/^\/api\/files\/sessions\/.+\?exp=\d+&sig=/);
    expect(view.downloadUrl).toMatch(/^\/api\/files\//);
    expect(view.costs.totalUsd).toBe(finished.costs.totalUsd);
    // The document's Session schema describes every field of a finished session as served: parsing
    // drops nothing (zod strips keys it does not know) and refuses nothing.
    expect(SessionViewSchema.parse(view)).toEqual(view);
    expect((await call(alice, 'GET', `/sessions/${id}/costs`)).status).toBe(200);
    // This studio's render makes no poster frame: the first approved image stands for it.
    const list = (await (await call(alice, 'GET', '/sessions')).json()) as {
      sessions: Array<{ id: string; thumbnailUrl: string | null }>;
    };
    const listed = list.sessions.find((s) => s.id === id)!;
    expect(pathOf(listed.thumbnailUrl)).toBe(pathOf(view.urls[imageIds[0]!]));

    // A row written before the whole state was kept is rebuilt from the session's rows.
    await database.db.session.update({ where: { id }, data: { state: Prisma.DbNull } });
    const rebuilt = (await (await call(alice, 'GET', `/sessions/${id}`)).json()) as SessionView;
    expect(rebuilt.stage).toBe('completed');
    expect(rebuilt.final?.id).toBe(finished.final!.id);
    expect(rebuilt.urls[finished.final!.id]).toBe(view.urls[finished.final!.id]);
    expect(rebuilt.approvedClipIds).toEqual(finished.approvedClipIds);
    // Rows keep no plan order, only creation order (parallel clips may finish either way).
    const ids = (list: Array<{ id: string }>) => list.map((a) => a.id).sort();
    expect(ids(rebuilt.clips)).toEqual(ids(finished.clips));
    expect(rebuilt.costs.totalUsd).toBe(finished.costs.totalUsd);
    expect(SessionViewSchema.parse(rebuilt)).toEqual(rebuilt);

    // New text re-renders from the stored state, in a new run, paying for nothing made before.
    const rerender = await call(alice, 'POST', `/sessions/${id}/compose`, {
      ...composition,
      productName: 'Aero Two',
    });
    expect(rerender.status).toBe(200);
    expect(((await rerender.json()) as SessionView).stage).toBe('rendering');
    const again = await worker.client.workflow.getHandle<typeof sessionWorkflow>(id).result();
    expect(again.stage).toBe('completed');
    expect(again.composition?.productName).toBe('Aero Two');
    expect(again.final?.id).not.toBe(finished.final!.id);
    expect(ids(again.clips)).toEqual([...clipIds].sort());
    expect(again.costs.totalUsd).toBe(finished.costs.totalUsd);
    expect(again.version).toBeGreaterThan(finished.version);
    const row = await database.db.session.findUniqueOrThrow({ where: { id } });
    expect(row.finalAssetId).toBe(again.final!.id);

    // Another format of the same ad: rendered from the same clips, kept beside the 16:9 one.
    const same = await call(alice, 'POST', `/sessions/${id}/export`, { aspectRatio: '16:9' });
    expect(same.status).toBe(400);
    expect((await error(same)).message).toBe('The ad is already 16:9; choose another format.');
    expect(
      (await call(alice, 'POST', `/sessions/${id}/export`, { aspectRatio: '4:3' })).status,
    ).toBe(400);
    const exporting = await call(alice, 'POST', `/sessions/${id}/export`, { aspectRatio: '9:16' });
    expect(exporting.status).toBe(200);
    expect(((await exporting.json()) as SessionView).stage).toBe('rendering');
    const exported = await worker.client.workflow.getHandle<typeof sessionWorkflow>(id).result();
    expect(exported.stage).toBe('completed');
    expect(exported.final?.id).toBe(again.final!.id);
    expect(exported.exports?.map((e) => e.aspectRatio)).toEqual(['9:16']);
    expect(exported.exportTarget).toBeUndefined();
    expect(exported.costs.totalUsd).toBe(finished.costs.totalUsd);
    const served9x16 = (await (await call(alice, 'GET', `/sessions/${id}`)).json()) as SessionView;
    expect(served9x16.exportDownloadUrls?.['9:16']).toMatch(/^\/api\/files\//);
  });
});
