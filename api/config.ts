import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { LOG_LEVELS } from '../core/log';
import { parseTrustedProxies } from './client-address';
import { PROVIDERS } from '../core/options';
import {
  duration,
  parseEnv,
  port,
  postgresUrl,
  requireS3Settings,
  secret,
  storageEnv,
  concurrencyEnv,
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
    /** How long an access token lives; sign-in lasts as long as its refresh token. */
    ACCESS_TOKEN_TTL: duration.default(15 * 60_000),
    /** How long a sign-in lasts without use (each use rotates the refresh token). */
    REFRESH_TOKEN_TTL: duration.default(30 * 86_400_000),
    /** Forces the Secure flag on cookies; they get it anyway when the studio is served over HTTPS. */
    COOKIE_SECURE: z.stringbool().default(false),
    /** Whether anyone may create an account with POST /api/auth/signup. */
    SIGNUP_ENABLED: z.stringbool().default(true),
    /**
     * Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: IPs, CIDR ranges or host
     * names (looked up again when they move), comma-separated. Loopback by default, where the
     * studio's own web server runs; `web` under docker-compose.
     */
    TRUSTED_PROXIES: z
      .string()
      .default('127.0.0.1,::1')
      .transform((value, ctx) => {
        try {
          return parseTrustedProxies(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    SIGNED_URL_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
    /** The provider new sessions use unless they choose another that a worker serves. */
    PROVIDER: z.enum(PROVIDERS).default('local'),
    /** Replicate's webhook signing secret (whsec_...); unset, the webhook route is off. */
    REPLICATE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
    /** Sessions one user may start per minute. */
    GENERATION_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
    /** Sessions one user may have open (not finished, cancelled or expired) at once; 0: no limit. */
    QUOTA_OPEN_SESSIONS: z.coerce.number().int().min(0).default(10),
    /** Dollars one user may spend in any 24 hours, over all their sessions; 0: no limit. */
    QUOTA_DAILY_SPEND_USD: z.coerce.number().min(0).default(100),
    /** Session actions (regenerate, keep, compose, preview, export, retry...) a user may take a minute; 0: no limit. */
    QUOTA_ACTIONS_PER_MINUTE: z.coerce.number().int().min(0).default(60),
    /** How long a preview of the ad's text may take on the worker before the API answers 503. */
    PREVIEW_TIMEOUT: duration.default(15_000),
    /**
     * How long an action may wait for its session's workflow to take it (a busy worker) before
     * the API answers 503 with Retry-After; the action is tried once more in that time.
     */
    ACTION_WAIT: duration.default(15_000),
    ...concurrencyEnv,
    /**
     * Sessions the studio holds in its machine stages (planning, generating, rendering) at once
     * before a new start is refused with 503 STUDIO_BUSY and a time to try again; 0: no limit.
     * Generous: `npm run load -- 50` on two cores finishes every session, only slower.
     */
    MAX_QUEUED_SESSIONS: z.coerce
      .number()
      .int()
      .min(0)
      .default(40 * availableParallelism()),
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
