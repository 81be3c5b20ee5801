import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';
import {
  createClipFinishingQueueActivities,
  createRenderQueueActivities,
  createStudioQueueActivities,
  type Activities,
} from '../../activities';
import type { ActivityDeps } from '../../activities/deps';
import { createLocalProviders } from '../../activities/providers/local';
import { createLogger } from '../../core/log';
import type { Db } from '../../db/client';
import { createStorage, type Storage } from '../../storage';

/** The fs storage driver on a folder of the test's own. */
export function fsStorageIn(dir: string): Storage {
  return createStorage({
    STORAGE_DRIVER: 'fs',
    STORAGE_DIR: dir,
    S3_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: false,
  });
}

export interface Published {
  sessionId: string;
  event: string;
  payload: unknown;
}

/**
 * Real activities (local studio, fs storage, the given database) that record what they publish.
 * They use their own storage unless given one (an API's, so they read what it stored).
 */
export async function createRealActivities(db: Db, shared?: Storage) {
  const root = await mkdtemp(join(inject('testWorkDir'), 'activities-'));
  const published: Published[] = [];
  const storage = shared ?? fsStorageIn(join(root, 'storage'));
  const deps: ActivityDeps = {
    db,
    storage,
    providers: createLocalProviders(),
    workDir: join(root, 'work'),
    log: createLogger('activities-test', 'error'),
    publish: (sessionId, event, payload) => published.push({ sessionId, event, payload }),
  };
  return {
    deps,
    activities: {
      ...createStudioQueueActivities(deps),
      ...createRenderQueueActivities(deps),
      ...createClipFinishingQueueActivities(deps),
    } satisfies Activities,
    published,
    storage,
    root,
  };
}

/**
 * Wraps activities to count executions, keep every call with its input (in order), and fail
 * chosen calls (a plain, retryable Error).
 */
export function instrument(
  activities: Activities,
  shouldFail: (name: string, input: unknown) => Error | undefined = () => undefined,
) {
  const counts: Record<string, number> = {};
  const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
  const wrapped = Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (input: unknown) => {
        counts[name] = (counts[name] ?? 0) + 1;
        calls.push({ name, input: input as Record<string, unknown> });
        const failure = shouldFail(name, input);
        if (failure) throw failure;
        return (fn as (arg: unknown) => Promise<unknown>)(input);
      },
    ]),
  ) as unknown as Activities;
  return { activities: wrapped, counts, calls };
}
