import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * Shared pieces for the per-process configuration modules. Each process validates its own
 * variables at start and fails naming every missing or invalid one.
 */

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  // Empty strings count as unset, as shells and .env files often leave them so.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      return cleaned[name] === undefined && issue.code === 'invalid_type'
        ? `${name} is required but not set`
        : `${name}: ${issue.message}`;
    }),
  );
}

export const port = (fallback: number) =>
  z.coerce.number().int().min(1).max(65535).default(fallback);

export const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgresql:// URL');

/** Durations like "30d", "12h", "90m", "45s" or plain milliseconds. */
export const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)?$/, 'must look like 30d, 12h, 90m, 45s or 500ms')
  .transform(toMilliseconds);

export function toMilliseconds(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value);
  if (!match) throw new Error(`Not a duration: ${value}`);
  const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  return Number(match[1]) * units[(match[2] ?? 'ms') as keyof typeof units];
}

export const temporalEnv = {
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('studio'),
  TEMPORAL_RENDER_TASK_QUEUE: z.string().default('studio-render'),
};

export const storageEnv = {
  STORAGE_DRIVER: z.enum(['fs', 's3']).default('fs'),
  STORAGE_DIR: z.string().default('data/storage'),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  /** The store's address as browsers see it, for signed links only (S3_ENDPOINT when unset). */
  S3_PUBLIC_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.stringbool().default(false),
};

/** Checks the S3 settings only when the s3 driver is chosen. */
export function requireS3Settings(
  env: { STORAGE_DRIVER: 'fs' | 's3'; S3_BUCKET?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (env.STORAGE_DRIVER === 's3' && !env.S3_BUCKET) {
    ctx.addIssue({
      code: 'custom',
      path: ['S3_BUCKET'],
      message: 'is required when STORAGE_DRIVER=s3',
    });
  }
}

export const secret = z.string().min(32, 'must be at least 32 characters');

/**
 * The worker's slots per queue. The worker takes them; the API reads the same variables to tell a
 * waiting session its place in line and its likely wait.
 */
export const concurrencyEnv = {
  /**
   * The main queue's activities: local generation (FFmpeg and image work, about a core each)
   * and the bookkeeping writes that wait on the database, so two per core (one per core left
   * the writes queued behind clips: `npm run load -- 10`, studio schedule-to-start p95 56 s).
   */
  ACTIVITY_CONCURRENCY: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * availableParallelism()),
  /** A paid provider's queue mostly waits on the provider: four per core. */
  PROVIDER_ACTIVITY_CONCURRENCY: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * availableParallelism()),
  /**
   * Renders are CPU-bound, but one FFmpeg filter graph keeps about one core busy (only the
   * encoder spreads out): one render per core. A single slot queued every render of a busy
   * worker behind the others (see `npm run load`).
   */
  RENDER_CONCURRENCY: z.coerce.number().int().positive().default(availableParallelism()),
  /** Finishing a model's clip is one FFmpeg encode and a product check: one per core. */
  CLIP_FINISHING_CONCURRENCY: z.coerce.number().int().positive().default(availableParallelism()),
  /**
   * How much an `activities` worker process (and the FFmpeg it starts) yields the CPU: Unix nice
   * steps added to its own (0 to 19; 0: not at all). Media work is batch work: on a full machine the workflow
   * tasks, the API and the databases go first (`npm run load -- 50`, 2 cores: workflow task p99
   * 2.9 s at 0).
   */
  WORK_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
};
