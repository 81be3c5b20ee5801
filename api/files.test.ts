import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, createUser, tokenFor } from '../test/support/api';
import { createTestDatabase } from '../test/support/database';
import { signFileUrl } from '../storage/signing';

/**
 * A page left open for hours holds links that expire. The page renews them before they do, and a
 * link followed after it expired leads to a page that gets a fresh one, never to an error body.
 */
describe('file links that expire', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Awaited<ReturnType<typeof createTestApi>>;
  let alice: string;
  let bob: string;
  const key = 'sessions/session-links-1/final/0b5e4a8e-6f55-4f5c-9d35-5a1f1c2d3e4f.mp4';

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createTestApi(database.db, database.url);
    const a = await createUser(database.db, 'links-a@example.com', 'password-123');
    const b = await createUser(database.db, 'links-b@example.com', 'password-123');
    alice = await tokenFor(database.db, a);
    bob = await tokenFor(database.db, b);
    await database.db.session.create({
      data: {
        id: 'session-links-1',
        userId: a.id,
        title: 'Links',
        stage: 'completed',
        productPrompt: 'a mug',
        budgetUsd: 1,
      },
    });
    const local = join(api.storageDir, '..', 'links-video.mp4');
    await writeFile(local, Buffer.from('not really a video'));
    await api.storage.putFile(key, local, 'video/mp4');
  });
  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const expiredLink = () => {
    const exp = Math.floor(Date.now() / 1000) - 10;
    const sig = signFileUrl(api.config.JWT_SECRET, key, exp, 'links.mp4');
    return `/api/files/${key}?exp=${exp}&sig=${sig}&name=links.mp4`;
  };

  it('sends a person who follows an expired link to the page that renews it', async () => {
    const followed = await api.app.request(expiredLink(), {
      headers: { 'sec-fetch-mode': 'navigate', accept: 'text/html' },
    });
    expect(followed.status).toBe(303);
    const location = new URL(followed.headers.get('location')!, 'http://studio.test');
    expect(location.pathname).toBe('/link-expired');
    expect(location.searchParams.get('key')).toBe(key);
    expect(location.searchParams.get('name')).toBe('links.mp4');
    // A player or an image asking for it is told plainly, as before.
    const fetched = await api.app.request(expiredLink(), { headers: { 'sec-fetch-mode': 'cors' } });
    expect(fetched.status).toBe(403);
  });

  it("renews a link to the person's own file, and to nobody else's", async () => {
    const query = `key=${encodeURIComponent(key)}&name=links.mp4`;
    const own = await api.app.request(`/api/files-link?${query}`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    expect(own.status).toBe(200);
    const { url } = (await own.json()) as { url: string };
    const file = await api.app.request(url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('links.mp4');

    const other = await api.app.request(`/api/files-link?${query}`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    expect(other.status).toBe(404);
    const signedOut = await api.app.request(`/api/files-link?${query}`);
    expect(signedOut.status).toBe(401);
    for (const bad of ['key=../secrets.json', `key=${encodeURIComponent(key)}&name=a%2Fb.mp4`]) {
      const refused = await api.app.request(`/api/files-link?${bad}`, {
        headers: { authorization: `Bearer ${alice}` },
      });
      expect(refused.status, bad).toBe(400);
    }
  });

  it('answers a malformed escape in a file path as a bad link, not a server error', async () => {
    const response = await api.app.request('/api/files/sessions/%E0%A4%A/final/x.mp4?exp=1&sig=x');
    expect(response.status).toBe(403);
  });
});
