import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher } from '../activities/notify';
import { createLogger } from '../core/log';
import { SESSION_EVENTS } from '../core/rooms';
import { createTestDatabase } from '../test/support/database';
import { createTestApi, createUser, testTokens, tokenFor } from '../test/support/api';
import { attachRealtime } from './realtime';
import { createRevocations } from './revocations';

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
  const revocations = createRevocations();
  /** Database lookups of a session's owner, by session id. */
  const ownerLookups = new Map<string, number>();

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
    const tokens = testTokens(database.db);
    io = attachRealtime(server, {
      pool: pools[0]!,
      authenticate: (token) => tokens.authenticate(token),
      corsOrigin: 'http://127.0.0.1:3000',
      log: createLogger('realtime-test', 'error'),
      ownerOf: async (id) => {
        ownerLookups.set(id, (ownerLookups.get(id) ?? 0) + 1);
        const row = await database.db.session.findUnique({
          where: { id },
          select: { userId: true },
        });
        return row?.userId ?? null;
      },
      signInLive: (familyId) => tokens.signInLive(familyId),
      currentState: async (id) =>
        (await database.db.session.findUnique({ where: { id }, select: { state: true } }))?.state,
      revocations,
      // Small limits, so a flood is short; sign-ins are checked again at every join.
      limits: {
        perSocketPerMinute: 10,
        perUserPerMinute: 15,
        refusalsBeforeDisconnect: 5,
        signInCheckMs: 0,
      },
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

  function open(token: string | undefined, extraHeaders: Record<string, string> = {}) {
    const socket = connect(url, {
      auth: token ? { token } : {},
      transports: ['websocket'],
      reconnection: false,
      extraHeaders,
    });
    sockets.push(socket);
    return socket;
  }

  const disconnected = (socket: Socket) =>
    new Promise<string>((done) => socket.once('disconnect', (reason) => done(reason)));
  const connected = (socket: Socket) =>
    socket.connected
      ? Promise.resolve()
      : new Promise<void>((done) => socket.once('connect', () => done()));

  /** A user with a session of their own. */
  async function userWithSession(email: string, password = 'password-123') {
    const user = await createUser(database.db, email, password, email);
    const id = `session-${user.id}`;
    await database.db.session.create({
      data: {
        id,
        userId: user.id,
        title: 'Mug',
        stage: 'generating_images',
        productPrompt: 'mug',
        budgetUsd: 5,
      },
    });
    return { user, sessionId: id };
  }

  const join = (socket: Socket, id: string) =>
    socket.emitWithAck('join', { sessionId: id }) as Promise<{ ok: boolean; error?: string }>;

  it('refuses a socket opened by a page of another site or a sibling origin (issue 15)', async () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1:4000']) {
      const socket = open(ownerToken, { origin });
      const error = await new Promise<Error>((done) => socket.once('connect_error', done));
      expect(error).toBeInstanceOf(Error);
      expect(socket.connected).toBe(false);
    }
    const own = open(ownerToken, { origin: 'http://127.0.0.1:3000' });
    await connected(own);
    expect(await join(own, sessionId)).toEqual({ ok: true });
  });

  it('limits joins per socket and per user, asks the database once per session, and cuts off a flood (issue 15)', async () => {
    const { user, sessionId: own } = await userWithSession('flood@example.com');
    const token = await tokenFor(database.db, user);
    const first = open(token);
    await connected(first);
    const firstReplies = await Promise.all(Array.from({ length: 12 }, () => join(first, own)));
    expect(firstReplies.filter((r) => r.ok)).toHaveLength(10);
    expect(firstReplies.slice(10)).toEqual([
      { ok: false, error: 'RATE_LIMITED' },
      { ok: false, error: 'RATE_LIMITED' },
    ]);
    expect(ownerLookups.get(own)).toBe(1);
    // Another socket of the same user has only the user's remaining five joins.
    const second = open(token);
    await connected(second);
    const cut = disconnected(second);
    for (let i = 0; i < 5; i++) expect(await join(second, own)).toEqual({ ok: true });
    expect(await join(second, own)).toEqual({ ok: false, error: 'RATE_LIMITED' });
    // Four more refusals make five: the socket is disconnected by the server.
    for (let i = 0; i < 4; i++) second.emit('join', { sessionId: own });
    expect(await cut).toBe('io server disconnect');
  });

  it('disconnects the sockets of a sign-in that ends: sign-out and password change (issue 15)', async () => {
    const { sessionId: own } = await userWithSession('leaver@example.com', 'first password here');
    const api = await createTestApi(database.db, database.url, {}, { revocations });
    try {
      const signIn = async () => {
        const response = await api.app.request('/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'leaver@example.com', password: 'first password here' }),
        });
        return (await response.json()) as { token: string };
      };
      const laptop = await signIn();
      const phone = await signIn();
      const tablet = await signIn();
      const sockets = [laptop, phone, tablet].map((s) => open(s.token));
      for (const socket of sockets) {
        await connected(socket);
        expect(await join(socket, own)).toEqual({ ok: true });
      }
      const [laptopSocket, phoneSocket, tabletSocket] = sockets as [Socket, Socket, Socket];

      // Sign-out on the phone ends the phone's socket only.
      const phoneGone = disconnected(phoneSocket);
      const out = await api.app.request('/api/auth/logout', {
        method: 'POST',
        headers: { authorization: `Bearer ${phone.token}` },
      });
      expect(out.status).toBe(200);
      expect(await phoneGone).toBe('io server disconnect');

      // A password change on the laptop ends every other sign-in's sockets.
      const tabletGone = disconnected(tabletSocket);
      const changed = await api.app.request('/api/auth/password', {
        method: 'POST',
        headers: { authorization: `Bearer ${laptop.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          currentPassword: 'first password here',
          newPassword: 'second password here',
        }),
      });
      expect(changed.status).toBe(200);
      expect(await tabletGone).toBe('io server disconnect');
      expect(laptopSocket.connected).toBe(true);

      // The laptop still gets the session's events; nothing reaches the ended sign-ins.
      const received = new Promise((done) => laptopSocket.once(SESSION_EVENTS.progress, done));
      createPublisher(pools[1]!)(own, SESSION_EVENTS.progress, { assetId: 'a3', fraction: 1 });
      expect(await received).toEqual({ assetId: 'a3', fraction: 1 });
    } finally {
      await api.close();
    }
  });

  it('checks the sign-in again at each join, even when no one told this server it ended (issue 15)', async () => {
    const { user, sessionId: own } = await userWithSession('silent@example.com');
    const signedIn = await testTokens(database.db).signIn(user);
    const socket = open(signedIn.accessToken);
    await connected(socket);
    expect(await join(socket, own)).toEqual({ ok: true });
    // Ended behind this server's back (another instance, no event here).
    await database.db.refreshToken.updateMany({
      where: { familyId: signedIn.familyId },
      data: { revokedAt: new Date() },
    });
    const gone = disconnected(socket);
    expect(await join(socket, own)).toEqual({ ok: false, error: 'UNAUTHORIZED' });
    expect(await gone).toBe('io server disconnect');
  });

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
