import { z } from 'zod';
import { LOG_LEVELS } from '../core/log';
import { PROVIDERS } from '../core/options';
import { CLIP_MODEL_KEYS } from '../core/replicate-models';
import {
  concurrencyEnv,
  parseEnv,
  postgresUrl,
  requireS3Settings,
  storageEnv,
  temporalEnv,
} from '../core/env';

export const WORKER_ROLES = ['all', 'workflows', 'activities'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

const schema = z
  .object({
    DATABASE_URL: postgresUrl,
    /** `replicate` insists on a token; the local studio is always served either way. */
    PROVIDER: z.enum(PROVIDERS).default('local'),
    /** With a token, this worker also serves the `replicate` provider's task queue. */
    REPLICATE_API_TOKEN: z.string().min(1).optional(),
    REPLICATE_BASE_URL: z.url().default('https://api.replicate.com/v1'),
    /** Public URL of the API's POST /api/webhooks/replicate; unset, predictions are polled. */
    REPLICATE_WEBHOOK_URL: z.url().optional(),
    /** Polling backoff while a prediction runs (2 s growing to 5 s by default). */
    REPLICATE_POLL_MIN_MS: z.coerce.number().int().positive().default(2000),
    REPLICATE_POLL_MAX_MS: z.coerce.number().int().positive().default(5000),
    /** How long one request may wait out 429s (Retry-After) before the activity retries later. */
    REPLICATE_MAX_THROTTLE_MS: z.coerce.number().int().positive().default(120_000),
    /** Pins every tier's clips to one model of the table, e.g. the legacy stable-video-diffusion. */
    REPLICATE_CLIP_MODEL: z.enum(CLIP_MODEL_KEYS).optional(),
    /** Scratch folder for media being made; cleaned per activity. */
    WORK_DIR: z.string().default('data/work'),
    /**
     * What this process runs: `workflows` (session workflows and their local row writes, on an
     * event loop that does no heavy work, so workflow tasks never wait behind media), `activities`
     * (generation, scoring and renders) or `all` (both, one process: tests and small setups).
     * `npm start` runs one process of each.
     */
    WORKER_ROLE: z.enum(WORKER_ROLES).default('all'),
    ...concurrencyEnv,
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    ...temporalEnv,
    ...storageEnv,
  })
  .superRefine(requireS3Settings)
  .superRefine((env, ctx) => {
    if (env.PROVIDER === 'replicate' && !env.REPLICATE_API_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['REPLICATE_API_TOKEN'],
        message: 'is required when PROVIDER=replicate',
      });
    }
  });

export type WorkerConfig = z.infer<typeof schema>;

export function loadWorkerConfig(
  env: Record<string, string | undefined> = process.env,
): WorkerConfig {
  return parseEnv(schema, env);
}
