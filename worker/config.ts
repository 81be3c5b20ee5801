import { z } from 'zod';
import { LOG_LEVELS } from '../core/log';
import { PROVIDERS } from '../core/options';
import { parseEnv, postgresUrl, requireS3Settings, storageEnv, temporalEnv } from '../core/env';

const schema = z
  .object({
    DATABASE_URL: postgresUrl,
    PROVIDER: z.enum(PROVIDERS).default('local'),
    REPLICATE_API_TOKEN: z.string().optional(),
    REPLICATE_BASE_URL: z.url().default('https://api.replicate.com'),
    /** Scratch folder for media being made; cleaned per activity. */
    WORK_DIR: z.string().default('data/work'),
    ACTIVITY_CONCURRENCY: z.coerce.number().int().positive().default(4),
    /** Renders are CPU-bound: keep them few per worker. */
    RENDER_CONCURRENCY: z.coerce.number().int().positive().default(1),
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
