import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { truthfully } from '../activities/failures';
import { patientStorage } from '../activities/patient-storage';
import { createLogger } from '../core/log';
import { createFsStorage } from './fs-storage';
import { isStorageFault, reportingFaults, StorageFault } from './faults';
import { assetKey } from './types';

/**
 * A storage that cannot be written to is reported as storage, all the way up: a StorageFault
 * from the driver, a retryable STORAGE_UNAVAILABLE from an activity, never a provider refusal
 * and never the path it failed on.
 */
describe('storage faults', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'storage-faults-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const key = assetKey('session-faults', 'image', '0b7e2c7a-1111-4a4a-9999-222233334444', 'png');

  it('turns a failed write into a StorageFault that keeps its cause for the logs', async () => {
    const storage = reportingFaults(
      createFsStorage({ root: join(dir, 'store'), signingSecret: 's', urlPrefix: '/files' }),
    );
    const error = await storage
      .putFile(key, join(dir, 'missing.png'), 'image/png')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFault);
    expect(isStorageFault(error)).toBe(true);
    expect((error as StorageFault).message).toBe('Storage putFile failed');
    expect(String((error as StorageFault).cause)).toContain('missing.png');
  });

  it('lets a refused key through as it is: a bug, not a storage fault', async () => {
    const storage = reportingFaults(
      createFsStorage({ root: join(dir, 'store'), signingSecret: 's', urlPrefix: '/files' }),
    );
    const error = await storage.head('uploads/../../etc/passwd').catch((e: unknown) => e);
    expect(isStorageFault(error)).toBe(false);
  });

  it('an activity reports it as STORAGE_UNAVAILABLE, retryable, without the path', async () => {
    // A store whose folder cannot be written (root ignores permissions, so a file stands in).
    const blocked = join(dir, 'blocked');
    await writeFile(blocked, 'not a folder');
    await chmod(blocked, 0o400);
    const storage = reportingFaults(
      createFsStorage({ root: blocked, signingSecret: 's', urlPrefix: '/files' }),
    );
    const local = join(dir, 'frame.png');
    await writeFile(local, 'pixels');
    const failure = await truthfully(createLogger('test', 'error'), 'an image', () =>
      storage.putFile(key, local, 'image/png'),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'STORAGE_UNAVAILABLE', nonRetryable: false });
    expect((failure as Error).message).not.toContain(dir);
    expect((failure as Error).message).toMatch(/file storage/);
  });
});

describe('the worker waits out a short storage outage', () => {
  it('retries a write until the store is back, and gives up after its patience', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storage-patience-'));
    const root = join(dir, 'store');
    const storage = reportingFaults(
      createFsStorage({ root, signingSecret: 's', urlPrefix: '/files' }),
    );
    const local = join(dir, 'frame.png');
    await writeFile(local, 'pixels');
    const key = assetKey(
      'session-patience',
      'image',
      '0b7e2c7a-1111-4a4a-9999-222233334444',
      'png',
    );
    // The store's folder is a file for now (as if its disk were gone); it comes back on the
    // third attempt.
    await writeFile(root, 'not a folder');
    let attempts = 0;
    const flaky = {
      ...storage,
      putFile: async (...args: Parameters<typeof storage.putFile>) => {
        attempts += 1;
        if (attempts === 3) await rm(root, { force: true });
        return storage.putFile(...args);
      },
    };
    const stored = await patientStorage(flaky, 10_000).putFile(key, local, 'image/png');
    expect(stored.bytes).toBe(6);
    expect(attempts).toBe(3);

    await rm(root, { recursive: true, force: true });
    await writeFile(root, 'not a folder');
    const impatient = await patientStorage(storage, 800)
      .putFile(key, local, 'image/png')
      .catch((e: unknown) => e);
    expect(isStorageFault(impatient)).toBe(true);
    await rm(dir, { recursive: true, force: true });
  });
});
