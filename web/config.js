import { z } from 'zod';

/** Configuration of the web process, validated at start. */
const schema = z.object({
  WEB_HOST: z.string().default('127.0.0.1'),
  WEB_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  API_URL: z.url().default('http://127.0.0.1:8787'),
  /** Proxies in front of the web server whose X-Forwarded-Proto is believed (as in the API). */
  TRUSTED_PROXIES: z.string().default('127.0.0.1,::1'),
});

export function loadWebConfig(env = process.env) {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
  throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
}
