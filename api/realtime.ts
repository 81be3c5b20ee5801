import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import { Server, type DefaultEventsMap } from 'socket.io';
import { z } from 'zod';
import type { Logger } from '../core/log';
import { SESSION_EVENTS, sessionRoom } from '../core/rooms';
import { id } from '../core/strings';
import { SESSION_COOKIE, tokenFrom } from './auth';
import type { AuthUser } from './deps';

/**
 * socket.io on the API's HTTP server. Workers publish into the room `session:<id>` through the
 * postgres emitter; the postgres adapter fans events out across API instances. A socket must
 * authenticate and may join only rooms of sessions its user owns.
 */

const JoinSchema = z.object({ sessionId: id });

export interface RealtimeOptions {
  pool: pg.Pool;
  /** The user of a live access token (see tokens.ts), or null. */
  authenticate: (token: string) => Promise<AuthUser | null>;
  corsOrigin: string;
  log: Logger;
  /** True when the user owns the session. */
  canJoin: (user: AuthUser, sessionId: string) => Promise<boolean>;
  /**
   * The session's last stored state, sent to a socket as it joins: a client that reconnects (after
   * an API restart, say) is told where the session is now, not only what changes next.
   */
  currentState?: (sessionId: string) => Promise<unknown>;
}

function cookieValue(header: string | undefined, name: string) {
  return header
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([k]) => k === name)?.[1];
}

/**
 * The adapter keeps one pool client checked out for LISTEN and re-subscribes on a new one when
 * that client ends, but it never listens for the client's 'error': a dropped connection (a
 * PostgreSQL restart, pg_terminate_backend) would be an uncaught error that ends the API. The
 * pool it gets hands out clients that log the drop and leave the pool (release with the error),
 * after which the client's 'end' lets the adapter reconnect and LISTEN again.
 */
function listenerPool(pool: pg.Pool, log: Logger): pg.Pool {
  const connect = async () => {
    const client = await pool.connect();
    client.on('error', (error) => {
      log.warn('realtime lost its database connection; listening again', { error });
      client.release(error);
    });
    return client;
  };
  // The adapter calls only connect() and query() on its pool.
  return { connect, query: pool.query.bind(pool) } as unknown as pg.Pool;
}

export function attachRealtime(server: HttpServer, options: RealtimeOptions) {
  const io = new Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, { user: AuthUser }>(
    server,
    {
      path: '/socket.io',
      cors: { origin: options.corsOrigin, credentials: true },
      adapter: createAdapter(listenerPool(options.pool, options.log), {
        errorHandler: (error: Error) => options.log.warn('socket.io adapter error', { error }),
      }),
    },
  );

  io.use((socket, next) => {
    const handshakeToken = (socket.handshake.auth as { token?: unknown }).token;
    const token = tokenFrom(
      typeof handshakeToken === 'string' ? `Bearer ${handshakeToken}` : undefined,
      cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE),
    );
    if (!token) {
      next(new Error('UNAUTHORIZED'));
      return;
    }
    options.authenticate(token).then(
      (user) => {
        if (!user) {
          next(new Error('UNAUTHORIZED'));
          return;
        }
        socket.data.user = user;
        next();
      },
      (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
    );
  });

  io.on('connection', (socket) => {
    const user = socket.data.user;
    socket.on(
      'join',
      (payload: unknown, ack?: (reply: { ok: boolean; error?: string }) => void) => {
        const parsed = JoinSchema.safeParse(payload);
        if (!parsed.success) {
          ack?.({ ok: false, error: 'VALIDATION_FAILED' });
          return;
        }
        options.canJoin(user, parsed.data.sessionId).then(
          async (allowed) => {
            // Another user's session looks exactly like a missing one.
            if (!allowed) return ack?.({ ok: false, error: 'NOT_FOUND' });
            await socket.join(sessionRoom(parsed.data.sessionId));
            ack?.({ ok: true });
            const state = await options.currentState?.(parsed.data.sessionId);
            if (state) socket.emit(SESSION_EVENTS.state, state);
          },
          (error: unknown) => {
            options.log.warn('join failed', { error });
            ack?.({ ok: false, error: 'INTERNAL' });
          },
        );
      },
    );
    socket.on('leave', (payload: unknown) => {
      const parsed = JoinSchema.safeParse(payload);
      if (parsed.success) void socket.leave(sessionRoom(parsed.data.sessionId));
    });
  });

  return io;
}
