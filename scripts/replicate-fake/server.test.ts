import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Replicate, { validateWebhook } from 'replicate';
import type { Page, Prediction } from 'replicate';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ffprobe } from '../../activities/media/ffmpeg';
import { parseDuration, parsePreferWait } from './headers';
import { fluxSize, viewFromPrompt } from './outputs/image';
import { genreFromPrompt } from './outputs/music';
import { motionFromPrompt, seedanceSize, wanSize } from './outputs/video';
import type { FakeReplicate } from './server';
import { startFakeReplicate } from './server';

/**
 * Drives the fake with the official client (and plain fetch where the client hides what is
 * tested), checking shapes, transitions, real outputs, faults and signed webhooks.
 */

const BG_REMOVER =
  '851-labs/background-remover:a029dff38972b5fda4ec5d75d7d1cd25aeff621d2cf4946a41055d7db66b80bc';
const MUSICGEN = '671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb';

let fake: FakeReplicate;
let replicate: Replicate;
let scratch: string;

beforeAll(async () => {
  fake = await startFakeReplicate({ startDelayMs: 20 });
  replicate = new Replicate({ auth: fake.token, baseUrl: fake.baseUrl, useFileOutput: false });
  scratch = await mkdtemp(join(tmpdir(), 'replicate-fake-test-'));
});

afterAll(async () => {
  await fake?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

beforeEach(() => fake.faults.clear());

/** The client types run() output as object; these models answer one URL string. */
function asUrl(output: unknown): string {
  expect(typeof output).toBe('string');
  return output as string;
}

/** Polls `read` until `done` holds, failing after `ms`. */
async function until<T>(read: () => Promise<T> | T, done: (v: T) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const TERMINAL = ['succeeded', 'failed', 'canceled', 'aborted'];
const settle = (id: string, ms?: number) =>
  until(
    () => replicate.predictions.get(id),
    (p) => TERMINAL.includes(p.status),
    ms,
  );

async function download(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
  return { bytes, type: response.headers.get('content-type') };
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${fake.origin}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fake.token}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe('predictions', () => {
  it('runs an official image model from starting to succeeded with a downloadable PNG', async () => {
    const input = {
      prompt: 'pink tennis shoes, side view',
      seed: 7,
      aspect_ratio: '16:9',
      output_format: 'png',
    };
    const created = await replicate.predictions.create({
      model: 'black-forest-labs/flux-schnell',
      input,
    });
    expect(created).toMatchObject({
      model: 'black-forest-labs/flux-schnell',
      version: 'hidden',
      status: 'starting',
      input,
      output: null,
      error: null,
      logs: '',
      data_removed: false,
      started_at: null,
      completed_at: null,
      source: 'api',
      metrics: {},
    });
    expect(created.id).toMatch(/^[a-z0-9]{26}$/);
    expect(created.urls.get).toBe(`${fake.baseUrl}/predictions/${created.id}`);

    const done = await settle(created.id);
    expect(done.status).toBe('succeeded');
    expect(done.started_at).not.toBeNull();
    expect(done.completed_at).not.toBeNull();
    expect(done.logs).toContain('100%|██████████| 10/10');
    expect(done.metrics?.predict_time).toBeGreaterThan(0);
    expect(Array.isArray(done.output)).toBe(true);
    const [url] = done.output as string[];
    const { bytes, type } = await download(url!);
    expect(type).toBe('image/png');
    expect(bytes.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 1344, height: 768 });

    const head = await fetch(url!, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(bytes.length));

    const again = await replicate.run('black-forest-labs/flux-schnell', { input });
    const second = await download((again as string[])[0]!);
    expect(second.bytes.equals(bytes)).toBe(true);
  });

  it('runs a community model by version: the background remover returns a PNG with alpha', async () => {
    const still = await replicate.run('black-forest-labs/flux-1.1-pro', {
      input: {
        prompt: 'red bottle, front view',
        seed: 2,
        aspect_ratio: '1:1',
        output_format: 'png',
      },
    });
    const created = await replicate.predictions.create({
      version: BG_REMOVER,
      input: { image: asUrl(still), format: 'png' },
    });
    expect(created.version).toBe(BG_REMOVER.split(':')[1]);
    expect(created.model).toBe('851-labs/background-remover');
    const done = await settle(created.id);
    expect(done.status).toBe('succeeded');
    const { bytes } = await download(done.output as string);
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    const alphaAt = (x: number, y: number) => data[(y * info.width + x) * 4 + 3];
    expect(alphaAt(0, 0)).toBe(0);
    expect(alphaAt(info.width / 2, info.height / 2)).toBe(255);
  });

  it('takes a Buffer input through the client upload (POST /v1/files) by default', async () => {
    const photo = await sharp({
      create: { width: 64, height: 64, channels: 3, background: '#ffffff' },
    })
      .composite([
        {
          input: await sharp({
            create: { width: 20, height: 20, channels: 3, background: '#000000' },
          })
            .png()
            .toBuffer(),
          left: 22,
          top: 22,
        },
      ])
      .png()
      .toBuffer();
    const uploading = new Replicate({
      auth: fake.token,
      baseUrl: fake.baseUrl,
      useFileOutput: false,
    });
    const created = await uploading.predictions.create({
      version: BG_REMOVER,
      input: { image: photo },
    });
    expect(created.input).toMatchObject({
      image: expect.stringMatching(/\/v1\/files\/[a-f0-9]+$/) as unknown,
    });
    const done = await settle(created.id);
    expect(done.status).toBe('succeeded');
    const { data, info } = await sharp((await download(asUrl(done.output))).bytes)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0);
    expect(data[(32 * info.width + 32) * 4 + 3]).toBe(255);
  });

  it('feeds a data: URI product photo to kontext and returns one URL', async () => {
    const photo = await sharp({
      create: { width: 200, height: 300, channels: 3, background: '#d8262f' },
    })
      .png()
      .toBuffer();
    const output = await replicate.run('black-forest-labs/flux-kontext-pro', {
      input: {
        prompt: 'red lipstick on a marble pedestal',
        input_image: `data:image/png;base64,${photo.toString('base64')}`,
        aspect_ratio: '9:16',
        output_format: 'jpg',
        seed: 1,
      },
    });
    const { bytes, type } = await download(asUrl(output));
    expect(type).toBe('image/jpeg');
    expect(await sharp(bytes).metadata()).toMatchObject({
      format: 'jpeg',
      width: 768,
      height: 1344,
    });
  });

  it('makes a 480p 24 fps Seedance clip of the asked length from the input image', async () => {
    const still = (await replicate.run('black-forest-labs/flux-schnell', {
      input: { prompt: 'blue headphones', seed: 4, aspect_ratio: '16:9', output_format: 'png' },
    })) as string[];
    const done = await settle(
      (
        await replicate.predictions.create({
          model: 'bytedance/seedance-1-lite',
          input: { image: still[0]!, prompt: 'slow zoom out', duration: 2, resolution: '480p' },
        })
      ).id,
    );
    expect(done.status).toBe('succeeded');
    const { bytes, type } = await download(done.output as string);
    expect(type).toBe('video/mp4');
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const path = join(scratch, 'seedance.mp4');
    await writeFile(path, bytes);
    const video = (await ffprobe(path)).streams.find((s) => s.codec_type === 'video');
    expect(video).toMatchObject({ width: 864, height: 480, r_frame_rate: '24/1', nb_frames: '48' });
  });

  it('answers the planner REQUEST with JSON split into string tokens', async () => {
    const request = {
      task: 'shot_plan',
      product_prompt: 'navy blue leather backpack',
      count: 5,
      aspect_ratio: '16:9',
      seed: 11,
    };
    const created = await replicate.predictions.create({
      model: 'meta/meta-llama-3-8b-instruct',
      input: { prompt: `Plan the shots.\nREQUEST: ${JSON.stringify(request)}`, max_tokens: 2000 },
    });
    const done = await settle(created.id);
    const tokens = done.output as string[];
    expect(tokens.length).toBeGreaterThan(10);
    expect(tokens.every((t) => typeof t === 'string' && t.length <= 4)).toBe(true);
    const plan = JSON.parse(tokens.join('')) as {
      product: { kind: string; colourName: string };
      style: { palette: string[] };
      shots: Array<{ view: string; prompt: string }>;
    };
    expect(plan.product).toMatchObject({ kind: 'bag', colourName: 'navy blue' });
    expect(plan.style.palette.length).toBeGreaterThan(0);
    expect(plan.shots.map((s) => s.view)).toEqual(['front', 'side', 'back', 'top', 'detail']);
    expect(done.metrics).toMatchObject({
      output_token_count: Math.ceil(tokens.join('').length / 4),
    });

    const scenes = (await replicate.run('meta/meta-llama-3-70b-instruct', {
      input: {
        prompt: `REQUEST: ${JSON.stringify({
          task: 'scene_plan',
          video_prompt: 'energetic',
          product: plan.product,
          style: plan.style,
          images: plan.shots.slice(0, 2).map((s, i) => ({ id: `img${i}`, ...s })),
        })}`,
      },
    })) as string[];
    const scenePlan = JSON.parse(scenes.join('')) as { scenes: Array<Record<string, string>> };
    // One scene per image, in beat order (the local planner's), not necessarily image order.
    expect(scenePlan.scenes.map((s) => s.imageId).sort()).toEqual(['img0', 'img1']);
    expect(Object.keys(scenePlan.scenes[0]!).sort()).toEqual(['imageId', 'motion', 'prompt']);
  });

  it('encodes MusicGen output as the asked format', async () => {
    const output = await replicate.run(`meta/musicgen:${MUSICGEN}`, {
      input: { prompt: 'calm ambient pads', duration: 2, output_format: 'wav', seed: 3 },
    });
    const { bytes, type } = await download(asUrl(output));
    expect(type).toBe('audio/wav');
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it('cancels a running prediction and records the request', async () => {
    fake.faults.add({ on: 'create', kind: 'hold' });
    const created = await replicate.predictions.create({
      model: 'black-forest-labs/flux-dev',
      input: { prompt: 'gold watch' },
    });
    await until(
      () => replicate.predictions.get(created.id),
      (p) => p.status === 'processing',
    );
    const canceled = await replicate.predictions.cancel(created.id);
    expect(canceled.status).toBe('canceled');
    expect((await replicate.predictions.get(created.id)).status).toBe('canceled');
    expect(fake.stats().predictions.find((p) => p.id === created.id)?.cancelRequested).toBe(true);
  });

  it('lists predictions newest first without input, filtered by created_after', async () => {
    const t0 = new Date().toISOString();
    const a = await replicate.predictions.create({
      model: 'black-forest-labs/flux-schnell',
      input: { prompt: 'a' },
    });
    const b = await replicate.predictions.create({
      model: 'black-forest-labs/flux-schnell',
      input: { prompt: 'b' },
    });
    const page = (await (
      await replicate.request(`/predictions?created_after=${encodeURIComponent(t0)}`, {
        method: 'GET',
      })
    ).json()) as { results: Array<Record<string, unknown>>; next: string | null };
    expect(page.results.map((p) => p.id)).toEqual([b.id, a.id]);
    expect(page.next).toBeNull();
    for (const item of page.results) {
      expect(item).toMatchObject({ model: 'black-forest-labs/flux-schnell', source: 'api' });
      for (const hidden of ['input', 'output', 'logs', 'webhook'])
        expect(item).not.toHaveProperty(hidden);
    }
    const future = new Date(Date.now() + 60_000).toISOString();
    const empty = (await (
      await replicate.request(`/predictions?created_after=${encodeURIComponent(future)}`, {
        method: 'GET',
      })
    ).json()) as { results: unknown[] };
    expect(empty.results).toEqual([]);
    await Promise.all([settle(a.id), settle(b.id)]);
  });

  it('pages the list 100 at a time with absolute next links', async () => {
    const t0 = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 103; i++) {
      const p = await replicate.predictions.create({
        model: 'meta/meta-llama-3-8b-instruct',
        input: { prompt: `no request ${i}` },
      });
      ids.push(p.id);
    }
    const pages: string[][] = [];
    const first = () =>
      replicate
        .request(`/predictions?created_after=${encodeURIComponent(t0)}`, { method: 'GET' })
        .then((r) => r.json() as Promise<Page<Prediction>>);
    for await (const page of replicate.paginate(first)) pages.push(page.map((p) => p.id));
    expect(pages.map((p) => p.length)).toEqual([100, 3]);
    expect(pages.flat()).toEqual([...ids].reverse());
    const failed = await settle(ids[0]!);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('REQUEST:');
  });

  it('holds a prediction at 50 % until released', async () => {
    fake.faults.add({ on: 'create', model: 'flux-schnell', kind: 'hold' });
    const held = await replicate.predictions.create({
      model: 'black-forest-labs/flux-schnell',
      input: { prompt: 'mug' },
    });
    const processing = await until(
      () => replicate.predictions.get(held.id),
      (p) => p.status === 'processing' && p.logs!.includes(' 50%'),
    );
    expect(processing.logs).not.toContain(' 60%');
    fake.release(held.id);
    expect((await settle(held.id)).status).toBe('succeeded');
  });

  it('waits for the result with Prefer: wait', async () => {
    const created = await replicate.predictions.create({
      model: 'black-forest-labs/flux-schnell',
      input: { prompt: 'phone' },
      wait: 30,
    });
    expect(created.status).toBe('succeeded');
  });
});

describe('failures and faults', () => {
  it('rejects a missing token and a wrong one with 401', async () => {
    const none = await fetch(`${fake.baseUrl}/predictions/abc`);
    expect(none.status).toBe(401);
    expect(await none.json()).toHaveProperty('detail');
    const wrong = new Replicate({ auth: 'r8_wrong', baseUrl: fake.baseUrl, useFileOutput: false });
    await expect(wrong.predictions.list()).rejects.toMatchObject({ response: { status: 401 } });
  });

  it('rejects invalid input with 422 and creates nothing', async () => {
    const before = fake.stats().predictions.length;
    const bad = await post('/v1/models/black-forest-labs/flux-schnell/predictions', {
      input: { prompt: 'x', aspect_ratio: '7:5' },
    });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { status: number; detail: string };
    expect(problem.status).toBe(422);
    expect(problem.detail).toContain('aspect_ratio');
    expect((await post('/v1/models/acme/nothing/predictions', { input: {} })).status).toBe(404);
    expect((await post('/v1/predictions', { version: 'f'.repeat(64), input: {} })).status).toBe(
      422,
    );
    fake.faults.add({ on: 'create', kind: 'invalid-input' });
    const injected = await post('/v1/models/black-forest-labs/flux-schnell/predictions', {
      input: { prompt: 'fine' },
    });
    expect(injected.status).toBe(422);
    expect(fake.stats().predictions.length).toBe(before);
  });

  it('answers a rate limit with 429, Retry-After and the throttled message', async () => {
    fake.faults.add({ on: 'create', kind: 'rate-limit', retryAfterSeconds: 30, times: 10 });
    const response = await post('/v1/models/black-forest-labs/flux-schnell/predictions', {
      input: { prompt: 'x' },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toEqual({
      detail: 'Request was throttled. Your rate limit resets in ~30s.',
    });
    // The client retries a 429 itself, at once, then gives up with the status.
    await expect(
      replicate.predictions.create({
        model: 'black-forest-labs/flux-schnell',
        input: { prompt: 'x' },
      }),
    ).rejects.toMatchObject({ response: { status: 429 } });
  });

  it('records a create whose connection is reset after acceptance, once per attempt', async () => {
    fake.faults.add({ on: 'create', kind: 'reset-after-accept' });
    const webhook = 'http://127.0.0.1:9/hooks/replicate?job=reset-plain';
    await expect(
      post('/v1/models/black-forest-labs/flux-schnell/predictions', {
        input: { prompt: 'y' },
        webhook,
      }),
    ).rejects.toThrow();
    expect(fake.stats().countsByJobKey['reset-plain']).toBe(1);
    const recorded = fake.stats().predictions.find((p) => p.jobKey === 'reset-plain')!;
    expect((await settle(recorded.id)).status).toBe('succeeded');

    // The official client swallows the network error and POSTs again: the job now runs twice.
    fake.faults.add({ on: 'create', kind: 'reset-after-accept' });
    await replicate.predictions.create({
      model: 'black-forest-labs/flux-schnell',
      input: { prompt: 'y' },
      webhook: 'http://127.0.0.1:9/hooks/replicate?job=reset-client',
    });
    expect(fake.stats().countsByJobKey['reset-client']).toBe(2);
  });

  it('resets the connection before acceptance without recording anything', async () => {
    fake.faults.add({ on: 'create', kind: 'reset-before-accept' });
    const before = fake.stats().predictions.length;
    await expect(
      post('/v1/models/black-forest-labs/flux-schnell/predictions', { input: { prompt: 'z' } }),
    ).rejects.toThrow();
    expect(fake.stats().predictions.length).toBe(before);
  });

  it('aborts a prediction still starting at its Cancel-After deadline, cancels a running one', async () => {
    fake.faults.add({ on: 'create', kind: 'slow-start', ms: 60_000 });
    const slow = (await (
      await post(
        '/v1/models/black-forest-labs/flux-schnell/predictions',
        { input: { prompt: 'a' } },
        { 'Cancel-After': '1s' },
      )
    ).json()) as Prediction;
    expect(slow.status).toBe('starting');
    expect((await settle(slow.id)).status).toBe('aborted');

    fake.faults.add({ on: 'create', kind: 'hold' });
    const running = (await (
      await post(
        '/v1/models/black-forest-labs/flux-schnell/predictions',
        { input: { prompt: 'b' } },
        { 'Cancel-After': '1s' },
      )
    ).json()) as Prediction;
    const ended = await settle(running.id);
    expect(ended.status).toBe('canceled');
    expect(ended.started_at).not.toBeNull();

    const invalid = await post(
      '/v1/models/black-forest-labs/flux-schnell/predictions',
      { input: { prompt: 'c' } },
      { 'Cancel-After': 'soon' },
    );
    expect(invalid.status).toBe(422);
  });

  it('fails on a content policy fault and aborts on an abort fault', async () => {
    fake.faults.add({ on: 'create', kind: 'fail-policy' });
    await expect(
      replicate.run('black-forest-labs/flux-schnell', {
        input: { prompt: 'shoe' },
        wait: { mode: 'poll', interval: 50 },
      }),
    ).rejects.toThrow(/NSFW content detected/);
    fake.faults.add({ on: 'create', kind: 'abort' });
    const aborted = await replicate.predictions.create({
      model: 'black-forest-labs/flux-schnell',
      input: { prompt: 's' },
    });
    const ended = await settle(aborted.id);
    expect(ended).toMatchObject({ status: 'aborted', started_at: null });
  });

  it('fails a prediction whose image input is not an image, with a readable error', async () => {
    const created = await replicate.predictions.create({
      version: BG_REMOVER.split(':')[1]!,
      input: { image: 'data:text/plain;base64,aGVsbG8=' },
    });
    const ended = await settle(created.id);
    expect(ended).toMatchObject({
      status: 'failed',
      error: 'The image input is not an image this model can read.',
      output: null,
    });
  });

  it('marks output deleted: data_removed and file URLs answer 404', async () => {
    fake.faults.add({ on: 'create', kind: 'output-deleted' });
    const created = await replicate.predictions.create({
      model: 'black-forest-labs/flux-1.1-pro',
      input: { prompt: 'jar' },
    });
    const done = await settle(created.id);
    expect(done).toMatchObject({ status: 'succeeded', data_removed: true });
    expect((await fetch(done.output as string)).status).toBe(404);
  });

  it('returns non-JSON text from the LLM on malformed-json', async () => {
    fake.faults.add({ on: 'create', model: 'llama', kind: 'malformed-json' });
    const tokens = (await replicate.run('meta/meta-llama-3-8b-instruct', {
      input: {
        prompt: `REQUEST: ${JSON.stringify({ task: 'shot_plan', product_prompt: 'cup', count: 4, aspect_ratio: '1:1' })}`,
      },
    })) as string[];
    expect(() => JSON.parse(tokens.join('')) as unknown).toThrow();
  });

  it('takes faults and gives stats over HTTP for other processes', async () => {
    const add = await fetch(`${fake.origin}/_fake/faults`, {
      method: 'POST',
      body: JSON.stringify({ on: 'get', kind: 'server-error', status: 502 }),
    });
    expect(add.status).toBe(201);
    expect(
      (
        await fetch(`${fake.baseUrl}/predictions/x`, {
          headers: { authorization: `Bearer ${fake.token}` },
        })
      ).status,
    ).toBe(502);
    const badRule = await fetch(`${fake.origin}/_fake/faults`, {
      method: 'POST',
      body: '{"on":"get","kind":"nope"}',
    });
    expect(badRule.status).toBe(400);
    const stats = (await (await fetch(`${fake.origin}/_fake/stats`)).json()) as {
      requests: Array<{ status: number }>;
    };
    expect(stats.requests.some((r) => r.status === 502)).toBe(true);
  });
});

describe('webhooks', () => {
  interface Delivery {
    headers: IncomingHttpHeaders;
    body: string;
  }
  let receiver: Server;
  let receiverUrl: string;
  const deliveries: Delivery[] = [];
  let failFirst = 0;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body });
        if (failFirst > 0) {
          failFirst -= 1;
          res.writeHead(500).end();
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/replicate`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
  beforeEach(() => {
    deliveries.length = 0;
    failFirst = 0;
  });

  const forJob = (job: string) =>
    deliveries.filter((d) => (JSON.parse(d.body) as Prediction).webhook?.endsWith(`job=${job}`));

  it('signs start and completed deliveries so validateWebhook accepts them', async () => {
    const secret = (await replicate.webhooks.default.secret.get()).key;
    expect(secret).toBe(fake.webhookSecret);
    await replicate.predictions.create({
      model: 'black-forest-labs/flux-schnell',
      input: { prompt: 'watch' },
      webhook: `${receiverUrl}?job=signed`,
    });
    const got = await until(
      () => forJob('signed'),
      (d) => d.length === 2,
    );
    expect(got.map((d) => (JSON.parse(d.body) as Prediction).status)).toEqual([
      'processing',
      'succeeded',
    ]);
    for (const d of got) {
      expect(d.headers['webhook-id']).toMatch(/^msg_/);
      const signed = { 'webhook-id': '', 'webhook-timestamp': '', 'webhook-signature': '' };
      for (const name of Object.keys(signed) as Array<keyof typeof signed>) {
        signed[name] = String(d.headers[name]);
      }
      const request = new Request(receiverUrl, { method: 'POST', headers: signed, body: d.body });
      expect(await validateWebhook(request, secret)).toBe(true);
      const tampered = d.body.replace('"status"', '"status" ');
      const forged = new Request(receiverUrl, { method: 'POST', headers: signed, body: tampered });
      expect(await validateWebhook(forged, secret)).toBe(false);
    }
  });

  it('retries a failed delivery with the same webhook-id, and respects the events filter', async () => {
    failFirst = 2;
    await replicate.predictions.create({
      model: 'black-forest-labs/flux-schnell',
      input: { prompt: 'bag' },
      webhook: `${receiverUrl}?job=retried`,
      webhook_events_filter: ['completed'],
    });
    const got = await until(
      () => forJob('retried'),
      (d) => d.length === 3,
    );
    expect(new Set(got.map((d) => d.headers['webhook-id'])).size).toBe(1);
    expect(got.every((d) => (JSON.parse(d.body) as Prediction).status === 'succeeded')).toBe(true);
  });

  it('delivers the completed webhook twice with one webhook-id on duplicate-webhook', async () => {
    fake.faults.add({ on: 'create', kind: 'duplicate-webhook' });
    const delivered = fake.stats().webhooksDelivered;
    await replicate.predictions.create({
      model: 'black-forest-labs/flux-schnell',
      input: { prompt: 'box' },
      webhook: `${receiverUrl}?job=twice`,
      webhook_events_filter: ['completed'],
    });
    const got = await until(
      () => forJob('twice'),
      (d) => d.length === 2,
    );
    expect(got[0]!.headers['webhook-id']).toBe(got[1]!.headers['webhook-id']);
    // The fake counts both deliveries (an earlier test's retries may still be arriving too).
    await until(
      () => fake.stats().webhooksDelivered,
      (n) => n >= delivered + 2,
    );
    expect(forJob('twice')).toHaveLength(2);
  });
});

describe('header and size rules', () => {
  it('reads Cancel-After durations and Prefer: wait like the real API', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m45s')).toBe(5_445_000);
    expect(parseDuration(undefined)).toBeUndefined();
    expect(() => parseDuration('5 minutes')).toThrow(/duration/);
    expect(parsePreferWait('wait')).toBe(60_000);
    expect(parsePreferWait('wait=5')).toBe(5_000);
    expect(parsePreferWait('wait=600')).toBe(60_000);
    expect(parsePreferWait(undefined)).toBeUndefined();
  });

  it('sizes outputs like the real models', () => {
    expect(fluxSize(16 / 9)).toEqual({ width: 1344, height: 768 });
    expect(fluxSize(9 / 16)).toEqual({ width: 768, height: 1344 });
    expect(fluxSize(1)).toEqual({ width: 1024, height: 1024 });
    expect(seedanceSize('720p', '16:9')).toEqual({ width: 1280, height: 720 });
    expect(seedanceSize('720p', '9:16')).toEqual({ width: 720, height: 1280 });
    expect(seedanceSize('720p', '1:1')).toEqual({ width: 720, height: 720 });
    expect(wanSize('480p', '16:9')).toEqual({ width: 832, height: 480 });
  });

  it('reads the view, camera move and genre from prompt words', () => {
    expect(viewFromPrompt('pink shoes; back view, showing the rear design')).toBe('back');
    expect(viewFromPrompt('macro close-up of the dial; rim light')).toBe('detail');
    expect(viewFromPrompt('a mug on a table')).toBe('front');
    expect(motionFromPrompt('the camera pans left slowly')).toBe('pan_left');
    expect(motionFromPrompt('anything', true)).toBe('light_sweep');
    expect(genreFromPrompt('epic orchestral trailer')).toBe('cinematic');
  });
});
