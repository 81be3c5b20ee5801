import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/support/database';
import { createTestApi, createUser, tokenFor } from '../test/support/api';

/**
 * GET /api/estimates: how long jobs took in this studio before, for a page's first estimate of
 * the time left. Medians per provider, type and shape (renders per second of ad), durations only.
 */
describe('job estimates', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Awaited<ReturnType<typeof createTestApi>>;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createTestApi(database.db, database.url);
    const owner = await createUser(database.db, 'measured@example.com', 'password-123');
    token = await tokenFor(database.db, owner);
    const sessionId = `session-${randomUUID()}`;
    await database.db.session.create({
      data: {
        id: sessionId,
        userId: owner.id,
        title: 'Secret product',
        stage: 'completed',
        productPrompt: 'a secret product',
        budgetUsd: 5,
      },
    });
    const asset = (
      type: string,
      generationMs: number | null,
      [width, height]: [number, number] = [1920, 1080],
      more: { status?: string; durationSeconds?: number; provider?: string } = {},
    ) => ({
      id: randomUUID(),
      sessionId,
      type,
      status: more.status ?? 'ready',
      provider: more.provider ?? 'local',
      width,
      height,
      durationSeconds: more.durationSeconds ?? null,
      generationMs,
      prompt: 'a secret prompt',
    });
    await database.db.asset.createMany({
      data: [
        asset('image', 1000),
        asset('image', 3000),
        asset('image', 2000),
        asset('image', 8000, [1080, 1920]),
        asset('image', 50_000, [1920, 1080], { status: 'failed' }),
        asset('image', null),
        asset('clip', 12_000, [1080, 1920], { durationSeconds: 3 }),
        asset('final', 30_000, [1920, 1080], { durationSeconds: 15 }),
        asset('clip', 90_000, [1920, 1080], { durationSeconds: 3, provider: 'replicate' }),
      ],
    });
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  const get = (auth?: string) =>
    api.app.request('/api/estimates', auth ? { headers: { authorization: `Bearer ${auth}` } } : {});

  it('asks for a sign-in', async () => {
    const response = await get();
    expect(response.status).toBe(401);
  });

  it('gives medians of finished jobs per provider, type and shape, and nothing else', async () => {
    const response = await get(token);
    expect(response.status).toBe(200);
    const { jobs } = (await response.json()) as {
      jobs: Array<{ provider: string; type: string; aspectRatio: string }>;
    };
    const sorted = [...jobs].sort((a, b) =>
      `${a.provider}${a.type}${a.aspectRatio}`.localeCompare(
        `${b.provider}${b.type}${b.aspectRatio}`,
      ),
    );
    expect(sorted).toEqual([
      {
        provider: 'local',
        type: 'clip',
        aspectRatio: '9:16',
        medianMs: 12_000,
        perAdSecond: false,
        samples: 1,
      },
      {
        provider: 'local',
        type: 'final',
        aspectRatio: '16:9',
        medianMs: 2000,
        perAdSecond: true,
        samples: 1,
      },
      {
        provider: 'local',
        type: 'image',
        aspectRatio: '16:9',
        medianMs: 2000,
        perAdSecond: false,
        samples: 3,
      },
      {
        provider: 'local',
        type: 'image',
        aspectRatio: '9:16',
        medianMs: 8000,
        perAdSecond: false,
        samples: 1,
      },
      {
        provider: 'replicate',
        type: 'clip',
        aspectRatio: '16:9',
        medianMs: 90_000,
        perAdSecond: false,
        samples: 1,
      },
    ]);
    // Durations only: no title, prompt, id or owner of anything measured.
    expect(JSON.stringify(jobs)).not.toMatch(/secret|session-|measured@/);
  });
});
