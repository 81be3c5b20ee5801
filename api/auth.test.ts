import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../core/demo';
import { hashPassword } from './auth';
import { TEST_JWT_SECRET, createTestApi, createUser } from '../test/support/api';
import { createTestDatabase } from '../test/support/database';

/**
 * Issue 9's account findings: rate limits that a header cannot dodge, and sign-ins that can be
 * ended (sign out, password change, a deleted account), with short-lived access tokens,
 * rotated refresh tokens and Secure cookies behind HTTPS.
 */

type Api = Awaited<ReturnType<typeof createTestApi>>;
interface SignedIn {
  user: { id: string; email: string; name: string };
  token: string;
  refreshToken?: string;
}

const peer = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
/** A new client address per call, for tests about tokens rather than limits. */
let clients = 0;
const freshPeer = () => {
  clients++;
  return peer(`100.64.${Math.floor(clients / 250)}.${(clients % 250) + 1}`);
};
const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const cookiesOf = (response: Response) => response.headers.getSetCookie();
const cookieHeader = (response: Response) =>
  cookiesOf(response)
    .map((c) => c.split(';')[0]!)
    .join('; ');
const codeOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe('accounts and tokens', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Api;
  const extra: Api[] = [];
  const apiWith = async (overrides: Record<string, string>) => {
    const made = await createTestApi(database.db, database.url, overrides);
    extra.push(made);
    return made;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createTestApi(database.db, database.url, { LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    await createUser(database.db, 'ada@example.com', 'correct horse battery', 'Ada');
  });
  afterAll(async () => {
    for (const other of extra) await other.close();
    await api.close();
    await database.drop();
  });

  const signIn = (on: Api, email: string, password: string, env = freshPeer()) =>
    on.app.request('/api/auth/login', post({ email, password }), env);
  const me = (on: Api, headers: Record<string, string>) =>
    on.app.request('/api/me', { headers }, freshPeer());

  describe('finding 4: rate limits key on the real client and the account', () => {
    it('does not let a spoofed X-Forwarded-For dodge the sign-in limit', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await api.app.request(
          '/api/auth/login',
          post(
            { email: `guess-${i}@example.com`, password: 'guess' },
            { 'x-forwarded-for': `10.0.0.${i}` },
          ),
          peer('198.51.100.7'),
        );
        statuses.push(response.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    });

    it('behind the trusted proxy, limits each client on its own', async () => {
      const viaProxy = (client: string, email: string) =>
        api.app.request(
          '/api/auth/login',
          post({ email, password: 'guess' }, { 'x-forwarded-for': client }),
          peer('127.0.0.1'),
        );
      const first = [];
      for (let i = 0; i < 4; i++)
        first.push((await viaProxy('203.0.113.1', `a${i}@example.com`)).status);
      expect(first).toEqual([401, 401, 401, 429]);
      // Another person behind the same proxy is not in that bucket.
      expect((await viaProxy('203.0.113.2', 'b@example.com')).status).toBe(401);
      // A client that prepends its own hop still counts as the address the proxy saw.
      expect((await viaProxy('10.9.9.9, 203.0.113.1', 'c@example.com')).status).toBe(429);
    });

    it('lets no one lock the owner out: guesses slow down only their own address (issue 15)', async () => {
      const roomy = await apiWith({ LOGIN_RATE_LIMIT_PER_MINUTE: '20' });
      await createUser(database.db, 'eve@example.com', 'a good password', 'Eve');
      // Guesses from many addresses, then more from one of them.
      for (let i = 0; i < 12; i++) {
        expect(
          (await signIn(roomy, 'eve@example.com', 'wrong', peer(`192.0.2.${50 + i}`))).status,
        ).toBe(401);
      }
      const guesser = peer('198.51.100.66');
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await signIn(roomy, 'eve@example.com', 'wrong', guesser)).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401]);
      // That address now waits, even with the right password: the guesser cannot learn it.
      const waiting = await signIn(roomy, 'eve@example.com', 'a good password', guesser);
      expect(waiting.status).toBe(429);
      expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The owner, from their own address, signs in at once.
      expect(
        (await signIn(roomy, 'eve@example.com', 'a good password', peer('203.0.113.77'))).status,
      ).toBe(200);
    });
  });

  describe('finding 5: sign-ins that end', () => {
    it('signs up, signs in with cookies and refreshes transparently from the refresh cookie', async () => {
      const created = await api.app.request(
        '/api/auth/signup',
        post({ email: 'Grace@Example.com', name: 'Grace', password: 'a long passphrase' }),
        peer('192.0.2.10'),
      );
      expect(created.status).toBe(202);
      expect(cookiesOf(created)).toEqual([]);
      const signedIn = await signIn(api, 'grace@example.com', 'a long passphrase');
      expect(signedIn.status).toBe(200);
      const body = (await signedIn.json()) as SignedIn;
      expect(body.user).toMatchObject({ email: 'grace@example.com', name: 'Grace' });
      const cookies = cookiesOf(signedIn);
      expect(cookies.find((c) => c.startsWith('studio_session='))).toMatch(/HttpOnly/);
      const refresh = cookies.find((c) => c.startsWith('studio_refresh='))!;
      expect(refresh).toMatch(/HttpOnly/);
      expect(refresh).toMatch(/Path=\/api/);
      expect(refresh).not.toMatch(/Secure/);
      expect((await me(api, { cookie: cookieHeader(signedIn) })).status).toBe(200);

      // Only the refresh cookie left (the access cookie expired in the browser): still signed in.
      const onlyRefresh = refresh.split(';')[0]!;
      const renewed = await me(api, { cookie: onlyRefresh });
      expect(renewed.status).toBe(200);
      const rotated = cookiesOf(renewed).find((c) => c.startsWith('studio_refresh='))!;
      expect(rotated.split(';')[0]).not.toBe(onlyRefresh);

      const weak = await api.app.request(
        '/api/auth/signup',
        post({ email: 'h@example.com', name: 'H\u0000', password: 'short' }),
        peer('192.0.2.10'),
      );
      expect(weak.status).toBe(400);
    });

    it('answers sign-up alike for a known and a new address, and leaves the known account as it was (issue 15)', async () => {
      const answer = async (email: string, password: string) => {
        const response = await api.app.request(
          '/api/auth/signup',
          post({ email, name: 'Someone', password }),
          freshPeer(),
        );
        return {
          status: response.status,
          body: await response.json(),
          cookies: cookiesOf(response),
        };
      };
      const known = await answer('ada@example.com', 'an attacker passphrase');
      const fresh = await answer('newcomer@example.com', 'a newcomer passphrase');
      expect(known).toEqual(fresh);
      expect(known.status).toBe(202);
      expect(known.cookies).toEqual([]);
      // The owner's password still works and the attacker's does not; the newcomer's account exists.
      expect((await signIn(api, 'ada@example.com', 'correct horse battery')).status).toBe(200);
      expect((await signIn(api, 'ada@example.com', 'an attacker passphrase')).status).toBe(401);
      expect((await signIn(api, 'newcomer@example.com', 'a newcomer passphrase')).status).toBe(200);
    });

    it('refuses the commonest passwords and the e-mail as the password, and strips bidi controls from names (issue 15)', async () => {
      const signUp = (email: string, password: string, name = 'Someone') =>
        api.app.request('/api/auth/signup', post({ email, name, password }), freshPeer());
      const message = async (response: Response) =>
        ((await response.json()) as { error: { code: string; message: string } }).error;
      for (const common of ['1234567890', 'Password123', 'qwertyuiop']) {
        const refused = await signUp('common@example.com', common);
        expect(refused.status).toBe(400);
        expect(await message(refused)).toMatchObject({
          code: 'VALIDATION_FAILED',
          message: expect.stringMatching(/most common passwords/) as unknown,
        });
      }
      for (const own of ['Mirror.Person@example.com', 'mirror.person@example.com']) {
        const refused = await signUp('mirror.person@example.com', own);
        expect(refused.status).toBe(400);
        expect((await message(refused)).message).toMatch(/other than your e-mail address/);
      }
      expect(
        await database.db.user.count({
          where: { email: { in: ['common@example.com', 'mirror.person@example.com'] } },
        }),
      ).toBe(0);

      const spoofed = await signUp(
        'rtl@example.com',
        'a fine passphrase',
        'Ada\u202Egpj.exe\u2066',
      );
      expect(spoofed.status).toBe(202);
      const stored = await database.db.user.findUniqueOrThrow({
        where: { email: 'rtl@example.com' },
      });
      expect(stored.name).toBe('Adagpj.exe');

      // A new password follows the same rules.
      const ada = (await (
        await signIn(api, 'ada@example.com', 'correct horse battery')
      ).json()) as SignedIn;
      const change = await api.app.request(
        '/api/auth/password',
        post(
          { currentPassword: 'correct horse battery', newPassword: 'ada@example.com' },
          { authorization: `Bearer ${ada.token}` },
        ),
      );
      expect(change.status).toBe(400);
    });

    it('sign-up can be turned off', async () => {
      const closed = await apiWith({ SIGNUP_ENABLED: 'false' });
      const response = await closed.app.request(
        '/api/auth/signup',
        post({ email: 'x@example.com', name: 'X', password: 'a long passphrase' }),
      );
      expect(response.status).toBe(403);
      expect(await codeOf(response)).toBe('FORBIDDEN');
      const options = await (await closed.app.request('/api/auth/options')).json();
      expect(options).toMatchObject({ signupEnabled: false });
    });

    it('sign-out revokes the access and the refresh token', async () => {
      const response = await signIn(api, 'ada@example.com', 'correct horse battery');
      expect(response.status).toBe(200);
      const { token, refreshToken } = (await response.json()) as SignedIn;
      const bearer = { authorization: `Bearer ${token}` };
      expect((await me(api, bearer)).status).toBe(200);

      const out = await api.app.request('/api/auth/logout', {
        method: 'POST',
        headers: { ...bearer, cookie: cookieHeader(response) },
      });
      expect(out.status).toBe(200);
      expect(cookiesOf(out).join('\n')).toMatch(/studio_session=;.*Max-Age=0/);
      expect((await me(api, bearer)).status).toBe(401);
      const refreshed = await api.app.request('/api/auth/refresh', post({ refreshToken }));
      expect(refreshed.status).toBe(401);
    });

    it('rotates refresh tokens and ends the sign-in when a rotated one is replayed', async () => {
      const first = (await (
        await signIn(api, 'ada@example.com', 'correct horse battery')
      ).json()) as SignedIn;
      const next = await api.app.request(
        '/api/auth/refresh',
        post({ refreshToken: first.refreshToken }),
      );
      expect(next.status).toBe(200);
      const second = (await next.json()) as SignedIn;
      expect(second.refreshToken).toBeTruthy();
      expect(second.refreshToken).not.toBe(first.refreshToken);

      // A replay long after the rotation (a stolen copy): as if a minute had passed.
      await database.db.refreshToken.updateMany({
        where: { rotatedAt: { not: null }, user: { email: 'ada@example.com' } },
        data: { rotatedAt: new Date(Date.now() - 60_000) },
      });
      const replay = await api.app.request(
        '/api/auth/refresh',
        post({ refreshToken: first.refreshToken }),
      );
      expect(replay.status).toBe(401);
      // The whole sign-in is over, the thief's and the owner's tokens alike.
      const owner = await api.app.request(
        '/api/auth/refresh',
        post({ refreshToken: second.refreshToken }),
      );
      expect(owner.status).toBe(401);
      expect((await me(api, { authorization: `Bearer ${second.token}` })).status).toBe(401);
    });

    it('lets a rotated refresh token mint one more access token at most, then ends the sign-in (issue 15)', async () => {
      const first = (await (
        await signIn(api, 'ada@example.com', 'correct horse battery')
      ).json()) as SignedIn;
      const refresh = (refreshToken: string | undefined) =>
        api.app.request('/api/auth/refresh', post({ refreshToken }));
      const rotated = await refresh(first.refreshToken);
      expect(rotated.status).toBe(200);
      const second = (await rotated.json()) as SignedIn;
      // A second request of the same page load, moments later: one grace answer, no new refresh token.
      const grace = await refresh(first.refreshToken);
      expect(grace.status).toBe(200);
      expect(((await grace.json()) as SignedIn).refreshToken).toBeUndefined();
      // Any further use within the grace period is a copy at work: the sign-in ends.
      expect((await refresh(first.refreshToken)).status).toBe(401);
      expect((await refresh(second.refreshToken)).status).toBe(401);
      expect((await me(api, { authorization: `Bearer ${second.token}` })).status).toBe(401);
    });

    it('lets a page that refreshes with several requests at once keep its sign-in', async () => {
      const signedIn = await signIn(api, 'ada@example.com', 'correct horse battery');
      const onlyRefresh = cookiesOf(signedIn)
        .find((c) => c.startsWith('studio_refresh='))!
        .split(';')[0]!;
      // Four reads of one page load, their access cookie gone: one rotation serves them all.
      const reads = await Promise.all(
        Array.from({ length: 4 }, async () => me(api, { cookie: onlyRefresh })),
      );
      expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const next = cookiesOf(reads[0]!).find((c) => c.startsWith('studio_refresh='))!;
      expect((await me(api, { cookie: next.split(';')[0]! })).status).toBe(200);
    });

    it('refuses expired and forged access tokens, and /me renews nothing beyond the sign-in', async () => {
      const response = await signIn(api, 'ada@example.com', 'correct horse battery');
      const { token, user } = (await response.json()) as SignedIn;
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
        sid: string;
        exp: number;
        iat: number;
      };
      expect(claims.exp - claims.iat).toBe(15 * 60);
      const now = Math.floor(Date.now() / 1000);
      const expired = await sign(
        { sub: user.id, sid: claims.sid, typ: 'access', iat: now - 3600, exp: now - 60 },
        TEST_JWT_SECRET,
        'HS256',
      );
      expect((await me(api, { authorization: `Bearer ${expired}` })).status).toBe(401);
      const forged = await sign(
        { sub: user.id, sid: claims.sid, typ: 'access', exp: now + 60 },
        'some-other-secret-that-is-long-enough!!',
        'HS256',
      );
      expect((await me(api, { authorization: `Bearer ${forged}` })).status).toBe(401);

      const fresh = (await (
        await me(api, { authorization: `Bearer ${token}` })
      ).json()) as SignedIn;
      const freshClaims = JSON.parse(
        Buffer.from(fresh.token.split('.')[1]!, 'base64url').toString(),
      ) as { sid: string; exp: number; iat: number };
      expect(freshClaims.sid).toBe(claims.sid);
      expect(freshClaims.exp - freshClaims.iat).toBe(15 * 60);
    });

    it('changing the password ends every other sign-in', async () => {
      await createUser(database.db, 'lin@example.com', 'first password!', 'Lin');
      const laptop = (await (
        await signIn(api, 'lin@example.com', 'first password!')
      ).json()) as SignedIn;
      const phone = (await (
        await signIn(api, 'lin@example.com', 'first password!')
      ).json()) as SignedIn;
      const change = (currentPassword: string) =>
        api.app.request(
          '/api/auth/password',
          post(
            { currentPassword, newPassword: 'second password!' },
            { authorization: `Bearer ${laptop.token}` },
          ),
        );
      expect((await change('not it')).status).toBe(401);
      expect((await change('first password!')).status).toBe(200);
      expect((await me(api, { authorization: `Bearer ${laptop.token}` })).status).toBe(200);
      expect((await me(api, { authorization: `Bearer ${phone.token}` })).status).toBe(401);
      const phoneRefresh = await api.app.request(
        '/api/auth/refresh',
        post({ refreshToken: phone.refreshToken }),
      );
      expect(phoneRefresh.status).toBe(401);
      expect((await signIn(api, 'lin@example.com', 'first password!')).status).toBe(401);
      expect((await signIn(api, 'lin@example.com', 'second password!')).status).toBe(200);
    });

    it("answers a deleted user's token with 401, not 500", async () => {
      const user = await createUser(database.db, 'gone@example.com', 'soon gone please', 'Gone');
      const { token } = (await (
        await signIn(api, 'gone@example.com', 'soon gone please')
      ).json()) as SignedIn;
      await database.db.user.delete({ where: { id: user.id } });
      const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      expect((await me(api, bearer)).status).toBe(401);
      const start = await api.app.request('/api/sessions', {
        method: 'POST',
        headers: bearer,
        body: JSON.stringify({ productPrompt: 'pink tennis shoes' }),
      });
      expect(start.status).toBe(401);
      expect(await codeOf(start)).toBe('UNAUTHORIZED');
    });

    it('marks cookies Secure when the studio is served over HTTPS', async () => {
      const secureCookie = (response: Response) =>
        cookiesOf(response).every((c) => /;\s*Secure/i.test(c));
      const https = await apiWith({ PUBLIC_URL: 'https://studio.example.com' });
      expect(secureCookie(await signIn(https, 'ada@example.com', 'correct horse battery'))).toBe(
        true,
      );
      // Over HTTPS through the trusted proxy, even with an http PUBLIC_URL.
      const proxied = await api.app.request(
        '/api/auth/login',
        post(
          { email: 'ada@example.com', password: 'correct horse battery' },
          { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.50' },
        ),
        peer('127.0.0.1'),
      );
      expect(proxied.status).toBe(200);
      expect(secureCookie(proxied)).toBe(true);
      // A client cannot claim HTTPS by itself; plain HTTP keeps plain cookies.
      const direct = await api.app.request(
        '/api/auth/login',
        post(
          { email: 'ada@example.com', password: 'correct horse battery' },
          { 'x-forwarded-proto': 'https' },
        ),
        peer('192.0.2.99'),
      );
      expect(direct.status).toBe(200);
      expect(cookiesOf(direct).some((c) => /;\s*Secure/i.test(c))).toBe(false);
    });

    it('offers the demo sign-in only while the default demo user exists', async () => {
      const before = await (await (await apiWith({})).app.request('/api/auth/options')).json();
      expect(before).toEqual({ signupEnabled: true, demo: null });
      await createUser(database.db, DEMO_USER.email, DEMO_USER.password, 'Demo');
      const after = await (await (await apiWith({})).app.request('/api/auth/options')).json();
      expect(after).toEqual({ signupEnabled: true, demo: DEMO_USER });
      await database.db.user.update({
        where: { email: DEMO_USER.email },
        data: { passwordHash: await hashPassword('a changed password') },
      });
      const changed = await (await (await apiWith({})).app.request('/api/auth/options')).json();
      expect(changed).toEqual({ signupEnabled: true, demo: null });
    });
  });
});
