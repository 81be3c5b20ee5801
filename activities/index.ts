import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import type { Logger } from '../core/log';
import { createDb } from '../db/client';
import type { ClipModelKey } from '../core/replicate-models';
import { createStorage, type StorageSettings } from '../storage';
import type { ActivityDeps } from './deps';
import { createGenerationActivities } from './generation';
import { heartbeatIfInActivity } from './context';
import { createLastFrameActivities } from './last-frame';
import { createLocalProviders } from './providers/local';
import { createReplicateProviders, type ReplicateSettings } from './providers/replicate';
import { createMoodBoardActivities } from './mood-board';
import { createRecordActivities } from './records';
import { createPublisher } from './notify';
import { patientStorage } from './patient-storage';
import { createRenderActivities } from './render-activity';
import { createVoiceActivities } from './voice-activity';

export type { ActivityDeps } from './deps';

/** Activities that run on the render task queue (CPU-bound, low concurrency). */
export const renderActivityNames = ['renderVideo'] as const;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createProviderActivities(deps),
    ...createRecordActivities(deps),
    ...createMoodBoardActivities(deps),
    ...createRenderActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** What a paid provider's task queue runs: planning and generation (clip chains and voices included). */
export function createProviderActivities(deps: ActivityDeps) {
  return {
    ...createGenerationActivities(deps),
    ...createLastFrameActivities(deps),
    ...createVoiceActivities(deps),
  };
}

export interface ActivityDepsSettings extends StorageSettings {
  DATABASE_URL: string;
  WORK_DIR: string;
  REPLICATE_API_TOKEN?: string | undefined;
  REPLICATE_BASE_URL: string;
  REPLICATE_WEBHOOK_URL?: string | undefined;
  REPLICATE_POLL_MIN_MS: number;
  REPLICATE_POLL_MAX_MS: number;
  REPLICATE_MAX_THROTTLE_MS: number;
  REPLICATE_CLIP_MODEL?: ClipModelKey | undefined;
}

export function replicateSettings(settings: ActivityDepsSettings): ReplicateSettings | undefined {
  if (!settings.REPLICATE_API_TOKEN) return undefined;
  return {
    token: settings.REPLICATE_API_TOKEN,
    baseUrl: settings.REPLICATE_BASE_URL,
    webhookUrl: settings.REPLICATE_WEBHOOK_URL,
    pollMinMs: settings.REPLICATE_POLL_MIN_MS,
    pollMaxMs: settings.REPLICATE_POLL_MAX_MS,
    maxThrottleMs: settings.REPLICATE_MAX_THROTTLE_MS,
    overrides: settings.REPLICATE_CLIP_MODEL ? { clip: settings.REPLICATE_CLIP_MODEL } : {},
  };
}

/**
 * Builds real dependencies from configuration; `close()` releases them. The local studio is
 * always served; `replicate` is set when the worker holds a Replicate token.
 */
export async function createActivityDeps(settings: ActivityDepsSettings, log: Logger) {
  await mkdir(settings.WORK_DIR, { recursive: true });
  const db = createDb(settings.DATABASE_URL);
  const pool = new pg.Pool({ connectionString: settings.DATABASE_URL, max: 2 });
  pool.on('error', (error) => log.warn('database connection lost', { error }));
  const deps: ActivityDeps = {
    db,
    storage: patientStorage(createStorage(settings)),
    providers: createLocalProviders(),
    workDir: settings.WORK_DIR,
    log,
    publish: createPublisher(pool, log),
  };
  const replicate = replicateSettings(settings);
  return {
    ...deps,
    replicate: replicate && {
      ...deps,
      providers: createReplicateProviders(replicate, db, { onThrottled: heartbeatIfInActivity }),
    },
    close: async () => {
      await Promise.allSettled([db.$disconnect(), pool.end()]);
    },
  };
}
