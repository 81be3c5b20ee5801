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
