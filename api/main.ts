import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import pg from 'pg';
import { ConfigError } from '../core/env';
import { createLogger } from '../core/log';
import { createDb } from '../db/client';
import { createStorage } from '../storage';
import { createApp } from './app';
import { loadApiConfig } from './config';
import { tokensOf } from './auth';
import { attachRealtime } from './realtime';
import { createRevocations } from './revocations';
import { lazyTemporalClient } from './temporal';

/** The API process: HTTP routes and socket.io on one port. */
function main() {
  const config = loadApiConfig();
  const log = createLogger('api', config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL);
  const storage = createStorage(config, config.JWT_SECRET);
  const temporal = lazyTemporalClient({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  const revocations = createRevocations();
  const deps = { config, db, storage, temporal: temporal.get, log, revocations };
  const app = createApp(deps);
  const tokens = tokensOf(deps);

  const server = serve({
    fetch: app.fetch,
    hostname: config.API_HOST,
    port: config.API_PORT,
  }) as Server;
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      log.error(`Port ${config.API_PORT} is already in use. Stop what uses it or set API_PORT.`);
    } else {
      log.error('HTTP server failed', { error });
    }
    process.exit(1);
  });
  server.on('listening', () =>
    log.info(`listening on http://${config.API_HOST}:${config.API_PORT}`),
  );

  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 4 });
  // An idle connection dropped by the server must not take the process down; the pool reconnects.
  pool.on('error', (error) => log.warn('database connection lost', { error }));
  const io = attachRealtime(server, {
    pool,
    authenticate: (token) => tokens.authenticate(token),
    corsOrigin: new URL(config.PUBLIC_URL).origin,
    log: log.child('realtime'),
    ownerOf: async (sessionId) =>
      (await db.session.findUnique({ where: { id: sessionId }, select: { userId: true } }))
        ?.userId ?? null,
    signInLive: (familyId) => tokens.signInLive(familyId),
    revocations,
    currentState: async (sessionId) =>
      (await db.session.findUnique({ where: { id: sessionId }, select: { state: true } }))?.state,
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await io.close().catch(() => undefined);
    server.close();
    await Promise.allSettled([db.$disconnect(), pool.end(), temporal.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

try {
  main();
} catch (error) {
  if (error instanceof ConfigError) console.error(`[api] ${error.message}`);
  else console.error('[api] failed to start:', error);
  process.exit(1);
}
