import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../core/env';
import { requireFreePorts } from './lib/ports';
import { startProcess } from './lib/processes';
import { waitUntilReady } from './lib/readiness';
import { startDatabase, startTemporal } from './lib/services';
import { supervise } from './lib/supervise';
import { DEFAULT_DEMO_PASSWORD, loadStackConfig, type StackConfig } from './lib/stack-config';
import { startFakeReplicate } from './replicate-fake/server';
import { buildWebIfStale } from './lib/web-build';

/**
 * `npm start`: the whole studio on one machine. PostgreSQL (embedded unless DATABASE_URL),
 * Temporal's dev server (unless TEMPORAL_ADDRESS), then the worker, the API and the web UI.
 * Every process it runs is restarted with backoff if it crashes or is killed. It says the studio
 * is up once the API says it is ready. Ctrl-C, SIGINT or SIGTERM stops everything it started, in
 * reverse order.
 */
const root = resolve(import.meta.dirname, '..');
const say = (line: string) => console.log(`stack   | ${line}`);
const stoppers: Array<() => Promise<void>> = [];
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const stop of stoppers.reverse()) {
    await stop().catch((error: unknown) => say(`while stopping: ${String(error)}`));
  }
  say('stopped');
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
  const config = loadStackConfig();
  const startedAt = Date.now();
  process.chdir(root);

  await requireFreePorts([
    { port: config.API_PORT, variable: 'API_PORT', what: 'API' },
    { port: config.WEB_PORT, variable: 'WEB_PORT', what: 'studio web UI' },
  ]);
  buildWebIfStale(root, say);

  const database = await startDatabase(config, say, { supervise: true });
  stoppers.push(database.stop);
  const temporal = await startTemporal(config, say, { supervise: true });
  stoppers.push(temporal.stop);

  const publicUrl = `http://127.0.0.1:${config.WEB_PORT}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
    JWT_SECRET: config.JWT_SECRET ?? database.secrets.jwtSecret,
    API_PORT: String(config.API_PORT),
    API_URL: `http://127.0.0.1:${config.API_PORT}`,
    PUBLIC_URL: publicUrl,
    WEB_PORT: String(config.WEB_PORT),
    STORAGE_DIR: process.env.STORAGE_DIR ?? join(config.DATA_DIR, 'storage'),
    WORK_DIR: process.env.WORK_DIR ?? join(config.DATA_DIR, 'work'),
  };
  const replicate = await replicateForStack(config, env);
  const tsx = ['--import', 'tsx'];
  const node = (name: string, args: string[], readyPattern: RegExp, readyTimeoutMs: number) =>
    supervise({
      name,
      start: () => startProcess(name, process.execPath, args, { env }),
      readyPattern,
      readyTimeoutMs,
      say,
    });
  const children = [
    // Session workflows in a process of their own, whose event loop never runs media work.
    node('flows', [...tsx, 'worker/main.ts', 'workflows'], /polling task queues/, 120_000),
    node('worker', [...tsx, 'worker/main.ts', 'activities'], /polling task queues/, 120_000),
    node('api', [...tsx, 'api/main.ts'], /listening on/, 60_000),
    node('web', ['web/server.js'], /listening on/, 60_000),
  ];
  for (const child of children) stoppers.push(() => child.stop());
  // A process that cannot start at all stops the stack; one that crashes later is restarted.
  await Promise.all(children.map((child) => child.ready));
  await waitUntilReady(`http://127.0.0.1:${config.API_PORT}/api/ready`, {
    timeoutMs: 180_000,
    say,
  });

  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(`
  Ad Studio is up in ${seconds} s
    Studio        ${publicUrl}
    API docs      ${publicUrl}/api/docs
    Temporal UI   ${temporal.ui ?? `(external Temporal at ${temporal.address})`}${replicate ? `\n    Replicate     ${replicate}` : ''}
    Data          ${resolve(config.DATA_DIR)}${
      database.postgresDir && !database.postgresDir.startsWith(resolve(config.DATA_DIR))
        ? `\n    PostgreSQL    ${database.postgresDir}`
        : ''
    }${
      database.embedded
        ? `\n    Sign in       ${demoSignIn(config.DEMO_USER_EMAIL, config.DEMO_USER_PASSWORD)}`
        : ''
    }
  Press Ctrl-C to stop.
`);
}

/**
 * With REPLICATE_FAKE=true and no real token, the replicate provider is served by the local
 * Replicate server (its webhooks reach the API), so the paid path can be tried offline.
 */
async function replicateForStack(config: StackConfig, env: NodeJS.ProcessEnv) {
  if (process.env.REPLICATE_API_TOKEN) return 'real models (REPLICATE_API_TOKEN is set)';
  if (!config.REPLICATE_FAKE) return undefined;
  const fake = await startFakeReplicate({ workDir: join(config.DATA_DIR, 'replicate-fake') });
  stoppers.push(() => fake.close());
  Object.assign(env, {
    REPLICATE_API_TOKEN: fake.token,
    REPLICATE_BASE_URL: fake.baseUrl,
    REPLICATE_WEBHOOK_URL: `http://127.0.0.1:${config.API_PORT}/api/webhooks/replicate`,
    REPLICATE_WEBHOOK_SECRET: fake.webhookSecret,
  });
  return `the local Replicate server at ${fake.baseUrl} (no real models)`;
}

/** The demo user's documented default password is shown; a chosen one never is. */
function demoSignIn(email: string, password: string) {
  return password === DEFAULT_DEMO_PASSWORD
    ? `${email} / ${password}`
    : `${email} (password: DEMO_USER_PASSWORD)`;
}

main().catch(async (error: unknown) => {
  console.error(
    error instanceof ConfigError || error instanceof Error ? `\n${error.message}\n` : error,
  );
  await shutdown(1);
});
