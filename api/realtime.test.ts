import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher } from '../activities/notify';
import { createLogger } from '../core/log';
import { SESSION_EVENTS } from '../core/rooms';
import { createTestDatabase } from '../test/support/database';
import { createUser, testTokens, tokenFor } from '../test/support/api';
import { attachRealtime } from './realtime';

/**
 * Progress travels from a worker's postgres emitter, through PostgreSQL, to the API's socket.io
 * server and on to the browser; a socket must sign in and may only join its own sessions.
 */
describe('realtime', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: Server;
  let io: ReturnType<typeof attachRealtime>;
  let url: string;
  let pools: pg.Pool[];
  let ownerToken: string;
  let strangerToken: string;
  const sockets: Socket[] = [];
  const sessionId = 'session-realtime-1';

  beforeAll(async () => {
    database = await createTestDatabase();
    const owner = await createUser(database.db, 'owner@example.com', 'password-123', 'Owner');
    const stranger = await createUser(
      database.db,
      'stranger@example.com',
      'password-123',
      'Stranger',
    );
    await database.db.session.create({
      data: {
        id: sessionId,
        userId: owner.id,
        title: 'Shoes',
        stage: 'generating_images',
        productPrompt: 'shoes',
        budgetUsd: 5,
      },
    });
    ownerToken = await tokenFor(database.db, owner);
    strangerToken = await tokenFor(database.db, stranger);
    pools = [
      new pg.Pool({ connectionString: database.url }),
      new pg.Pool({ connectionString: database.url }),
    ];
    // As the API and the worker do: an idle connection that drops is logged, not thrown.
    for (const pool of pools) pool.on('error', () => undefined);
    server = createServer();
    io = attachRealtime(server, {
      pool: pools[0]!,
      authenticate: async (token) =>
        (await testTokens(database.db).authenticate(token))?.user ?? null,
      corsOrigin: 'http://127.0.0.1',
      log: createLogger('realtime-test', 'error'),
      canJoin: async (user, id) =>
        (await database.db.session.count({ where: { id, userId: user.id } })) > 0,
      currentState: async (id) =>
        (await database.db.session.findUnique({ where: { id }, select: { state: true } }))?.state,
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    // Closing socket.io closes the HTTP server and hands the adapter's LISTEN client back.
    await io.close();
    await Promise.all(pools.map((p) => p.end()));
    await database.drop();
  });

  function open(token: string | undefined) {
    const socket = connect(url, {
      auth: token ? { token } : {},
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    return socket;
  }

  const join = (socket: Socket, id: string) =>
    socket.emitWithAck('join', { sessionId: id }) as Promise<{ ok: boolean; error?: string }>;

  it('refuses a socket without a valid token', async () => {
    for (const token of [undefined, 'forged.token.value']) {
      const socket = open(token);
      const error = await new Promise<Error>((done) => socket.once('connect_error', done));
      expect(error.message).toBe('UNAUTHORIZED');
    }
  });

  it("lets a user join only their own session's room", async () => {
    const stranger = open(strangerToken);
    expect(await join(stranger, sessionId)).toEqual({ ok: false, error: 'NOT_FOUND' });
    expect(await join(stranger, '')).toEqual({ ok: false, error: 'VALIDATION_FAILED' });
    const owner = open(ownerToken);
    expect(await join(owner, sessionId)).toEqual({ ok: true });
  });

  it('delivers what a worker publishes to the sockets in that room, and only to them', async () => {
    const owner = open(ownerToken);
    expect(await join(owner, sessionId)).toEqual({ ok: true });
    const bystander = open(ownerToken);
    await new Promise<void>((done) => bystander.once('connect', () => done()));
    let bystanderGot = 0;
    bystander.on(SESSION_EVENTS.progress, () => bystanderGot++);

    const received = new Promise((done) =>
      owner.once(SESSION_EVENTS.progress, (p: unknown) => done(p)),
    );
    // The worker's side: its own pool, through PostgreSQL NOTIFY.
    const publish = createPublisher(pools[1]!);
    publish(sessionId, SESSION_EVENTS.progress, { assetId: 'a1', fraction: 0.5 });
    expect(await received).toEqual({ assetId: 'a1', fraction: 0.5 });
    expect(bystanderGot).toBe(0);
  });

  it('delivers payloads too large for NOTIFY through the attachments table', async () => {
    const owner = open(ownerToken);
    expect(await join(owner, sessionId)).toEqual({ ok: true });
    const big = {
      images: Array.from({ length: 40 }, (_, i) => ({ id: `image-${i}`, prompt: 'p'.repeat(400) })),
    };
    expect(JSON.stringify(big).length).toBeGreaterThan(8000);
    const received = new Promise((done) =>
      owner.once(SESSION_EVENTS.state, (p: unknown) => done(p)),
    );
    createPublisher(pools[1]!)(sessionId, SESSION_EVENTS.state, big);
    expect(await received).toEqual(big);
  });

  it('sends a socket that joins (or joins again after a reconnect) the stored state', async () => {
    const resumed = 'session-realtime-2';
    const owner = await database.db.user.findUniqueOrThrow({
      where: { email: 'owner@example.com' },
    });
    const state = { sessionId: resumed, stage: 'generating_clips', version: 12 };
    await database.db.session.create({
      data: {
        id: resumed,
        userId: owner.id,
        title: 'Mug',
        stage: 'generating_clips',
        productPrompt: 'mug',
        budgetUsd: 5,
        state,
      },
    });
    const socket = open(ownerToken);
    const received = new Promise((done) =>
      socket.once(SESSION_EVENTS.state, (p: unknown) => done(p)),
    );
    expect(await join(socket, resumed)).toEqual({ ok: true });
    expect(await received).toEqual(state);
  });

  it('keeps delivering after PostgreSQL drops every connection of the API and the worker', async () => {
    const owner = open(ownerToken);
    expect(await join(owner, sessionId)).toEqual({ ok: true });
    const publish = createPublisher(pools[1]!);
    // Both pools hold a connection, and the adapter's LISTEN client is among them.
    await pools[1]!.query('SELECT 1');
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    await admin.end();
    expect(rowCount).toBeGreaterThanOrEqual(2);

    // The adapter listens again on a new connection; until then a notice has no listener, so
    // the worker's side publishes until one arrives.
    const received = new Promise((done) =>
      owner.once(SESSION_EVENTS.progress, (p: unknown) => done(p)),
    );
    let arrived = false;
    void received.then(() => (arrived = true));
    const deadline = Date.now() + 20_000;
    while (!arrived && Date.now() < deadline) {
      publish(sessionId, SESSION_EVENTS.progress, { assetId: 'a2', fraction: 1 });
      await new Promise((done) => setTimeout(done, 200));
    }
    expect(await received).toEqual({ assetId: 'a2', fraction: 1 });
  });
});
