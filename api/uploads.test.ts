import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, tokenFor } from '../test/support/api';
import { createTestStudio } from '../test/support/studio';
import type { SessionView } from './routes/sessions';

/** Product photos: only real images, size-capped, and usable only by their owner. */
describe('product photo uploads', () => {
  let studio: Awaited<ReturnType<typeof createTestStudio>>;
  let api: typeof studio.api;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    studio = await createTestStudio();
    const { database } = studio;
    api = studio.api;
    alice = await tokenFor(
      database.db,
      await createUser(database.db, 'a@example.com', 'password-123'),
    );
    bob = await tokenFor(
      database.db,
      await createUser(database.db, 'b@example.com', 'password-123'),
    );
  });
  afterAll(() => studio.close());

  const upload = (token: string, bytes: Buffer, name: string, type: string) => {
    const form = new FormData();
    form.append('file', new File([new Uint8Array(bytes)], name, { type }));
    return api.app.request('/api/uploads', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
  };
  const png = () =>
    sharp({ create: { width: 320, height: 200, channels: 4, background: '#ff3366' } })
      .png()
      .toBuffer();
  const error = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;

  it('stores a real image under the user, with its size and hash', async () => {
    const response = await upload(alice, await png(), 'shoe.png', 'image/png');
    expect(response.status).toBe(201);
    const body = (await response.json()) as {
      photoKey: string;
      width: number;
      height: number;
      mime: string;
    };
    expect(body).toMatchObject({ width: 320, height: 200, mime: 'image/png' });
    expect(body.photoKey).toMatch(/^uploads\/[0-9a-f-]+\/[0-9a-f-]+\.png$/);
    expect(await api.storage.head(body.photoKey)).toMatchObject({ contentType: 'image/png' });
  });

  it('judges the file by its bytes, not its name or declared type', async () => {
    const response = await upload(
      alice,
      Buffer.from('<html>not an image</html>'),
      'shoe.png',
      'image/png',
    );
    expect(response.status).toBe(422);
    expect(await error(response)).toEqual({
      code: 'MEDIA_INVALID',
      message: 'This file is not a PNG, JPEG or WebP image we can read.',
    });
    const truncated = (await png()).subarray(0, 40);
    expect((await upload(alice, truncated, 'cut.png', 'image/png')).status).toBe(422);
  });

  it('tells a client that does not send a form how to send the photo (issue 15)', async () => {
    for (const [type, body] of [
      ['application/json', JSON.stringify({ file: 'shoe.png' })],
      ['application/octet-stream', 'not a form'],
    ] as const) {
      const response = await api.app.request('/api/uploads', {
        method: 'POST',
        headers: { authorization: `Bearer ${alice}`, 'content-type': type },
        body,
      });
      expect(response.status).toBe(400);
      const { code, message } = await error(response);
      expect(code).toBe('VALIDATION_FAILED');
      expect(message).toMatch(/multipart\/form-data/);
      expect(message).toMatch(/"file"/);
      expect(message).not.toMatch(/JSON/);
    }
  });

  it('refuses a photo of too many pixels however small its file, in plain words (issue 15)', async () => {
    // 8000 × 8000 of one colour: 64 million pixels in a file of a few kilobytes.
    const bomb = await sharp({
      create: { width: 8000, height: 8000, channels: 3, background: '#ffffff' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(200 * 1024);
    const response = await upload(alice, bomb, 'huge.png', 'image/png');
    expect(response.status).toBe(422);
    expect(await error(response)).toEqual({
      code: 'MEDIA_INVALID',
      message:
        'This photo has 64 million pixels; the studio takes up to 25 million (6000 × 4000, say). Make it smaller and upload it again.',
    });
    // Too long on one side is refused in the same words, whatever its area.
    const strip = await sharp({
      create: { width: 9000, height: 10, channels: 3, background: '#ffffff' },
    })
      .png()
      .toBuffer();
    expect((await error(await upload(alice, strip, 'strip.png', 'image/png'))).message).toMatch(
      /^This photo is 9000 pixels wide; the studio takes up to 8000 on a side\./,
    );
  });

  it('refuses photos over 10 MB', async () => {
    const big = Buffer.concat([await png(), Buffer.alloc(11 * 1024 * 1024)]);
    const response = await upload(alice, big, 'big.png', 'image/png');
    expect(response.status).toBe(422);
    expect((await error(response)).message).toBe(
      'The photo is larger than 10 MB. Choose a smaller one.',
    );
  });

  it("starts a session with the user's own photo, and refuses anyone else's", async () => {
    const uploaded = (await (await upload(alice, await png(), 'shoe.png', 'image/png')).json()) as {
      photoKey: string;
    };
    const create = (token: string) =>
      api.app.request('/api/sessions', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ productPrompt: 'red sneakers', productPhotoKey: uploaded.photoKey }),
      });
    const stolen = await create(bob);
    expect(stolen.status).toBe(404);
    expect(await error(stolen)).toEqual({
      code: 'NOT_FOUND',
      message: 'No such photo. Upload it again.',
    });

    const created = await create(alice);
    expect(created.status).toBe(201);
    expect(((await created.json()) as SessionView).productPhotoKey).toBe(uploaded.photoKey);
  });
});
