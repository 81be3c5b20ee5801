import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/support/database';
import { createTestApi, createUser } from '../test/support/api';

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('API', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Awaited<ReturnType<typeof createTestApi>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createTestApi(database.db, database.url, { LOGIN_RATE_LIMIT_PER_MINUTE: '5' });
    await createUser(database.db, 'ada@example.com', 'correct horse battery', 'Ada');
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('answers liveness', async () => {
    const response = await api.app.request('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('reports ready when the database, Temporal and storage answer', async () => {
    const response = await api.app.request('/api/ready');
    const body = (await response.json()) as {
      status: string;
      checks: Record<string, { ok: boolean }>;
    };
    expect(response.status).toBe(200);
    expect(body.status).toBe('ready');
    expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
  });

  it('reports not ready, naming Temporal, when Temporal is unreachable', async () => {
    const broken = await createTestApi(database.db, database.url, {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    const response = await broken.app.request('/api/ready');
    const body = (await response.json()) as {
      status: string;
      checks: Record<string, { ok: boolean; error?: string }>;
    };
    expect(response.status).toBe(503);
    expect(body.status).toBe('not_ready');
    expect(body.checks.temporal?.ok).toBe(false);
    expect(body.checks.temporal?.error).toBeTruthy();
    expect(body.checks.database?.ok).toBe(true);
    await broken.close();
  });

  it('signs in with the right password and sets an httpOnly cookie', async () => {
    const response = await api.app.request(
      '/api/auth/login',
      json({ email: 'ada@example.com', password: 'correct horse battery' }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { user: { email: string }; token: string };
    expect(body.user.email).toBe('ada@example.com');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^studio_session=/);
    expect(cookie).toMatch(/HttpOnly/i);

    const me = await api.app.request('/api/me', { headers: { cookie: cookie.split(';')[0]! } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { name: string } }).user.name).toBe('Ada');
    const bearer = await api.app.request('/api/me', {
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(bearer.status).toBe(200);
  });

  it('rejects a wrong password and an unknown email alike', async () => {
    for (const credentials of [
      { email: 'ada@example.com', password: 'wrong' },
      { email: 'nobody@example.com', password: 'correct horse battery' },
    ]) {
      const response = await api.app.request('/api/auth/login', {
        ...json(credentials),
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' },
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 'UNAUTHORIZED', message: 'Wrong email or password.' },
      });
    }
  });

  it('rejects malformed input with a stable code and a readable message', async () => {
    const response = await api.app.request('/api/auth/login', json({ email: 'not-an-email' }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; message: string; details: unknown[] };
    };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toBe('email: Enter a valid email address.');
    expect(body.error.details).toHaveLength(2);
  });

  it('limits sign-in attempts per client', async () => {
    // The direct peer is the client (no trusted proxy in between).
    const peer = { incoming: { socket: { remoteAddress: '203.0.113.9' } } };
    // Another account each time: the limit is on the client, whatever it tries.
    let tries = 0;
    const attempt = () =>
      api.app.request(
        '/api/auth/login',
        json({ email: `nobody-else-${tries++}@example.com`, password: 'guess' }),
        peer,
      );
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await attempt();
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });

  it('requires sign-in for /me', async () => {
    const response = await api.app.request('/api/me');
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'UNAUTHORIZED',
    );
    const forged = await api.app.request('/api/me', {
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(forged.status).toBe(401);
  });

  it('answers unknown endpoints with a JSON 404', async () => {
    const response = await api.app.request('/api/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'No such endpoint.' },
    });
  });

  it('serves stored files only through valid, unexpired signed URLs', async () => {
    const local = join(api.storageDir, '..', 'upload.png');
    await writeFile(local, Buffer.from('89504e47', 'hex'));
    await api.storage.putFile('sessions/s1/images/a1.png', local, 'image/png');
    const url = await api.storage.signedUrl('sessions/s1/images/a1.png', { expiresInSeconds: 60 });
    const ok = await api.app.request(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await ok.arrayBuffer()).toString('hex')).toBe('89504e47');

    const tampered = url.replace('a1.png', 'a2.png');
    expect((await api.app.request(tampered)).status).toBe(403);
    const expired = await api.storage.signedUrl('sessions/s1/images/a1.png', {
      expiresInSeconds: -5,
    });
    expect((await api.app.request(expired)).status).toBe(403);
  });

  it('publishes an OpenAPI document and a docs page', async () => {
    const doc = (await (await api.app.request('/api/openapi.json')).json()) as {
      info: { description: string };
      servers: Array<{ url: string }>;
      paths: Record<string, unknown>;
    };
    expect(doc.servers).toEqual([{ url: '/api' }]);
    // The length the studio makes now (it once said 8-12 s).
    expect(doc.info.description).toContain('8-30 s');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/health', '/ready', '/auth/login', '/me']),
    );
    const page = await api.app.request('/api/docs');
    expect(await page.text()).toContain('/api/docs/assets/init.js');
    const init = await api.app.request('/api/docs/assets/init.js');
    expect(await init.text()).toContain('/api/openapi.json');
    const asset = await api.app.request('/api/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
  });
});
