import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import type { Logger } from '../core/log';
import { createDb } from '../db/client';
import type { ClipModelKey } from '../core/replicate-models';
import { createStorage, type StorageSettings } from '../storage';
import type { ActivityDeps } from './deps';
import { createClipFinishingActivities } from './clip-finishing';
import { createGenerationActivities } from './generation';
import { heartbeatIfInActivity } from './context';
import { createLastFrameActivities } from './last-frame';
import { createLocalProviders } from './providers/local';
import { createReplicateProviders, type ReplicateSettings } from './providers/replicate';
import { createMoodBoardActivities } from './mood-board';
import { createRecordActivities } from './records';
import { createPublisher } from './notify';
import { patientStorage } from './patient-storage';
import { createPreviewActivities } from './preview-activity';
import { createRenderActivities } from './render-activity';
import { createVoiceActivities } from './voice-activity';

export type { ActivityDeps } from './deps';

/**
 * One factory per task queue; the worker registers each on its queue and the workflow types each
 * proxy by the factory of the queue it calls, so an activity cannot be sent where no worker
 * serves it.
 *
 * | queue                        | factory                            | what runs there              |
 * | ---------------------------- | ---------------------------------- | ---------------------------- |
 * | the workflow's (`studio`)    | createStudioQueueActivities        | bookkeeping, local           |
 * |                              |                                    | generation                   |
 * | a provider's (`studio-<p>`)  | createGenerationQueueActivities    | that provider's generation   |
 * | render (`studio-render`)     | createRenderQueueActivities        | the render, previews' stills |
 * | records (`studio-records`)   | createBookkeepingActivities        | row writes, by the           |
 * |                              |                                    | workflows' process           |
 * | clips (`studio-clips`)       | createClipFinishingQueueActivities | a model's clip brought to    |
 * |                              |                                    | the session's format         |
 */

/** Planning and generation through one provider's studio (clip chains and voices included). */
export function createGenerationQueueActivities(deps: ActivityDeps) {
  return {
    ...createGenerationActivities(deps),
    ...createLastFrameActivities(deps),
    ...createVoiceActivities(deps),
  };
}

/** The database writes and the mood board: cheap and idempotent, on the records queue. */
export function createBookkeepingActivities(deps: ActivityDeps) {
  return { ...createRecordActivities(deps), ...createMoodBoardActivities(deps) };
}

/** The workflow's own queue: bookkeeping, and generation for sessions on the local studio. */
export function createStudioQueueActivities(deps: ActivityDeps) {
  return { ...createBookkeepingActivities(deps), ...createGenerationQueueActivities(deps) };
}

/** The render queue: FFmpeg renders and the stills of a composition preview (CPU work). */
export function createRenderQueueActivities(deps: ActivityDeps) {
  return { ...createRenderActivities(deps), ...createPreviewActivities(deps) };
}

/** The clip-finishing queue: models' clips brought to the session's format (CPU work). */
export function createClipFinishingQueueActivities(deps: ActivityDeps) {
  return createClipFinishingActivities(deps);
}

export type GenerationActivities = ReturnType<typeof createGenerationQueueActivities>;
export type ClipFinishingActivities = ReturnType<typeof createClipFinishingQueueActivities>;
export type BookkeepingActivities = ReturnType<typeof createBookkeepingActivities>;
export type RenderActivities = ReturnType<typeof createRenderQueueActivities>;
/** Every activity, as tests that stand in for several queues at once see them. */
export type Activities = BookkeepingActivities &
  GenerationActivities &
  RenderActivities &
  ClipFinishingActivities;

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
