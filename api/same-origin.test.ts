import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, createUser } from '../test/support/api';
import { createTestDatabase } from '../test/support/database';

/**
 * Issue 15: body-less POSTs (cancel, logout) accepted a form posted from any same-site page
 * (another port on the same host, a sibling subdomain), whose SameSite=Lax cookie the browser
 * sends. Every state-changing request is now checked for where it comes from, and bodies must
 * be JSON; clients that are not browsers (bearer tokens, no Origin) keep working.
 */
describe('state-changing requests from elsewhere', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Awaited<ReturnType<typeof createTestApi>>;
  const sessionId = 'session-origin-check';
  const STUDIO = 'http://127.0.0.1:3000';

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createTestApi(database.db, database.url, { PUBLIC_URL: STUDIO });
    const user = await createUser(database.db, 'mia@example.com', 'a long passphrase', 'Mia');
    await database.db.session.create({
      data: {
        id: sessionId,
        userId: user.id,
        title: 'Shoes',
        stage: 'awaiting_image_approval',
        productPrompt: 'shoes',
        budgetUsd: 5,
      },
    });
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  const signIn = async (headers: Record<string, string> = {}) => {
    const response = await api.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email: 'mia@example.com', password: 'a long passphrase' }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    const { token } = (await response.json()) as { token: string };
    return { cookie, token };
  };
  const post = (path: string, headers: Record<string, string>) =>
    api.app.request(`/api${path}`, { method: 'POST', headers });
  const signedIn = async (cookie: string) =>
    (await api.app.request('/api/me', { headers: { cookie } })).status === 200;
  const codeOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string } }).error.code;

  it('refuses a form post from a same-site page or another site, and the sign-in lives on', async () => {
    const { cookie } = await signIn();
    const attempts: Array<[string, Record<string, string>]> = [
      ['/auth/logout', { 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:4000' }],
      ['/auth/logout', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
      // A browser that sends no fetch metadata still sends Origin on a POST.
      ['/auth/logout', { origin: 'http://files.127.0.0.1.nip.io:3000' }],
      ['/auth/logout', { origin: 'null' }],
      [
        `/sessions/${sessionId}/cancel`,
        {
          'sec-fetch-site': 'same-site',
          'content-type': 'application/x-www-form-urlencoded',
        },
      ],
    ];
    for (const [path, headers] of attempts) {
      const response = await post(path, { cookie, ...headers });
      expect(response.status).toBe(403);
      expect(await codeOf(response)).toBe('FORBIDDEN');
    }
    expect(await signedIn(cookie)).toBe(true);
    const row = await database.db.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row.stage).toBe('awaiting_image_approval');
  });

  it('refuses the bodies an HTML form can send, wherever they come from', async () => {
    const { cookie } = await signIn();
    for (const type of [
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/plain',
    ]) {
      const response = await post(`/sessions/${sessionId}/cancel`, {
        cookie,
        'content-type': type,
      });
      expect(response.status).toBe(400);
      expect(await codeOf(response)).toBe('VALIDATION_FAILED');
    }
    expect(await signedIn(cookie)).toBe(true);
  });

  it("accepts the studio's own pages and clients that are not browsers", async () => {
    // The studio's page, addressed by PUBLIC_URL or by another name its proxy saw.
    await signIn({ 'sec-fetch-site': 'same-origin', origin: STUDIO });
    await signIn({ origin: STUDIO });
    const viaProxy = await api.app.request(
      '/api/auth/login',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: 'http://studio.internal:3000',
          'x-forwarded-host': 'studio.internal:3000',
          'x-forwarded-for': '192.0.2.8',
        },
        body: JSON.stringify({ email: 'mia@example.com', password: 'a long passphrase' }),
      },
      { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
    );
    expect(viaProxy.status).toBe(200);

    const page = await signIn();
    const out = await post('/auth/logout', {
      cookie: page.cookie,
      'sec-fetch-site': 'same-origin',
      origin: STUDIO,
    });
    expect(out.status).toBe(200);
    expect(await signedIn(page.cookie)).toBe(false);

    // A bearer client sends no Origin at all.
    const script = await signIn();
    const bearerOut = await post('/auth/logout', { authorization: `Bearer ${script.token}` });
    expect(bearerOut.status).toBe(200);
  });
});
