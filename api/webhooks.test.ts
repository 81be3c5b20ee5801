import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, createUser } from '../test/support/api';
import { createTestDatabase } from '../test/support/database';
import { signWebhook } from './webhook-signature';

/** POST /api/webhooks/replicate: signed, fresh, applied once, forward only. */
describe('Replicate webhooks', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Awaited<ReturnType<typeof createTestApi>>;
  const jobKey = `session-w:asset-1:image:1`;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createTestApi(database.db, database.url, { REPLICATE_WEBHOOK_SECRET: secret });
    const user = await createUser(database.db, 'hooks@test.local', 'password-123');
    await database.db.session.create({
      data: {
        id: 'session-w',
        userId: user.id,
        title: 't',
        stage: 'generating_images',
        productPrompt: 'p',
        budgetUsd: 1,
      },
    });
    await database.db.prediction.create({
      data: {
        sessionId: 'session-w',
        assetId: 'asset-1',
        purpose: 'image',
        attempt: 1,
        jobKey,
        predictionId: 'pred123',
        model: 'black-forest-labs/flux-dev',
        inputHash: 'h',
        status: 'starting',
      },
    });
  });
  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const deliver = (
    body: object,
    options: { id?: string; timestamp?: number; key?: string; job?: string } = {},
  ) => {
    const raw = JSON.stringify(body);
    const id = options.id ?? `msg_${randomUUID()}`;
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = `v1,${signWebhook(id, timestamp, raw, options.key ?? secret)}`;
    return api.app.request(
      `/api/webhooks/replicate?job=${encodeURIComponent(options.job ?? jobKey)}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': timestamp,
          'webhook-signature': signature,
        },
        body: raw,
      },
    );
  };
  const status = async () =>
    (await database.db.prediction.findUniqueOrThrow({ where: { jobKey } })).status;

  it('refuses a bad signature and an old timestamp, changing nothing', async () => {
    const otherKey = `whsec_${randomBytes(24).toString('base64')}`;
    const forged = await deliver({ id: 'pred123', status: 'succeeded' }, { key: otherKey });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const stale = await deliver(
      { id: 'pred123', status: 'succeeded' },
      { timestamp: Math.floor(Date.now() / 1000) - 600 },
    );
    expect(stale.status).toBe(401);
    expect(await status()).toBe('starting');
    expect(await database.db.webhookEvent.count()).toBe(0);
  });

  it('applies a delivery once: a repeated webhook-id records nothing twice', async () => {
    const first = await deliver({ id: 'pred123', status: 'processing' }, { id: 'msg_same' });
    expect(await first.json()).toEqual({ applied: true });
    expect(await status()).toBe('processing');
    // Replicate retries with the same id; it must not be applied again.
    const again = await deliver({ id: 'pred123', status: 'processing' }, { id: 'msg_same' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ applied: false });
    expect(await database.db.webhookEvent.count({ where: { id: 'msg_same' } })).toBe(1);
  });

  it('moves a prediction forward only, and refuses other jobs and other predictions', async () => {
    await deliver({ id: 'pred123', status: 'succeeded' });
    expect(await status()).toBe('succeeded');
    const late = await deliver({ id: 'pred123', status: 'processing' });
    expect(await late.json()).toEqual({ applied: false });
    expect(await status()).toBe('succeeded');
    expect((await deliver({ id: 'other', status: 'failed' })).status).toBe(404);
    expect((await deliver({ id: 'pred123', status: 'failed' }, { job: 'nope' })).status).toBe(404);
  });
});
