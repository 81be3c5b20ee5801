import { z } from 'zod';
import { DEMO_USER } from '../../core/demo';
import { parseEnv, port, postgresUrl } from '../../core/env';

/** The demo user's password on the embedded default setup (documented in the README). */
export const DEFAULT_DEMO_PASSWORD = DEMO_USER.password;

/** Configuration of `npm start` (the process that runs the whole embedded stack). */
const schema = z.object({
  DATA_DIR: z.string().default('data'),
  /** When set, this PostgreSQL is used instead of the embedded one. */
  DATABASE_URL: postgresUrl.optional(),
  PG_PORT: port(54329),
  /** When set, this Temporal is used instead of starting the CLI's dev server. */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_CLI_PATH: z.string().default('temporal'),
  API_PORT: port(8787),
  WEB_PORT: port(3000),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SEED_DEMO_USER: z.stringbool().optional(),
  DEMO_USER_EMAIL: z.email().default(DEMO_USER.email),
  DEMO_USER_PASSWORD: z.string().min(8).default(DEFAULT_DEMO_PASSWORD),
  /** Serve the replicate provider from the local Replicate server (offline, no real models). */
  REPLICATE_FAKE: z.stringbool().default(false),
});

export type StackConfig = z.infer<typeof schema>;

export function loadStackConfig(
  env: Record<string, string | undefined> = process.env,
): StackConfig {
  return parseEnv(schema, env);
}
