import { z } from 'zod';
import { LOG_LEVELS } from '../core/log';
import { PROVIDERS } from '../core/options';
import {
  duration,
  parseEnv,
  port,
  postgresUrl,
  requireS3Settings,
  secret,
  storageEnv,
  temporalEnv,
} from '../core/env';

const schema = z
  .object({
    DATABASE_URL: postgresUrl,
    API_HOST: z.string().default('127.0.0.1'),
    API_PORT: port(8787),
    /** Origin of the studio UI, for socket.io's CORS and links. */
    PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
    JWT_SECRET: secret,
    JWT_TTL_HOURS: z.coerce
      .number()
      .positive()
      .default(24 * 7),
    COOKIE_SECURE: z.stringbool().default(false),
    SIGNED_URL_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
    /** The provider new sessions use unless they choose another that a worker serves. */
    PROVIDER: z.enum(PROVIDERS).default('local'),
    /** Replicate's webhook signing secret (whsec_...); unset, the webhook route is off. */
    REPLICATE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
    /** Sessions one user may start per minute. */
    GENERATION_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
    /** Idle time after which a session's workflow expires (its assets are kept). */
    SESSION_IDLE_TIMEOUT: duration.default(30 * 86_400_000),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    ...temporalEnv,
    ...storageEnv,
  })
  .superRefine(requireS3Settings);

export type ApiConfig = z.infer<typeof schema>;

export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  return parseEnv(schema, env);
}
