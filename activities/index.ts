import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { ConfigError } from '../core/env';
import type { Logger } from '../core/log';
import { createDb } from '../db/client';
import { createStorage, type StorageSettings } from '../storage';
import type { ActivityDeps } from './deps';
import { createGenerationActivities } from './generation';
import { createLocalProviders } from './providers/local';
import type { Providers } from './providers/types';
import { createRecordActivities } from './records';
import { createPublisher } from './notify';
import { createRenderActivities } from './render-activity';

export type { ActivityDeps } from './deps';

/** Activities that run on the render task queue (CPU-bound, low concurrency). */
export const renderActivityNames = ['renderVideo'] as const;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createGenerationActivities(deps),
    ...createRecordActivities(deps),
    ...createRenderActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

export function createProviders(name: string): Providers {
  if (name === 'local') return createLocalProviders();
  throw new ConfigError([
    `PROVIDER=${name} is not available in this build; use PROVIDER=local (the offline studio).`,
  ]);
}

export interface ActivityDepsSettings extends StorageSettings {
  DATABASE_URL: string;
  PROVIDER: string;
  WORK_DIR: string;
}

/** Builds real dependencies from configuration; `close()` releases them. */
export async function createActivityDeps(settings: ActivityDepsSettings, log: Logger) {
  await mkdir(settings.WORK_DIR, { recursive: true });
  const db = createDb(settings.DATABASE_URL);
  const pool = new pg.Pool({ connectionString: settings.DATABASE_URL, max: 2 });
  pool.on('error', (error) => log.warn('database connection lost', { error }));
  const deps: ActivityDeps & { close(): Promise<void> } = {
    db,
    storage: createStorage(settings),
    providers: createProviders(settings.PROVIDER),
    workDir: settings.WORK_DIR,
    log,
    publish: createPublisher(pool, log),
    close: async () => {
      await Promise.allSettled([db.$disconnect(), pool.end()]);
    },
  };
  return deps;
}
