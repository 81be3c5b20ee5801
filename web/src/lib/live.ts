import { io, type Socket } from 'socket.io-client';
import { RENDER_STEPS, SESSION_EVENTS, type ProgressEvent } from '#core/rooms.ts';
import { api, read } from './api';

/**
 * Live updates for one session over socket.io. The socket connects once per page load (with a
 * token from GET /api/me, fetched again on every reconnection) and joins session rooms on demand. State events carry no signed URLs,
 * so they only trigger a refetch (throttled by the caller's `onState`); progress events pass on.
 */

let socket: Promise<Socket> | undefined;

/** A fresh short-lived token for every (re)connection: access tokens last minutes, not days. */
async function freshToken() {
  return (await read(await api.me.$get())).token;
}

async function connect(): Promise<Socket> {
  const first = await freshToken();
  let token: string | undefined = first;
  return io({
    path: '/socket.io',
    auth: (done) => {
      // The first connection uses the token just read; reconnections fetch a new one.
      if (token) {
        done({ token });
        token = undefined;
        return;
      }
      freshToken().then(
        (fresh) => done({ token: fresh }),
        () => done({}),
      );
    },
    transports: ['websocket', 'polling'],
  });
}

export interface LiveHandlers {
  /** The session changed: refetch it. Called at most every `throttleMs`. */
  onState: () => void;
  onProgress: (event: ProgressEvent) => void;
  /** Whether the live connection is up (the page may poll while it is not). */
  onConnection?: (connected: boolean) => void;
}

/** Joins the session's room; returns a function that leaves it. */
export function watchSession(sessionId: string, handlers: LiveHandlers, throttleMs = 300) {
  let stopped = false;
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const stateChanged = (event?: unknown) => {
    const other = (event as { sessionId?: unknown } | undefined)?.sessionId;
    if (stopped || timer || (typeof other === 'string' && other !== sessionId)) return;
    const wait = Math.max(0, last + throttleMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      if (!stopped) handlers.onState();
    }, wait);
  };
  const progressed = (event: unknown) => {
    const e = event as { assetId?: unknown; fraction?: unknown; step?: unknown; side?: unknown };
    if (stopped || typeof e?.assetId !== 'string' || typeof e.fraction !== 'number') return;
    // Work beside a step's own job (the voiceover before a render) moves no step's bar.
    if (e.side === true) return;
    const step = RENDER_STEPS.find((s) => s === e.step);
    handlers.onProgress({ assetId: e.assetId, fraction: e.fraction, step });
  };

  let current: Socket | undefined;
  const join = async () => {
    if (!current || stopped) return;
    const reply = (await current.timeout(5000).emitWithAck('join', { sessionId })) as {
      ok: boolean;
    };
    handlers.onConnection?.(reply.ok);
    // Anything may have changed while we were away.
    if (reply.ok) stateChanged();
  };
  const down = () => handlers.onConnection?.(false);
  const connected = () => void join().catch(down);

  socket ??= connect().catch((error: unknown) => {
    socket = undefined;
    throw error;
  });
  socket.then(
    (s) => {
      if (stopped) return;
      current = s;
      s.on(SESSION_EVENTS.state, stateChanged);
      s.on(SESSION_EVENTS.progress, progressed);
      s.on('connect', connected);
      s.on('disconnect', down);
      if (s.connected) connected();
    },
    () => down(),
  );

  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (!current) return;
    current.off(SESSION_EVENTS.state, stateChanged);
    current.off(SESSION_EVENTS.progress, progressed);
    current.off('connect', connected);
    current.off('disconnect', down);
    current.emit('leave', { sessionId });
  };
}
