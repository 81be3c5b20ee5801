import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { io } from 'socket.io-client';
import { SESSION_EVENTS } from '../../core/rooms';
import type { SessionState } from '../../core/session';
import type { Stage } from '../../core/stages';
import type { Harness } from './harness';
import type { ApiClient } from './journey';

/**
 * The faults `npm run faults` injects into a running stack, each while a session is at a given
 * step. They are real: signals to real processes, a real server restart, real dropped
 * connections, a storage folder that is really gone.
 */
export interface Fault {
  name: string;
  /** The session steps during which the fault strikes. */
  during: Stage[];
  inject(context: FaultContext): Promise<string>;
}

export interface FaultContext {
  harness: Harness;
  api: ApiClient;
  sessionId: string;
  say: (line: string) => void;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function killWorker(context: FaultContext) {
  const pid = context.harness.workers[0]!.pid();
  if (!pid) throw new Error('no worker is running');
  const restarted = context.harness.workers[0]!.restarted();
  process.kill(pid, 'SIGKILL');
  return restarted;
}

export const FAULTS: Fault[] = [
  {
    name: 'SIGKILL the worker during images',
    during: ['generating_images'],
    async inject(context) {
      await killWorker(context);
      return 'worker killed and restarted by its supervisor';
    },
  },
  {
    name: 'SIGKILL the worker during clips',
    during: ['generating_clips'],
    async inject(context) {
      await killWorker(context);
      return 'worker killed and restarted by its supervisor';
    },
  },
  {
    name: 'SIGKILL the worker during render',
    during: ['rendering'],
    async inject(context) {
      await killWorker(context);
      return 'worker killed and restarted by its supervisor';
    },
  },
  {
    name: 'restart the Temporal server mid-session',
    during: ['generating_clips'],
    async inject(context) {
      await context.harness.restartTemporal();
      return 'Temporal dev server stopped and started on the same database file';
    },
  },
  {
    name: 'restart the API with a socket client connected',
    during: ['generating_clips', 'awaiting_clip_approval'],
    inject: restartApiWithSocket,
  },
  {
    name: 'terminate every PostgreSQL connection',
    during: ['generating_images', 'generating_clips'],
    async inject(context) {
      const client = new pg.Client({ connectionString: context.harness.databaseUrl() });
      await client.connect();
      const { rowCount } = await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname IS NOT NULL',
      );
      await client.end();
      return `${rowCount} connections terminated`;
    },
  },
  {
    name: 'restart PostgreSQL',
    during: ['generating_clips'],
    async inject(context) {
      await context.harness.restartPostgres();
      return 'PostgreSQL stopped (fast shutdown) and started on the same data';
    },
  },
  {
    name: 'storage unavailable for 30 s',
    during: ['generating_images', 'generating_clips'],
    async inject(context) {
      // The store's folder goes away as an unmounted volume would (as root, taking its write
      // permission away would change nothing): every read and write fails until it is back.
      const dir = context.harness.storageDir;
      const aside = `${dir}.unmounted`;
      await rename(dir, aside);
      await writeFile(dir, 'storage is unavailable');
      try {
        await pause(30_000);
      } finally {
        await rm(dir, { force: true });
        if (existsSync(aside)) await rename(aside, dir);
      }
      return 'storage folder gone for 30 s, then back';
    },
  },
];

/**
 * A socket client joined to the session's room; the API is stopped and its supervisor starts it
 * again. The client reconnects by itself, joins again, and must be sent the session's current
 * state (not only the next change).
 */
async function restartApiWithSocket(context: FaultContext) {
  const { harness, api, sessionId } = context;
  const origin = new URL(harness.apiUrl).origin;
  const states: Array<{ connection: number; state: SessionState }> = [];
  let connections = 0;
  const socket = io(origin, {
    path: '/socket.io',
    auth: { token: api.token },
    transports: ['websocket'],
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
  });
  socket.on('connect', () => {
    connections += 1;
    socket.emit('join', { sessionId });
  });
  socket.on(SESSION_EVENTS.state, (state: SessionState) =>
    states.push({ connection: connections, state }),
  );
  try {
    await until(() => connections === 1, 30_000, 'the socket did not connect');
    const pid = harness.api.pid();
    if (!pid) throw new Error('no API is running');
    const restarted = harness.api.restarted();
    process.kill(pid, 'SIGTERM');
    await restarted;
    await until(() => connections >= 2, 60_000, 'the socket did not reconnect');
    const { state: now } = await api.read(sessionId);
    await until(
      () => states.some((s) => s.connection >= 2 && s.state.version >= now.version),
      30_000,
      `after reconnecting, the socket was not sent the current state (version ${now.version})`,
    );
    return `socket reconnected and was sent the current state (${now.stage}, version ${now.version})`;
  } finally {
    socket.close();
  }
}

async function until(condition: () => boolean, timeoutMs: number, failure: string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(failure);
    await pause(100);
  }
}
