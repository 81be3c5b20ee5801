import sharp from 'sharp';
import type { SessionState } from '../../core/session';
import type { Stage } from '../../core/stages';

/**
 * Real things for the fuzzer to aim at (issue 15: it used to send only made-up ids): sessions of
 * the fuzzing user parked at each stage a person meets, their image and clip ids, an uploaded
 * photo, and the signed links the API hands out. Made over HTTP on the test stack, the way the
 * studio's pages make them.
 */
export interface FuzzSession {
  id: string;
  stage: Stage;
  imageIds: string[];
  clipIds: string[];
}

export interface FuzzFixtures {
  sessions: FuzzSession[];
  photoKey: string;
  /** Signed /api/files links of the sessions' assets (path and query). */
  fileLinks: string[];
}

/** A prompt the fake generation refuses for good (a content-policy failure): a failed session. */
export const FAILING_PROMPT = 'a product the planner always refuses';

type View = SessionState & { urls: Record<string, string>; downloadUrl?: string };

async function uploadPhoto(base: string, token: string): Promise<string> {
  // A product (a pink block) on a plain white backdrop, which the local cutout can separate.
  const product = await sharp({
    create: { width: 96, height: 128, channels: 4, background: '#ff3366' },
  })
    .png()
    .toBuffer();
  const png = await sharp({
    create: { width: 256, height: 256, channels: 4, background: '#ffffff' },
  })
    .composite([{ input: product, left: 80, top: 64 }])
    .png()
    .toBuffer();
  const form = new FormData();
  form.append('file', new File([new Uint8Array(png)], 'shoe.png', { type: 'image/png' }));
  const response = await fetch(`${base}/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (response.status !== 201) throw new Error(`upload: ${response.status}`);
  return ((await response.json()) as { photoKey: string }).photoKey;
}

/** Sessions at every stage a person meets, each made from a fresh start. */
export async function makeFixtures(base: string, token: string): Promise<FuzzFixtures> {
  const call = <T>(method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (response) => {
      if (!response.ok)
        throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    });
  const wait = async (id: string, stage: Stage) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const state = await call<View>('GET', `/sessions/${id}`);
      if (state.stage === stage) return state;
      if (Date.now() > deadline) throw new Error(`${id} stayed at ${state.stage}, not ${stage}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const start = async (productPrompt: string) =>
    (
      await call<View>('POST', '/sessions', {
        productPrompt,
        imageCount: 4,
        budgetUsd: 5,
        reviewPlan: false,
      })
    ).sessionId;

  const photoKey = await uploadPhoto(base, token);
  const planned = (
    await call<View>('POST', '/sessions', {
      productPrompt: 'a green ceramic mug',
      imageCount: 4,
      reviewPlan: true,
      productPhotoKey: photoKey,
    })
  ).sessionId;
  const images = await start('pink tennis shoes');
  const clips = await start('a leather backpack');
  const composition = await start('a steel water bottle');
  const completed = await start('a wool beanie');
  const cancelled = await start('a silk scarf');
  const failed = await start(FAILING_PROMPT);

  for (const id of [clips, composition, completed]) {
    const state = await wait(id, 'awaiting_image_approval');
    await call('POST', `/sessions/${id}/images/approve`, {
      imageIds: state.images.slice(0, 2).map((image) => image.id),
      videoPrompt: 'slow camera moves, soft light',
    });
  }
  for (const id of [composition, completed]) {
    const state = await wait(id, 'awaiting_clip_approval');
    await call('POST', `/sessions/${id}/clips/approve`, {
      clipIds: state.clips.map((clip) => clip.id),
    });
  }
  await wait(completed, 'awaiting_composition');
  await call('POST', `/sessions/${completed}/compose`, {
    productName: 'Beanie',
    callToAction: 'Shop now',
    colors: { primary: '#1d1d1f', accent: '#ff5fa2', text: '#ffffff' },
    music: { enabled: true, genre: 'upbeat' },
  });
  await wait(cancelled, 'awaiting_image_approval');
  await call('POST', `/sessions/${cancelled}/cancel`);

  const parked: Array<[string, Stage]> = [
    [planned, 'awaiting_plan_approval'],
    [images, 'awaiting_image_approval'],
    [clips, 'awaiting_clip_approval'],
    [composition, 'awaiting_composition'],
    [completed, 'completed'],
    [cancelled, 'cancelled'],
    [failed, 'failed'],
  ];
  const sessions: FuzzSession[] = [];
  const fileLinks: string[] = [];
  for (const [id, stage] of parked) {
    const state = await wait(id, stage);
    sessions.push({
      id,
      stage,
      imageIds: state.images.map((image) => image.id),
      clipIds: state.clips.map((clip) => clip.id),
    });
    for (const url of [...Object.values(state.urls), state.downloadUrl ?? '']) {
      if (url.startsWith('/api/files/')) fileLinks.push(url);
    }
  }
  return { sessions, photoKey, fileLinks };
}
