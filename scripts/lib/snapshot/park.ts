import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import sharp from 'sharp';
import type { SessionWorkflowInput } from '../../../workflows/state';

/**
 * Parks sessions of a running release at every stage where its sessions wait for a person, over
 * its HTTP API as its pages would: the plan review (when the release has one), image approval,
 * clip approval, composition, a finished ad, and a failed step. Only routes every release has
 * are used; what a release offers (plan review, ad length) is read from its OpenAPI document.
 */
export interface ParkedSession {
  name: string;
  sessionId: string;
  stage: string;
  /** What else this session carries, for the people reading the manifest. */
  note?: string;
}

interface View {
  sessionId: string;
  stage: string;
  style?: unknown;
  images: Array<{ id: string; status: string }>;
  clips: Array<{ id: string; status: string }>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function parkSessions(
  apiUrl: string,
  temporalAddress: string,
  storageDir: string,
  credentials: { email: string; password: string },
  say: (line: string) => void,
): Promise<ParkedSession[]> {
  const api = await signedInClient(apiUrl, credentials);
  const document = await api.call<{ paths: Record<string, unknown>; components?: unknown }>(
    'GET',
    '/openapi.json',
  );
  const planReview = '/sessions/{id}/plan/approve' in document.paths;
  const hasLength = JSON.stringify(document.components ?? {}).includes('durationSeconds');
  const base = {
    imageCount: 4,
    aspectRatio: '16:9',
    budgetUsd: 5,
    ...(hasLength ? { durationSeconds: 8 } : {}),
  };

  const create = async (title: string, extra: Record<string, unknown> = {}) => {
    const view = await api.call<View>('POST', '/sessions', {
      ...base,
      title,
      productPrompt: 'red ceramic coffee mug',
      ...extra,
    });
    say(`started ${view.sessionId} (${title})`);
    return view.sessionId;
  };
  const waitFor = async (id: string, stages: string[], minutes = 20) => {
    const deadline = Date.now() + minutes * 60_000;
    for (;;) {
      const view = await api.call<View>('GET', `/sessions/${id}`);
      if (stages.includes(view.stage)) return view;
      if (view.stage === 'failed' || Date.now() > deadline) {
        throw new Error(`${id} is ${view.stage}, not ${stages.join(' or ')}`);
      }
      await pause(1000);
    }
  };
  const ready = (list: View['images']) => list.filter((a) => a.status === 'ready');
  const approveImages = async (id: string) => {
    const view = await waitFor(id, ['awaiting_image_approval']);
    await api.call('POST', `/sessions/${id}/images/approve`, {
      imageIds: ready(view.images)
        .slice(0, 2)
        .map((i) => i.id),
      videoPrompt: 'The mug turns slowly on a sunlit kitchen counter',
    });
  };
  const approveClips = async (id: string) => {
    const view = await waitFor(id, ['awaiting_clip_approval']);
    await api.call('POST', `/sessions/${id}/clips/approve`, {
      clipIds: ready(view.clips).map((c) => c.id),
    });
  };
  const compose = async (id: string) => {
    await waitFor(id, ['awaiting_composition']);
    await api.call('POST', `/sessions/${id}/compose`, {
      productName: 'Red Mug',
      callToAction: 'Order yours today',
      colors: { primary: '#7a1020', accent: '#f4c430', text: '#ffffff' },
      music: { enabled: true, genre: 'acoustic' },
    });
  };

  const parked: ParkedSession[] = [];
  const park = async (
    name: string,
    run: () => Promise<string>,
    stage: string,
    note?: string,
  ): Promise<void> => {
    const sessionId = await run();
    await waitFor(sessionId, [stage]);
    parked.push({ name, sessionId, stage, ...(note ? { note } : {}) });
    say(`parked ${sessionId} at ${stage} (${name})`);
  };

  const journeys: Array<Promise<void>> = [];
  if (planReview) {
    journeys.push(
      park(
        'plan-approval',
        () => create('Plan review', { reviewPlan: true }),
        'awaiting_plan_approval',
      ),
    );
  }
  const photoKey = await uploadPhoto(api);
  journeys.push(
    park(
      'image-approval',
      () => create('Images from a photo', { productPhotoKey: photoKey }),
      'awaiting_image_approval',
      'made from an uploaded product photo',
    ),
    park(
      'clip-approval',
      async () => {
        const id = await create('Clips to approve');
        await approveImages(id);
        return id;
      },
      'awaiting_clip_approval',
    ),
    park(
      'composition',
      async () => {
        const id = await create('Ready to compose');
        await approveImages(id);
        await approveClips(id);
        return id;
      },
      'awaiting_composition',
    ),
    park(
      'finished',
      async () => {
        const id = await create('A finished ad');
        await approveImages(id);
        await approveClips(id);
        await compose(id);
        return id;
      },
      'completed',
    ),
  );
  // A release from before plan review and ad length: today's API may start a session that one of
  // its workers, not yet upgraded, begins (a rolling deploy). Replayed by today's code, that
  // history takes the old branches of `plan-review` and `clip-chains`.
  if (!planReview)
    journeys.push(
      park(
        'new-api-old-worker',
        startAsTodaysApi,
        'awaiting_clip_approval',
        "started with today's input by this release's worker",
      ),
    );
  await Promise.all(journeys);
  // Alone, so that the store's outage hits this session only.
  parked.push(await parkFailed(planReview));
  return parked;

  /**
   * Starts a session as today's API does (reviewPlan and durationSeconds in its options), but
   * without today's search attributes, which this release's Temporal need not know.
   */
  async function startAsTodaysApi() {
    const { user } = await api.call<{ user: { id: string } }>('GET', '/me');
    const input: SessionWorkflowInput = {
      sessionId: `session-${randomUUID()}`,
      userId: user.id,
      title: 'Started by a newer API',
      productPrompt: 'red ceramic coffee mug',
      options: {
        imageCount: 4,
        aspectRatio: '16:9',
        budgetUsd: 5,
        tier: 'standard',
        provider: 'local',
        reviewPlan: true,
        durationSeconds: 8,
      },
      idleTimeoutMs: 3650 * 86_400_000,
      renderTaskQueue: 'studio-render',
    };
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      await new Client({ connection }).workflow.start('sessionWorkflow', {
        taskQueue: 'studio',
        workflowId: input.sessionId,
        args: [input],
      });
    } finally {
      await connection.close();
    }
    say(`started ${input.sessionId} (as today's API would)`);
    // Its row appears with the workflow's first step (today's API would have written it first).
    const deadline = Date.now() + 60_000;
    while (!(await api.exists(`/sessions/${input.sessionId}`))) {
      if (Date.now() > deadline) throw new Error(`${input.sessionId} has no row`);
      await pause(500);
    }
    await approveImages(input.sessionId);
    return input.sessionId;
  }

  /**
   * A step that fails after its retries: the session's images folder becomes a file, so writing
   * an image fails until the folder comes back. Releases with a plan review fail every image of
   * the first batch; older ones fail one image made again (their whole stage then fails, which
   * is what histories of the old branches of `partial-failure` and `side-by-side-variants` need).
   */
  async function parkFailed(withPlan: boolean): Promise<ParkedSession> {
    const id = await create('A failed step', withPlan ? { reviewPlan: true } : {});
    const view = await waitFor(id, [
      withPlan ? 'awaiting_plan_approval' : 'awaiting_image_approval',
    ]);
    const folder = join(storageDir, 'sessions', id, 'images');
    await mkdir(join(storageDir, 'sessions', id), { recursive: true });
    const moved = existsSync(folder) ? `${folder}.kept` : undefined;
    if (moved) await rename(folder, moved);
    await writeFile(folder, 'not a folder: writing images here fails\n');
    try {
      if (withPlan) {
        await api.call('POST', `/sessions/${id}/plan/approve`, { style: view.style, prompts: [] });
      } else {
        await api.call(
          'POST',
          `/sessions/${id}/images/${ready(view.images)[0]!.id}/regenerate`,
          {},
        );
      }
      await waitForFailed(id);
    } finally {
      await rm(folder, { force: true });
      if (moved) await rename(moved, folder);
    }
    say(`parked ${id} at failed (failed-step)`);
    return {
      name: 'failed-step',
      sessionId: id,
      stage: 'failed',
      note: withPlan
        ? 'every image of the first batch failed to be stored'
        : 'one image made again failed to be stored',
    };
  }

  async function waitForFailed(id: string) {
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      const view = await api.call<View>('GET', `/sessions/${id}`);
      if (view.stage === 'failed') return;
      if (Date.now() > deadline) throw new Error(`${id} is ${view.stage}, not failed`);
      await pause(1000);
    }
  }
}

/** A product on a plain backdrop, as people photograph one: a red cylinder on light grey. */
async function uploadPhoto(api: Awaited<ReturnType<typeof signedInClient>>) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="640">
    <rect width="640" height="640" fill="#e8e8e4"/>
    <rect x="220" y="180" width="200" height="280" rx="24" fill="#a01828"/>
    <path d="M420 250 q70 0 70 70 q0 70 -70 70" fill="none" stroke="#a01828" stroke-width="28"/>
  </svg>`;
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'mug.png');
  const uploaded = await api.raw<{ photoKey: string }>('POST', '/uploads', form);
  return uploaded.photoKey;
}

async function signedInClient(apiUrl: string, credentials: { email: string; password: string }) {
  let token = '';
  const raw = async <T>(method: string, path: string, body?: FormData | string) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
      },
      body,
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  const call = <T>(method: string, path: string, body?: unknown) =>
    raw<T>(method, path, body === undefined ? undefined : JSON.stringify(body));
  const signedIn = await call<{ token?: string; accessToken?: string }>(
    'POST',
    '/auth/login',
    credentials,
  );
  token = signedIn.accessToken ?? signedIn.token ?? '';
  const exists = async (path: string) => {
    const response = await fetch(`${apiUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await response.body?.cancel();
    return response.ok;
  };
  return { call, raw, exists };
}
