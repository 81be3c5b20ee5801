import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, tokenFor } from '../test/support/api';
import { createTestStudio } from '../test/support/studio';
import { waitForState } from '../workflows/client';
import type { sessionWorkflow } from '../workflows/session';
import type { Allowance } from './quotas';

/**
 * Issue 15: one user could open sessions without end and regenerate, keep, compose, preview as
 * fast as a script asks. Per-user quotas (open sessions, spend a day, actions a minute) refuse
 * with 429, what to do and when, and GET /api/quota tells a person what is left.
 */
describe('per-user quotas', () => {
  let studio: Awaited<ReturnType<typeof createTestStudio>>;
  beforeAll(async () => {
    studio = await createTestStudio();
  });
  afterAll(() => studio.close());

  const person = async (name: string) => {
    const user = await createUser(studio.database.db, `${name}@example.com`, 'password-123', name);
    return { user, token: await tokenFor(studio.database.db, user) };
  };
  type Api = Awaited<ReturnType<typeof studio.apiWith>>;
  const call = (api: Api, token: string, method: string, path: string, body?: unknown) =>
    api.app.request(`/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const start = (api: Api, token: string) =>
    call(api, token, 'POST', '/sessions', { productPrompt: 'pink tennis shoes', imageCount: 4 });
  const errorOf = async (response: Response) =>
    (
      (await response.json()) as {
        error: { code: string; message: string; details: Record<string, unknown> };
      }
    ).error;
  const allowance = async (api: Api, token: string) =>
    (await (await call(api, token, 'GET', '/quota')).json()) as Allowance;

  it('limits the sessions a user has open, says what to do, and frees a place when one is cancelled', async () => {
    const api = await studio.apiWith({ QUOTA_OPEN_SESSIONS: '2' });
    const { user, token } = await person('opener');
    // Four at once for two places: exactly two are admitted, and no refused row is left behind.
    const answers = await Promise.all(Array.from({ length: 4 }, async () => start(api, token)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 429, 429]);
    const refused = await errorOf(answers.find((r) => r.status === 429)!);
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.message).toMatch(/open sessions.*Finish or cancel one/);
    expect(refused.details).toMatchObject({ quota: 'open_sessions', limit: 2 });
    expect(await studio.database.db.session.count({ where: { userId: user.id } })).toBe(2);
    expect((await allowance(api, token)).openSessions).toEqual({
      limit: 2,
      used: 2,
      remaining: 0,
      resetsInSeconds: null,
    });
    // Another user is not held back by this one.
    expect((await start(api, (await person('neighbour')).token)).status).toBe(201);

    const [first] = await studio.database.db.session.findMany({ where: { userId: user.id } });
    // Cancelled while it waits for the person (a cancel that races a machine step's last
    // moment is the workflow's business, not the quota's).
    const handle = studio.worker.client.workflow.getHandle<typeof sessionWorkflow>(first!.id);
    await waitForState(handle, (s) => s.stage === 'awaiting_image_approval');
    expect((await call(api, token, 'POST', `/sessions/${first!.id}/cancel`)).status).toBe(202);
    await expect
      .poll(async () => (await allowance(api, token)).openSessions.remaining, { timeout: 30_000 })
      .toBe(1);
    expect((await start(api, token)).status).toBe(201);
  });

  it('limits what a user spends in 24 hours across sessions, with the time to wait', async () => {
    const api = await studio.apiWith({ QUOTA_DAILY_SPEND_USD: '1' });
    const { user, token } = await person('spender');
    const sessionId = `session-${randomUUID()}`;
    await studio.database.db.session.create({
      data: {
        id: sessionId,
        userId: user.id,
        title: 'Old',
        stage: 'awaiting_image_approval',
        productPrompt: 'mug',
        budgetUsd: 5,
      },
    });
    const hour = 3_600_000;
    const costs = [
      { costUsd: 0.5, createdAt: new Date(Date.now() - 23 * hour) },
      { costUsd: 0.7, createdAt: new Date(Date.now() - hour) },
      // Older than a day: not counted.
      { costUsd: 9, createdAt: new Date(Date.now() - 25 * hour) },
    ];
    for (const cost of costs) {
      await studio.database.db.generationCost.create({
        data: {
          sessionId,
          stage: 'generating_images',
          agent: 'image',
          provider: 'replicate',
          model: 'm',
          durationMs: 1,
          success: true,
          idempotencyKey: randomUUID(),
          ...cost,
        },
      });
    }
    const refusedStart = await start(api, token);
    expect(refusedStart.status).toBe(429);
    // The $0.50 of 23 hours ago leaves the window in an hour; then $0.70 is under the limit.
    const wait = Number(refusedStart.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(3500);
    expect(wait).toBeLessThanOrEqual(3600);
    const refused = await errorOf(refusedStart);
    expect(refused.message).toMatch(/spent \$1\.20 in the last 24 hours.*in 60 min/);
    expect(refused.details).toMatchObject({ quota: 'daily_spend_usd', limit: 1, used: 1.2 });

    // What could spend is refused too; what cannot (keeping a variant) is not held back by it.
    const regenerate = await call(
      api,
      token,
      'POST',
      `/sessions/${sessionId}/images/${randomUUID()}/regenerate`,
      {},
    );
    expect(regenerate.status).toBe(429);
    const keep = await call(
      api,
      token,
      'POST',
      `/sessions/${sessionId}/assets/${randomUUID()}/keep`,
      {},
    );
    expect(keep.status).not.toBe(429);
    expect((await allowance(api, token)).dailySpendUsd).toMatchObject({
      limit: 1,
      used: 1.2,
      remaining: 0,
    });
  });

  it('limits session actions a minute, preview included, and never cancelling', async () => {
    const api = await studio.apiWith({ QUOTA_ACTIONS_PER_MINUTE: '3' });
    const { token } = await person('clicker');
    const nowhere = `session-${randomUUID()}`;
    const asset = randomUUID();
    const actions = [
      () => call(api, token, 'POST', `/sessions/${nowhere}/images/${asset}/regenerate`, {}),
      () => call(api, token, 'POST', `/sessions/${nowhere}/assets/${asset}/keep`, {}),
      () =>
        call(api, token, 'POST', `/sessions/${nowhere}/preview`, {
          productName: 'Aero',
          callToAction: 'Shop now',
          colors: { primary: '#14213d', accent: '#fca311', text: '#ffffff' },
        }),
    ];
    for (const act of actions) expect((await act()).status).toBe(404);
    const limited = await actions[2]!();
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await errorOf(limited)).details).toMatchObject({
      quota: 'actions_per_minute',
      limit: 3,
    });
    expect(
      (await call(api, token, 'POST', `/sessions/${nowhere}/assets/${asset}/retry`, {})).status,
    ).toBe(429);
    // Stopping a session is always possible.
    expect((await call(api, token, 'POST', `/sessions/${nowhere}/cancel`)).status).toBe(404);
    expect((await allowance(api, token)).actionsPerMinute).toMatchObject({
      limit: 3,
      used: 3,
      remaining: 0,
    });
    // Someone else's minute is their own.
    expect((await actions[0]!.call(null)).status).toBe(429);
    const other = await person('other-clicker');
    expect(
      (await call(api, other.token, 'POST', `/sessions/${nowhere}/assets/${asset}/keep`, {}))
        .status,
    ).toBe(404);
  });
});
