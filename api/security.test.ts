import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, createUser, tokenFor } from '../test/support/api';
import { createTestStudio } from '../test/support/studio';
import { waitForState } from '../workflows/client';
import { signFileUrl } from '../storage/signing';
import type { SessionView } from './routes/sessions';

/**
 * Issue 9's security findings, probed the way an attacker would: keys that try to be paths,
 * control characters in every string field, internals in error answers, oversized bodies and
 * missing headers.
 */
describe('security of the session and upload routes', () => {
  let studio: Awaited<ReturnType<typeof createTestStudio>>;
  let api: typeof studio.api;
  let alice: string;
  let bob: string;
  let aliceId: string;
  let bobId: string;
  let alicePhoto: string;
  let aliceSession: SessionView;

  const call = (token: string, method: string, path: string, body?: unknown) =>
    api.app.request(`/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const error = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;
  const png = () =>
    sharp({ create: { width: 320, height: 200, channels: 4, background: '#ff3366' } })
      .png()
      .toBuffer();
  const upload = (token: string, bytes: Buffer) => {
    const form = new FormData();
    form.append('file', new File([new Uint8Array(bytes)], 'photo.png', { type: 'image/png' }));
    return api.app.request('/api/uploads', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
  };

  beforeAll(async () => {
    studio = await createTestStudio();
    api = studio.api;
    const a = await createUser(studio.database.db, 'alice@example.com', 'password-123');
    const b = await createUser(studio.database.db, 'bob@example.com', 'password-123');
    [aliceId, bobId] = [a.id, b.id];
    alice = await tokenFor(studio.database.db, a);
    bob = await tokenFor(studio.database.db, b);
    alicePhoto = ((await (await upload(alice, await png())).json()) as { photoKey: string })
      .photoKey;
    const created = await call(alice, 'POST', '/sessions', {
      productPrompt: 'pink tennis shoes',
      imageCount: 4,
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as SessionView).sessionId;
    await waitForState(
      studio.worker.client.workflow.getHandle(id),
      (s) => s.stage === 'awaiting_image_approval',
    );
    aliceSession = (await (await call(alice, 'GET', `/sessions/${id}`)).json()) as SessionView;
  });
  afterAll(() => studio.close());

  describe('finding 1: keys are parsed as ids, never followed as paths', () => {
    it("refuses photo keys that walk to another user's upload or session files", async () => {
      const [, , file] = alicePhoto.split('/');
      const image = aliceSession.images[0]!;
      const sessions = await studio.database.db.session.count();
      for (const key of [
        `uploads/${bobId}/../${aliceId}/${file}`,
        `uploads/${bobId}/../../sessions/${aliceSession.sessionId}/images/${image.id}.png`,
        `uploads/${bobId}/%2e%2e/${aliceId}/${file}`,
        `uploads/${bobId}/./${file}`,
        `/${alicePhoto}`,
        `${alicePhoto}\u0000.png`,
        image.storageKey!,
      ]) {
        const response = await call(bob, 'POST', '/sessions', {
          productPrompt: 'red sneakers',
          productPhotoKey: key,
        });
        expect(response.status, key).toBe(400);
        expect((await error(response)).code).toBe('VALIDATION_FAILED');
      }
      // Well formed but someone else's: as missing as a photo that never existed.
      const stolen = await call(bob, 'POST', '/sessions', {
        productPrompt: 'red sneakers',
        productPhotoKey: alicePhoto,
      });
      expect(stolen.status).toBe(404);
      expect(await error(stolen)).toEqual({
        code: 'NOT_FOUND',
        message: 'No such photo. Upload it again.',
      });
      expect(await studio.database.db.session.count()).toBe(sessions);
    });

    it("reaches no other user's session, asset or file through any id", async () => {
      const { sessionId } = aliceSession;
      const image = aliceSession.images[0]!;
      for (const [method, path, body] of [
        ['GET', `/sessions/${sessionId}`, undefined],
        ['GET', `/sessions/${sessionId}/costs`, undefined],
        ['POST', `/sessions/${sessionId}/cancel`, undefined],
        ['POST', `/sessions/${sessionId}/images/${image.id}/regenerate`, {}],
        ['POST', `/sessions/${sessionId}/clips/${image.id}/regenerate`, {}],
        ['POST', `/sessions/${sessionId}/clips/approve`, { clipIds: [image.id] }],
        ['POST', `/sessions/${sessionId}/retry`, {}],
      ] as const) {
        const response = await call(bob, method, path, body);
        expect(response.status, `${method} ${path}`).toBe(404);
      }
      // Path-shaped ids are not ids at all.
      for (const path of [
        `/sessions/..%2F${sessionId}`,
        `/sessions/${sessionId}%00`,
        `/sessions/${sessionId}/images/..%2F${image.id}/regenerate`,
      ]) {
        const post = path.endsWith('regenerate');
        const response = await call(alice, post ? 'POST' : 'GET', path, post ? {} : undefined);
        expect(response.status, path).toBe(400);
      }
    });

    it('serves files only under keys the server builds, even with a valid signature', async () => {
      const secret = api.config.JWT_SECRET;
      const exp = Math.floor(Date.now() / 1000) + 60;
      const image = aliceSession.images[0]!;
      const local = join(api.storageDir, '..', 'photo-copy.png');
      await writeFile(local, await png());
      await api.storage.putFile(image.storageKey!, local, 'image/png');
      const own = aliceSession.urls[image.id]!;
      expect((await api.app.request(own)).status).toBe(200);

      const [, , file] = alicePhoto.split('/');
      for (const key of [
        `uploads/${bobId}/../${aliceId}/${file}`,
        `sessions/x/images/../../${alicePhoto}`,
        '../secrets.json',
      ]) {
        const sig = signFileUrl(secret, key, exp);
        const path = key.split('/').map(encodeURIComponent).join('/');
        const response = await api.app.request(`/api/files/${path}?exp=${exp}&sig=${sig}`);
        // Refused by the key check (403), or normalised by URL parsing to another route (404).
        expect([403, 404], key).toContain(response.status);
      }
      // The drivers refuse such keys whoever asks.
      expect(await api.storage.head(`uploads/${bobId}/../${aliceId}/${file}`)).toBeNull();
      await expect(
        api.storage.getToFile(`uploads/${bobId}/../${aliceId}/${file}`, local),
      ).rejects.toThrow(/known shape/);
    });
  });

  describe('finding 2: control characters are refused everywhere, with a stable code', () => {
    const NUL = '\u0000';

    it('answers 400 VALIDATION_FAILED for a NUL in every string field, and nothing breaks', async () => {
      const { sessionId } = aliceSession;
      const image = aliceSession.images[0]!;
      const composeBody = {
        productName: 'Aero',
        callToAction: 'Shop now',
        tagline: 'Run',
        colors: { primary: '#000000', accent: '#ff0000', text: '#ffffff' },
        music: { enabled: false, genre: 'upbeat' },
      };
      const poisoned: Array<[string, string, Record<string, unknown>]> = [
        ['/sessions', 'productPrompt', { productPrompt: `shoes${NUL}` }],
        ['/sessions', 'title', { productPrompt: 'shoes', title: `a${NUL}b` }],
        ['/sessions', 'productPhotoKey', { productPrompt: 'shoes', productPhotoKey: NUL }],
        [
          `/sessions/${sessionId}/images/approve`,
          'videoPrompt',
          { imageIds: [image.id, aliceSession.images[1]!.id], videoPrompt: `zoom${NUL}` },
        ],
        [
          `/sessions/${sessionId}/images/approve`,
          'imageIds',
          { imageIds: [image.id, `${image.id}${NUL}`], videoPrompt: 'zoom' },
        ],
        [`/sessions/${sessionId}/images/${image.id}/regenerate`, 'prompt', { prompt: `a${NUL}` }],
        [`/sessions/${sessionId}/clips/approve`, 'clipIds', { clipIds: [NUL] }],
        [`/sessions/${sessionId}/compose`, 'productName', { ...composeBody, productName: NUL }],
        [`/sessions/${sessionId}/compose`, 'callToAction', { ...composeBody, callToAction: NUL }],
        [`/sessions/${sessionId}/compose`, 'tagline', { ...composeBody, tagline: `x${NUL}` }],
        [`/sessions/${sessionId}/retry`, 'productPrompt', { productPrompt: `shoes${NUL}` }],
        [`/sessions/${sessionId}/retry`, 'videoPrompt', { videoPrompt: `zoom\u001b[2J` }],
      ];
      const before = await studio.database.db.session.count();
      for (const [path, field, body] of poisoned) {
        const response = await call(alice, 'POST', path, body);
        expect(response.status, `${path} ${field}`).toBe(400);
        const { code, message } = await error(response);
        expect(code).toBe('VALIDATION_FAILED');
        expect(message.startsWith(`${field}`), message).toBe(true);
      }
      for (const path of [`/sessions/${sessionId}${NUL}`, `/sessions/${sessionId}${NUL}/costs`]) {
        const response = await call(alice, 'GET', path.replace(NUL, '%00'));
        expect(response.status).toBe(400);
        expect((await error(response)).code).toBe('VALIDATION_FAILED');
      }
      const signIn = await api.app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'alice@example.com', password: `password-123${NUL}` }),
      });
      expect(signIn.status).toBe(400);

      // Nothing was created or changed, and the session still answers.
      expect(await studio.database.db.session.count()).toBe(before);
      const after = await call(alice, 'GET', `/sessions/${sessionId}`);
      expect(after.status).toBe(200);
      expect(((await after.json()) as SessionView).stage).toBe('awaiting_image_approval');
    });

    it('keeps line breaks in prompts, where people type paragraphs', async () => {
      const response = await call(alice, 'POST', '/quote', { imageCount: 4 });
      expect(response.status).toBe(200);
      const created = await call(alice, 'POST', '/sessions', {
        productPrompt: 'pink tennis shoes\nwith white laces',
        imageCount: 4,
      });
      expect(created.status).toBe(201);
      expect(((await created.json()) as SessionView).productPrompt).toBe(
        'pink tennis shoes\nwith white laces',
      );
    });
  });

  describe('finding 3: answers never carry internals', () => {
    const LEAKS = /prisma|invocation|\/work\/|\.ts:\d+|at .*\(|vips|libpng|stack|select |ECONN/i;

    it('turns an unexpected failure into INTERNAL with a plain sentence', async () => {
      const db = studio.database.db;
      // A database that fails the way Prisma does, with its query text and a source path.
      const failing = new Proxy(db, {
        get(target, property, receiver) {
          if (property !== 'session') return Reflect.get(target, property, receiver) as unknown;
          return {
            findMany: () =>
              Promise.reject(
                new Error(
                  'Invalid `prisma.session.findMany()` invocation in\n/work/app/api/routes/sessions.ts:301:7\n\nSELECT * FROM sessions',
                ),
              ),
          };
        },
      });
      const broken = await createTestApi(failing, studio.database.url);
      const response = await broken.app.request('/api/sessions', {
        headers: { authorization: `Bearer ${alice}` },
      });
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({
        error: {
          code: 'INTERNAL',
          message: 'Something went wrong on our side. Try again in a moment.',
        },
      });
      expect(text).not.toMatch(LEAKS);
      await broken.close();
    });

    it('answers a body of the wrong type with 400, not 500', async () => {
      for (const path of ['/api/auth/login', '/api/auth/signup', '/api/sessions']) {
        const response = await api.app.request(path, {
          method: 'POST',
          headers: { authorization: `Bearer ${alice}`, 'content-type': 'text/plain' },
          body: '{"email": "a@example.com", "password": "x"}',
        });
        expect(response.status, path).toBe(400);
        expect((await error(response)).code).toBe('VALIDATION_FAILED');
      }
    });

    it("answers malformed JSON in the API's words", async () => {
      const response = await api.app.request('/api/sessions', {
        method: 'POST',
        headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
        body: '{"productPrompt": "shoes",',
      });
      expect(response.status).toBe(400);
      expect(await error(response)).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'The request is not valid JSON or form data.',
      });
    });

    it('refuses corrupt images with a message for a person, not the image library', async () => {
      const good = await png();
      const truncated = good.subarray(0, Math.floor(good.length * 0.6));
      const scrambled = Buffer.from(good);
      for (let i = 60; i < scrambled.length - 20; i += 7) scrambled[i] = 0xa5;
      for (const bytes of [truncated, scrambled]) {
        const response = await upload(alice, bytes);
        const text = await response.text();
        expect(response.status).toBe(422);
        expect(JSON.parse(text)).toEqual({
          error: {
            code: 'MEDIA_INVALID',
            message: 'This file is not a PNG, JPEG or WebP image we can read.',
          },
        });
        expect(text).not.toMatch(LEAKS);
      }
    });
  });

  describe('finding 6: body limits and security headers', () => {
    it('refuses oversized bodies with 413 before reading them, signed in or not', async () => {
      const big = JSON.stringify({ productPrompt: 'x'.repeat(2 * 1024 * 1024) });
      for (const [path, headers] of [
        ['/api/auth/login', {}],
        ['/api/sessions', { authorization: `Bearer ${alice}` }],
        ['/api/nope', {}],
      ] as const) {
        const response = await api.app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: big,
        });
        expect(response.status, path).toBe(413);
        expect((await error(response)).code).toBe('PAYLOAD_TOO_LARGE');
      }
      // Without a Content-Length (chunked), the cap holds while streaming.
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 40) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const streamed = await api.app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: stream,
        duplex: 'half',
      });
      expect(streamed.status).toBe(413);
    });

    it('sends security headers on every answer, errors included', async () => {
      for (const [path, status] of [
        ['/api/health', 200],
        ['/api/nope', 404],
        ['/api/me', 401],
        ['/api/docs', 200],
      ] as const) {
        const response = await api.app.request(path);
        expect(response.status, path).toBe(status);
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        const csp = response.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("default-src 'none'");
        expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
      }
      // The docs page runs with that CSP: its script is a file of its own, not inline.
      const page = await (await api.app.request('/api/docs')).text();
      expect(page).not.toMatch(/<script>(?!<\/script>)/);
      expect((await api.app.request('/api/docs/assets/init.js')).status).toBe(200);
    });
  });
});
