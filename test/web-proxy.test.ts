import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiProxy } from '../web/api-proxy.js';
import { trustedProxies } from '../web/security-headers.js';
import { createTestApi, createUser, tokenFor } from './support/api';
import { createTestDatabase } from './support/database';

/**
 * Issue 15: the web server passes /api on to the API. When the API answered before reading a
 * request's body (413 for a big JSON body, 422 for a big upload, 401 for an upload without a
 * token), the proxy put the connection, now dead, back in its pool, and the next request through
 * it, often another user's, got a 502 or a reset. An early refusal must harm no one.
 */
describe('the web proxy when the API refuses a request early', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Awaited<ReturnType<typeof createTestApi>>;
  let apiServer: Server;
  let proxyServer: Server;
  let base: string;
  let readerToken: string;
  let attackerToken: string;

  const listen = (server: Server) =>
    new Promise<string>((done) =>
      server.listen(0, '127.0.0.1', () =>
        done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      ),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createTestApi(database.db, database.url);
    readerToken = await tokenFor(
      database.db,
      await createUser(database.db, 'reader@example.com', 'password-123'),
    );
    attackerToken = await tokenFor(
      database.db,
      await createUser(database.db, 'sender@example.com', 'password-123'),
    );
    apiServer = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    await new Promise<void>((done) => apiServer.once('listening', done));
    const apiUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
    const proxy = createApiProxy({ apiUrl, proxies: trustedProxies('127.0.0.1,::1') });
    proxyServer = createServer((req, res) => proxy.request(req, res));
    base = await listen(proxyServer);
  });
  afterAll(async () => {
    proxyServer.closeAllConnections();
    await new Promise((done) => proxyServer.close(done));
    apiServer.closeAllConnections?.();
    await new Promise((done) => apiServer.close(done));
    await api.close();
    await database.drop();
  });

  /** One request on the given agent: its status, or the network error it ended with. */
  function send(
    agent: Agent,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer,
  ): Promise<number | string> {
    return new Promise((done) => {
      const req = request(`${base}${path}`, { method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', (error) => done(`response ${error.message}`));
      });
      req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
      req.end(body);
    });
  }

  const MB = 1024 * 1024;
  const bigJson = Buffer.from(
    JSON.stringify({ email: 'x@example.com', password: 'p'.repeat(2 * MB) }),
  );
  const bigForm = Buffer.concat([
    Buffer.from(
      '--b\r\ncontent-disposition: form-data; name="file"; filename="x.png"\r\ncontent-type: image/png\r\n\r\n',
    ),
    Buffer.alloc(11 * MB, 1),
    Buffer.from('\r\n--b--\r\n'),
  ]);
  const early = [
    {
      path: '/api/auth/login',
      type: 'application/json',
      body: bigJson,
      token: undefined,
      status: 413,
    },
    {
      path: '/api/uploads',
      type: 'multipart/form-data; boundary=b',
      body: bigForm,
      token: undefined,
      status: 401,
    },
    {
      path: '/api/uploads',
      type: 'multipart/form-data; boundary=b',
      body: bigForm,
      token: 'attacker',
      status: 422,
    },
  ];

  it("answers every other user's read while big bodies are refused, and the sender gets its answer", async () => {
    const readerAgent = new Agent({ keepAlive: true, maxSockets: 4 });
    const senderAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    let attacking = true;
    const reads: Array<number | string> = [];
    // Four reads at a time, so the proxy keeps several connections to the API in use.
    const readers = Array.from({ length: 4 }, async () => {
      while (attacking) {
        reads.push(
          await send(readerAgent, 'GET', '/api/me', { authorization: `Bearer ${readerToken}` }),
        );
      }
    });
    const answers: Array<{ expected: number; got: number | string }> = [];
    for (let round = 0; round < 5; round++) {
      for (const refusal of early) {
        const headers: Record<string, string> = {
          'content-type': refusal.type,
          'content-length': String(refusal.body.length),
        };
        if (refusal.token) headers.authorization = `Bearer ${attackerToken}`;
        answers.push({
          expected: refusal.status,
          got: await send(senderAgent, 'POST', refusal.path, headers, refusal.body),
        });
      }
    }
    attacking = false;
    await Promise.all(readers);
    readerAgent.destroy();
    senderAgent.destroy();

    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((status) => status !== 200)).toEqual([]);
    expect(answers.filter((a) => a.got !== a.expected)).toEqual([]);
  });

  it('never hands another request a connection the API drops after refusing a body', async () => {
    // An API that refuses a big body on its headers, reads the rest away, and drops the
    // connection a moment later (as the API does when draining takes too long); a request sent
    // on that connection in the meantime is lost.
    const doomed = new WeakSet<object>();
    const stub = createServer((req, res) => {
      if (doomed.has(req.socket)) return;
      if (req.method === 'POST') {
        doomed.add(req.socket);
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"PAYLOAD_TOO_LARGE","message":"The request is too large."}}');
        req.resume();
        req.on('end', () => setTimeout(() => req.socket.destroy(), 200));
        return;
      }
      res.end('{"ok":true}');
    });
    const stubUrl = await listen(stub);
    const proxy = createApiProxy({ apiUrl: stubUrl, proxies: trustedProxies('127.0.0.1') });
    const front = createServer((req, res) => proxy.request(req, res));
    const frontUrl = await listen(front);
    const agent = new Agent({ keepAlive: true });
    const at = (path: string, method = 'GET', body?: Buffer) =>
      new Promise<number | string>((done) => {
        const req = request(
          `${frontUrl}${path}`,
          { method, agent, headers: body ? { 'content-type': 'application/json' } : {} },
          (res) => {
            res.resume();
            res.on('end', () => done(res.statusCode ?? 0));
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
        req.end(body);
      });
    try {
      const outcomes = [];
      for (let i = 0; i < 5; i++) {
        outcomes.push(await at('/api/auth/login', 'POST', Buffer.alloc(64 * 1024, 32)));
        // The next request, another user's, right after: it must not ride the dropped connection.
        outcomes.push(await at('/api/me'));
      }
      expect(outcomes).toEqual([413, 200, 413, 200, 413, 200, 413, 200, 413, 200]);
    } finally {
      agent.destroy();
      front.closeAllConnections();
      stub.closeAllConnections();
      await new Promise((done) => front.close(done));
      await new Promise((done) => stub.close(done));
    }
  });
});
