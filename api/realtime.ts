import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import { Server, type DefaultEventsMap, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Logger } from '../core/log';
import { SESSION_EVENTS, sessionRoom } from '../core/rooms';
import { id } from '../core/strings';
import { SESSION_COOKIE, tokenFrom } from './auth';
import type { AuthUser } from './deps';
import { createLimiter } from './rate-limit';
import type { Revocation, Revocations } from './revocations';
import { isCrossSite } from './same-origin';
import { createOwnerCache } from './session-owners';

/**
 * socket.io on the API's HTTP server. Workers publish into the room `session:<id>` through the
 * postgres emitter; the postgres adapter fans events out across API instances. A socket must
 * authenticate, come from the studio's own pages, and may join only rooms of sessions its user
 * owns. Joins are limited per socket and per user and answered from an ownership cache (a flood
 * of joins once filled the database pool every request shares); a socket that keeps being
 * refused is disconnected. A socket belongs to one sign-in: when that ends (sign-out, a password
 * change) its sockets are disconnected on every instance, and each join checks it again.
 */

const JoinSchema = z.object({ sessionId: id });

export interface JoinLimits {
  /** Joins one socket may ask for in a minute. */
  perSocketPerMinute: number;
  /** Joins one user may ask for in a minute, over all their sockets on this instance. */
  perUserPerMinute: number;
  /** Rooms one socket may be in at once (a page follows one session). */
  roomsPerSocket: number;
  /** Refused joins (limits, bad payloads, other people's sessions) before the socket is cut. */
  refusalsBeforeDisconnect: number;
  /** Sockets one user may hold open on this instance. */
  socketsPerUser: number;
  /** How long a sign-in found live is believed before a join asks again. */
  signInCheckMs: number;
}

export const DEFAULT_JOIN_LIMITS: JoinLimits = {
  perSocketPerMinute: 30,
  perUserPerMinute: 120,
  roomsPerSocket: 10,
  refusalsBeforeDisconnect: 20,
  socketsPerUser: 30,
  signInCheckMs: 10_000,
};

export interface RealtimeOptions {
  pool: pg.Pool;
  /** The user and sign-in (token family) of a live access token (see tokens.ts), or null. */
  authenticate: (token: string) => Promise<{ user: AuthUser; familyId: string } | null>;
  /** The studio's origin (PUBLIC_URL): for socket.io's CORS and the origin check. */
  corsOrigin: string;
  log: Logger;
  /** The user id that owns the session, or null when there is no such session. */
  ownerOf: (sessionId: string) => Promise<string | null>;
  /** Whether a sign-in is still live (not signed out, password unchanged, user not deleted). */
  signInLive: (familyId: string) => Promise<boolean>;
  /**
   * The session's last stored state, sent to a socket as it joins: a client that reconnects (after
   * an API restart, say) is told where the session is now, not only what changes next.
   */
  currentState?: (sessionId: string) => Promise<unknown>;
  /** Ended sign-ins, whose sockets are disconnected. */
  revocations?: Revocations;
  limits?: Partial<JoinLimits>;
}

interface SocketData {
  user: AuthUser;
  familyId: string;
  joins: { start: number; count: number };
  refusals: number;
}

type JoinAck = (reply: { ok: boolean; error?: string }) => void;
type StudioSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;

/** Rooms every socket of a sign-in, and of a user, is in: revocations address them. */
const signInRoom = (familyId: string) => `sign-in:${familyId}`;
const userRoom = (userId: string) => `user:${userId}`;

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

/** The handshake's headers as the origin check reads them. */
const headersOf = (req: IncomingMessage) => ({
  get: (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  },
});

/** The origins a browser may open a socket from: the studio's, and the host it addressed. */
function ownOrigins(req: IncomingMessage, corsOrigin: string) {
  const forwarded = headersOf(req).get('x-forwarded-host');
  const host = forwarded ?? req.headers.host;
  return host ? [corsOrigin, `http://${host}`, `https://${host}`] : [corsOrigin];
}

export function attachRealtime(server: HttpServer, options: RealtimeOptions) {
  const limits = { ...DEFAULT_JOIN_LIMITS, ...options.limits };
  const io = new Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>(server, {
    path: '/socket.io',
    cors: { origin: options.corsOrigin, credentials: true },
    // A page of another site (or a sibling subdomain) must not read a user's events with their
    // cookie: WebSocket handshakes are not covered by CORS.
    allowRequest: (req, answer) => {
      const crossSite = isCrossSite(headersOf(req), ownOrigins(req, options.corsOrigin));
      answer(crossSite ? 'FORBIDDEN' : null, !crossSite);
    },
    adapter: createAdapter(listenerPool(options.pool, options.log), {
      errorHandler: (error: Error) => options.log.warn('socket.io adapter error', { error }),
    }),
  });
  const owners = createOwnerCache({ lookup: options.ownerOf });
  const userJoins = createLimiter({ limit: limits.perUserPerMinute, windowMs: 60_000 });

  // Sign-ins found live, and when: a join asks again after signInCheckMs, or after a revocation.
  const liveSignIns = new Map<string, number>();
  const signInLive = async (familyId: string) => {
    const checked = liveSignIns.get(familyId);
    if (checked !== undefined && Date.now() - checked < limits.signInCheckMs) return true;
    const live = await options.signInLive(familyId);
    if (live) liveSignIns.set(familyId, Date.now());
    else liveSignIns.delete(familyId);
    return live;
  };

  const revoke = (revocation: Revocation) => {
    liveSignIns.clear();
    const target =
      revocation.kind === 'sign-in'
        ? io.in(signInRoom(revocation.familyId))
        : io.in(userRoom(revocation.userId)).except(signInRoom(revocation.keepFamilyId));
    target.disconnectSockets(true);
  };
  const unsubscribe = options.revocations?.subscribe(revoke);
  io.engine.on('close', () => unsubscribe?.());

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
      (found) => {
        if (!found) {
          next(new Error('UNAUTHORIZED'));
          return;
        }
        const open = io.of('/').adapter.rooms.get(userRoom(found.user.id))?.size ?? 0;
        if (open >= limits.socketsPerUser) {
          next(new Error('TOO_MANY_CONNECTIONS'));
          return;
        }
        socket.data = {
          user: found.user,
          familyId: found.familyId,
          joins: { start: Date.now(), count: 0 },
          refusals: 0,
        };
        liveSignIns.set(found.familyId, Date.now());
        next();
      },
      (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
    );
  });

  /** Answers a refused join; a socket refused too often is an abuser and is cut off. */
  const refuse = (socket: StudioSocket, ack: JoinAck | undefined, error: string) => {
    ack?.({ ok: false, error });
    socket.data.refusals++;
    if (socket.data.refusals >= limits.refusalsBeforeDisconnect) {
      options.log.warn('socket disconnected after too many refused joins', {
        userId: socket.data.user.id,
      });
      socket.disconnect(true);
    }
  };

  /** Counts a join against the socket's and the user's minute; false when over either. */
  const withinLimits = (socket: StudioSocket) => {
    const now = Date.now();
    const joins = socket.data.joins;
    if (now - joins.start >= 60_000) Object.assign(joins, { start: now, count: 0 });
    if (joins.count >= limits.perSocketPerMinute) return false;
    joins.count++;
    try {
      userJoins.hit(socket.data.user.id);
      return true;
    } catch {
      return false;
    }
  };

  const sessionRooms = (socket: StudioSocket) =>
    [...socket.rooms].filter((room) => room.startsWith('session:')).length;

  io.on('connection', (socket) => {
    const { user, familyId } = socket.data;
    void socket.join([signInRoom(familyId), userRoom(user.id)]);
    socket.on('join', (payload: unknown, ack?: JoinAck) => {
      const parsed = JoinSchema.safeParse(payload);
      if (!parsed.success) return refuse(socket, ack, 'VALIDATION_FAILED');
      if (!withinLimits(socket)) return refuse(socket, ack, 'RATE_LIMITED');
      const room = sessionRoom(parsed.data.sessionId);
      if (!socket.rooms.has(room) && sessionRooms(socket) >= limits.roomsPerSocket) {
        return refuse(socket, ack, 'TOO_MANY_ROOMS');
      }
      Promise.all([signInLive(familyId), owners.ownerOf(parsed.data.sessionId)]).then(
        async ([live, owner]) => {
          if (!live) {
            ack?.({ ok: false, error: 'UNAUTHORIZED' });
            socket.disconnect(true);
            return;
          }
          // Another user's session looks exactly like a missing one.
          if (owner !== user.id) return refuse(socket, ack, 'NOT_FOUND');
          await socket.join(room);
          ack?.({ ok: true });
          const state = await options.currentState?.(parsed.data.sessionId);
          if (state) socket.emit(SESSION_EVENTS.state, state);
        },
        (error: unknown) => {
          options.log.warn('join failed', { error });
          ack?.({ ok: false, error: 'INTERNAL' });
        },
      );
    });
    socket.on('leave', (payload: unknown) => {
      const parsed = JoinSchema.safeParse(payload);
      if (parsed.success) void socket.leave(sessionRoom(parsed.data.sessionId));
    });
  });

  return io;
}
