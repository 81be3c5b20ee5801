import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { hashPassword } from '../../api/auth';
import { loadApiConfig } from '../../api/config';
import { lazyTemporalClient } from '../../api/temporal';
import { createTokens } from '../../api/tokens';
import { createLogger } from '../../core/log';
import type { Db } from '../../db/client';
import { createStorage } from '../../storage';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';

/** An API app on the given database, the run's Temporal server and an fs store in a temp folder. */
export async function createTestApi(
  db: Db,
  databaseUrl: string,
  overrides: Record<string, string> = {},
  extra: Pick<ApiDeps, 'revocations'> = {},
) {
  const storageDir = await mkdtemp(join(inject('testWorkDir'), 'storage-'));
  const config = loadApiConfig({
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    STORAGE_DIR: storageDir,
    LOG_LEVEL: 'error',
    ...overrides,
  });
  const temporal = lazyTemporalClient({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  const storage = createStorage(config, config.JWT_SECRET);
  const app = createApp({
    config,
    db,
    storage,
    temporal: temporal.get,
    log: createLogger('api-test', 'error'),
    ...extra,
  });
  return { app, config, storage, storageDir, close: temporal.close };
}

export async function createUser(db: Db, email: string, password: string, name = 'Test') {
  return db.user.create({ data: { email, name, passwordHash: await hashPassword(password) } });
}

/** The test secret's token service on a database (sign-ins live one day, access one hour). */
export function testTokens(db: Db, extra: Pick<ApiDeps, 'revocations'> = {}) {
  return createTokens({
    db,
    secret: TEST_JWT_SECRET,
    accessTtlMs: 3_600_000,
    refreshTtlMs: 86_400_000,
    onRevoked: (revocation) => extra.revocations?.tell(revocation),
  });
}

/** A bearer access token of a real (revocable) sign-in of the user. */
export async function tokenFor(db: Db, user: { id: string; email: string; name: string }) {
  return (await testTokens(db).signIn(user)).accessToken;
}

/**
 * Waits until the session's row (what the API serves and pages are sent) holds a state of at
 * least `version`. The worker writes the row with an activity just after the workflow's state
 * moves, so a test that saw the move through the `state` query reads the row once this returns.
 */
export async function rowCaughtUp(db: Db, sessionId: string, version: number, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await db.session.findUnique({ where: { id: sessionId }, select: { state: true } });
    const stored = (row?.state as { version?: number } | null)?.version ?? -1;
    if (stored >= version) return;
    if (Date.now() >= deadline) {
      throw new Error(`The row of ${sessionId} stayed at version ${stored}, not ${version}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
