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
 * Each attack runs in a process of its own, for 20 s or its 10,000 joins, and the reader reads
 * throughout. Prints p50 and max of the reader's latency idle and under attack, their ratio, and
 * the reader's failed reads. A benchmark: it measures and prints; it asserts nothing.
 */
const root = resolve(import.meta.dirname, '..');
const READS = Number(process.env.BENCH_READS ?? 200);
const JOINS = 10_000;
/** How long the preview and big-body loops go on (the join flood ends after its joins). */
const ATTACK_MS = Number(process.env.BENCH_ATTACK_MS ?? 20_000);
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

/** Sequential reads of one session, timed: READS of them, and on until `more` says stop. */
async function readMany(
  url: string,
  token: string,
  more: () => boolean = () => false,
): Promise<Reads> {
  const agent = new Agent({ keepAlive: true });
  const times: number[] = [];
  let failures = 0;
  for (let i = 0; i < READS || more(); i++) {
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

/**
 * An attack in a process of its own (this file, run with `attack <kind> <json>`), so that its
 * work never sits on the reader's event loop: only the stack's processes are shared, as between
 * two real users. Its summary is the last line it prints.
 */
function attackProcess(kind: string, options: Record<string, unknown>) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, 'attack', kind, JSON.stringify(options)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<string>((resolveDone) =>
    child.once('exit', () => resolveDone(output.trim().split('\n').pop() ?? '')),
  );
  return { done, stop: () => child.kill('SIGTERM') };
}

/** The reader reads while the attack runs (at least READS reads); then the attack's summary. */
async function during(
  kind: string,
  options: Record<string, unknown>,
  read: (more: () => boolean) => Promise<Reads>,
) {
  const attack = attackProcess(kind, options);
  let finished = false;
  void attack.done.then(() => (finished = true));
  // Give the attack a moment to get going before the first timed read.
  await new Promise((done) => setTimeout(done, 1000));
  const reads = await read(() => !finished);
  attack.stop();
  return { reads, summary: await attack.done };
}

function joinFlood({ apiOrigin, token, sessionId }: Record<string, string>) {
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

function previewLoops({ apiUrl, token, sessionId }: Record<string, string>) {
  return async (stopped: () => boolean) => {
    const until = Date.now() + ATTACK_MS;
    const statuses = new Map<number, number>();
    const loop = async () => {
      while (!stopped() && Date.now() < until) {
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

function bigBodies({ webOrigin, token }: Record<string, string>) {
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
    const until = Date.now() + ATTACK_MS;
    for (let i = 0; !stopped() && Date.now() < until; i++) {
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
    const readDirect = (more?: () => boolean) => readMany(direct, reader.token, more);
    const readViaProxy = (more?: () => boolean) => readMany(viaProxy, reader.token, more);

    const only = process.env.BENCH_ONLY;
    const runs = (name: string) => !only || only.split(',').includes(name);
    if (runs('join-flood')) {
      const idle = await readDirect();
      const flood = await during(
        'join-flood',
        { apiOrigin, token: attacker.token, sessionId: attacker.sessionId },
        readDirect,
      );
      report('join flood', idle, flood.reads, flood.summary);
    }
    if (runs('preview-loop')) {
      const idleAgain = await readDirect();
      const previews = await during(
        'preview-loop',
        { apiUrl: harness.apiUrl, token: attacker.token, sessionId: attacker.sessionId },
        readDirect,
      );
      report('preview loop', idleAgain, previews.reads, previews.summary);
    }
    if (runs('big-bodies')) {
      const idleProxy = await readViaProxy();
      const bodies = await during(
        'big-bodies',
        { webOrigin: proxy.origin, token: attacker.token },
        readViaProxy,
      );
      report('big-body loop (via the web proxy)', idleProxy, bodies.reads, bodies.summary);
    }
  } finally {
    proxy?.child.kill();
    await harness.stop();
  }
}

const ATTACKS = { 'join-flood': joinFlood, 'preview-loop': previewLoops, 'big-bodies': bigBodies };

async function attack(kind: keyof typeof ATTACKS, options: Record<string, string>) {
  let stopped = false;
  process.on('SIGTERM', () => (stopped = true));
  console.log(await ATTACKS[kind](options)(() => stopped));
}

const [mode, kind, options] = process.argv.slice(2);
const run =
  mode === 'attack'
    ? attack(kind as keyof typeof ATTACKS, JSON.parse(options ?? '{}') as Record<string, string>)
    : main();
run.then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
