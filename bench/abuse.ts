import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { io as connect } from 'socket.io-client';
import { hashPassword } from '../api/auth';
import type { SessionState } from '../core/session';
import { startHarness, stopOnSignals, type Harness } from '../scripts/lib/harness';
import { freePort } from '../scripts/lib/ports';
import { percentile } from '../scripts/lib/measure';

/**
 * `npm run bench:abuse`: what one user's abuse costs another user (issue 15). On the embedded
 * stack (API, worker, Temporal, PostgreSQL as separate processes, plus the web proxy), another
 * user reads their own session (GET /api/sessions/:id) 200 times while idle, then again during
 * each attack:
 *   - join flood: 10,000 socket.io `join`s from one user's socket (reconnecting when cut off);
 *   - preview loop: four loops of POST /sessions/:id/preview (the action quota switched off, so
 *     every preview is drawn);
 *   - big-body loop: 2 MB JSON bodies (413), 11 MB uploads without a token (401) and with one
 *     (422), through the web proxy, with the reader reading through the same proxy.
 * Prints p50 and max of the reader's latency idle and under attack, their ratio, and the reader's
 * failed reads. A benchmark: it measures and prints; it asserts nothing.
 */
const root = resolve(import.meta.dirname, '..');
const READS = Number(process.env.BENCH_READS ?? 200);
const JOINS = 10_000;
const say = (line: string) => console.log(`abuse | ${line}`);

interface Reads {
  times: number[];
  failures: number;
}

function get(url: string, token: string, agent: Agent): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end();
  });
}

/** READS sequential reads of one session, timed. */
async function readMany(url: string, token: string): Promise<Reads> {
  const agent = new Agent({ keepAlive: true });
  const times: number[] = [];
  let failures = 0;
  for (let i = 0; i < READS; i++) {
    const started = performance.now();
    try {
      const status = await get(url, token, agent);
      if (status !== 200) failures++;
    } catch {
      failures++;
    }
    times.push(performance.now() - started);
  }
  agent.destroy();
  return { times, failures };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
function report(name: string, idle: Reads, attacked: Reads, extra: string) {
  const p50 = [percentile(idle.times, 50), percentile(attacked.times, 50)] as const;
  const max = [Math.max(...idle.times), Math.max(...attacked.times)] as const;
  say(
    `${name}: reader p50 ${ms(p50[0])} idle → ${ms(p50[1])} attacked (×${(p50[1] / p50[0]).toFixed(2)}), ` +
      `max ${ms(max[0])} → ${ms(max[1])}, failed reads ${idle.failures} → ${attacked.failures}; ${extra}`,
  );
}

async function json<T>(url: string, token: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function person(harness: Harness, email: string) {
  await harness.db.user.create({
    data: { email, name: email, passwordHash: await hashPassword('a bench password') },
  });
  const { token } = await json<{ token: string }>(`${harness.apiUrl}/auth/login`, '', 'POST', {
    email,
    password: 'a bench password',
  });
  const session = await json<SessionState>(`${harness.apiUrl}/sessions`, token, 'POST', {
    productPrompt: `${email.split('@')[0]} sneakers`,
    imageCount: 4,
    reviewPlan: false,
  });
  return { token, sessionId: session.sessionId };
}

async function waitForImages(harness: Harness, token: string, sessionId: string) {
  for (;;) {
    const state = await json<SessionState>(`${harness.apiUrl}/sessions/${sessionId}`, token, 'GET');
    if (state.stage === 'awaiting_image_approval') return;
    if (state.stage === 'failed') throw new Error(`${sessionId} failed`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

/** The attack runs while the reader reads; the attack's own summary comes back. */
async function during(
  attack: (stop: () => boolean) => Promise<string>,
  read: () => Promise<Reads>,
) {
  let stopped = false;
  const running = attack(() => stopped);
  const reads = await read();
  stopped = true;
  return { reads, summary: await running };
}

function joinFlood(apiOrigin: string, token: string, sessionId: string) {
  return async (stopped: () => boolean) => {
    let sent = 0;
    let ok = 0;
    let refused = 0;
    let cutOff = 0;
    while (sent < JOINS && !stopped()) {
      const socket = connect(apiOrigin, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
      });
      const reason = await new Promise<string>((done) => {
        socket.once('connect_error', (error) => done(`connect_error ${error.message}`));
        socket.once('disconnect', (why) => done(why));
        socket.once('connect', () => {
          // As fast as the socket takes them, without waiting for answers.
          const burst = () => {
            for (let i = 0; i < 200 && sent < JOINS && socket.connected; i++) {
              sent++;
              socket.emit('join', { sessionId }, (reply: { ok: boolean }) =>
                reply.ok ? ok++ : refused++,
              );
            }
            if (sent >= JOINS || stopped()) {
              setTimeout(() => socket.disconnect(), 200);
              return;
            }
            if (socket.connected) setImmediate(burst);
          };
          burst();
        });
      });
      socket.close();
      if (reason === 'io server disconnect') cutOff++;
      if (reason.startsWith('connect_error')) await new Promise((done) => setTimeout(done, 100));
    }
    return `${sent} joins sent, ${ok} joined, ${refused} refused, socket cut off ${cutOff} times`;
  };
}

function previewLoops(apiUrl: string, token: string, sessionId: string) {
  return async (stopped: () => boolean) => {
    const statuses = new Map<number, number>();
    const loop = async () => {
      while (!stopped()) {
        const response = await fetch(`${apiUrl}/sessions/${sessionId}/preview`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            productName: 'Bench Sneakers',
            callToAction: 'Shop now',
            tagline: 'Light on your feet.',
            colors: { primary: '#14213d', accent: '#fca311', text: '#ffffff' },
          }),
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    };
    await Promise.all([loop(), loop(), loop(), loop()]);
    return `previews by status ${JSON.stringify(Object.fromEntries(statuses))}`;
  };
}

function bigBodies(webOrigin: string, token: string) {
  const MB = 1024 * 1024;
  const json2mb = Buffer.from(
    JSON.stringify({ email: 'x@example.com', password: 'p'.repeat(2 * MB) }),
  );
  const form = Buffer.concat([
    Buffer.from(
      '--b\r\ncontent-disposition: form-data; name="file"; filename="x.png"\r\ncontent-type: image/png\r\n\r\n',
    ),
    Buffer.alloc(11 * MB, 1),
    Buffer.from('\r\n--b--\r\n'),
  ]);
  const kinds = [
    { path: '/api/auth/login', type: 'application/json', body: json2mb, auth: false },
    { path: '/api/uploads', type: 'multipart/form-data; boundary=b', body: form, auth: false },
    { path: '/api/uploads', type: 'multipart/form-data; boundary=b', body: form, auth: true },
  ];
  return async (stopped: () => boolean) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const outcomes = new Map<string, number>();
    for (let i = 0; !stopped(); i++) {
      const kind = kinds[i % kinds.length]!;
      const outcome = await new Promise<string>((done) => {
        const headers: Record<string, string> = {
          'content-type': kind.type,
          'content-length': String(kind.body.length),
        };
        if (kind.auth) headers.authorization = `Bearer ${token}`;
        const req = request(
          `${webOrigin}${kind.path}`,
          { method: 'POST', agent, headers },
          (res) => {
            res.resume();
            res.on('end', () => done(String(res.statusCode)));
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
        req.end(kind.body);
      });
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    agent.destroy();
    return `big bodies by answer ${JSON.stringify(Object.fromEntries(outcomes))}`;
  };
}

/** The web process's API pass-through (web/api-proxy.js), as web/server.js runs it. */
async function startProxy(apiUrl: string): Promise<{ origin: string; child: ChildProcess }> {
  const port = await freePort();
  const code = `
    import http from 'node:http';
    import { createApiProxy } from './web/api-proxy.js';
    import { trustedProxies } from './web/security-headers.js';
    const proxy = createApiProxy({ apiUrl: ${JSON.stringify(apiUrl)}, proxies: trustedProxies() });
    http.createServer((req, res) => proxy.request(req, res)).listen(${port}, '127.0.0.1', () => console.log('ready'));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: root });
  await new Promise<void>((done, fail) => {
    child.stdout?.once('data', () => done());
    child.once('exit', (status) => fail(new Error(`proxy exited (${status})`)));
  });
  return { origin: `http://127.0.0.1:${port}`, child };
}

async function main() {
  say('starting the stack (API, worker, Temporal, PostgreSQL)');
  const harness = await startHarness({
    say,
    log: () => undefined,
    // The preview loop measures previews themselves, not the quota that would stop it.
    env: { QUOTA_ACTIONS_PER_MINUTE: '0', GENERATION_RATE_LIMIT_PER_MINUTE: '1000' },
  });
  stopOnSignals(harness);
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  try {
    const apiOrigin = new URL(harness.apiUrl).origin;
    const reader = await person(harness, 'reader@bench.local');
    const attacker = await person(harness, 'attacker@bench.local');
    say('waiting for both sessions to reach their images (the local studio draws them)');
    await waitForImages(harness, reader.token, reader.sessionId);
    await waitForImages(harness, attacker.token, attacker.sessionId);
    proxy = await startProxy(harness.apiUrl.replace(/\/api$/, ''));
    const direct = `${harness.apiUrl}/sessions/${reader.sessionId}`;
    const viaProxy = `${proxy.origin}/api/sessions/${reader.sessionId}`;
    const readDirect = () => readMany(direct, reader.token);
    const readViaProxy = () => readMany(viaProxy, reader.token);

    const idle = await readDirect();
    const flood = await during(
      joinFlood(apiOrigin, attacker.token, attacker.sessionId),
      readDirect,
    );
    report('join flood', idle, flood.reads, flood.summary);

    const idleAgain = await readDirect();
    const previews = await during(
      previewLoops(harness.apiUrl, attacker.token, attacker.sessionId),
      readDirect,
    );
    report('preview loop', idleAgain, previews.reads, previews.summary);

    const idleProxy = await readViaProxy();
    const bodies = await during(bigBodies(proxy.origin, attacker.token), readViaProxy);
    report('big-body loop (via the web proxy)', idleProxy, bodies.reads, bodies.summary);
  } finally {
    proxy?.child.kill();
    await harness.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
