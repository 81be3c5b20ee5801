import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { businessFailure } from '../../core/errors';
import { createRealActivities } from '../support/activities';
import { createTestApi, createUser, tokenFor } from '../support/api';
import { createTestDatabase } from '../support/database';
import { createFakeGeneration } from '../support/fake-activities';
import { startTestWorker } from '../support/worker';
import { FAILING_PROMPT, makeFixtures, type FuzzFixtures } from './fixtures';
import { fileRequests } from './files';

/**
 * Issue 9 and 15: "5xx for bad input never, internals in responses never", across every route of
 * the OpenAPI document, aimed at real sessions (at every stage a person meets, with their image
 * and clip ids and an uploaded photo: test/fuzz/fixtures.ts) as well as made-up ids; and at
 * /api/files and /api/files-link, which the document does not describe. schemathesis (from PyPI,
 * installed by the bootstrap's `fuzz` command) makes the requests; its checks are "not a server
 * error" and test/fuzz/checks.py's "no internals".
 */
const root = resolve(import.meta.dirname, '..', '..');
const schemathesis =
  process.env.SCHEMATHESIS_PATH ?? join(root, '.tools', 'fuzz-venv', 'bin', 'schemathesis');
const examples = process.env.FUZZ_MAX_EXAMPLES ?? '40';

// What must never reach a client (as test/fuzz/checks.py says it).
const LEAK =
  /prisma|invocation|\/work\/|\/home\/|node_modules|\.ts:\d+|\bat \S+ \(|Traceback|vips|libpng|ECONNREFUSED|\bSELECT\b|\bINSERT\b|\bUPDATE "/i;

describe('the API under a fuzzer', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Awaited<ReturnType<typeof createTestApi>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let server: Server;
  let base: string;
  let token: string;
  let fixtures: FuzzFixtures;
  let fixturesFile: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const taskQueue = `fuzz-${Date.now()}`;
    // The fuzzer is one user sending thousands of requests: its limits would stop it early.
    api = await createTestApi(database.db, database.url, {
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_RENDER_TASK_QUEUE: `${taskQueue}-render`,
      GENERATION_RATE_LIMIT_PER_MINUTE: '1000000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
      QUOTA_OPEN_SESSIONS: '0',
      QUOTA_ACTIONS_PER_MINUTE: '0',
    });
    const real = await createRealActivities(database.db, api.storage);
    const generation = createFakeGeneration({
      fail: (name, input) =>
        name === 'planShots' && input.prompt === FAILING_PROMPT
          ? businessFailure('CONTENT_POLICY', 'The planner refused this product.')
          : undefined,
    });
    worker = await startTestWorker({ ...real.activities, ...generation }, { taskQueue });
    token = await tokenFor(
      database.db,
      await createUser(database.db, 'fuzz@example.com', 'a fuzzing password'),
    );
    server = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    await new Promise<void>((done) => server.once('listening', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fixtures = await makeFixtures(`${base}/api`, token);
    fixturesFile = join(inject('testWorkDir'), `fuzz-fixtures-${Date.now()}.json`);
    await writeFile(fixturesFile, JSON.stringify(fixtures));
    console.log(
      `fuzz: ${fixtures.sessions.length} sessions (${fixtures.sessions.map((s) => s.stage).join(', ')}), ${fixtures.fileLinks.length} file links`,
    );
  }, 600_000);
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
    await worker.stop();
    await api.close();
    await database.drop();
  });

  it('answers no generated request with a 5xx or with internals', async () => {
    const args = [
      'run',
      `${base}/api/openapi.json`,
      '--url',
      `${base}/api`,
      '--header',
      `Authorization: Bearer ${token}`,
      // Signing out would end the fuzzer's own sign-in; its revocation has tests of its own.
      '--exclude-path',
      '/auth/logout',
      '--checks',
      'not_a_server_error,no_internals',
      '--max-examples',
      examples,
      '--no-color',
    ];
    const code = await new Promise<number>((done, fail) => {
      const child = spawn(schemathesis, args, {
        cwd: join(root, 'test', 'fuzz'),
        env: { ...process.env, SCHEMATHESIS_HOOKS: 'checks', FUZZ_FIXTURES: fixturesFile },
        stdio: 'inherit',
      });
      child.on('error', fail);
      child.on('exit', (status) => done(status ?? 1));
    });
    expect(code).toBe(0);
  });

  it('answers no request at /api/files or /api/files-link with a 5xx or with internals', async () => {
    const requests = fileRequests(fixtures.fileLinks);
    const bad: string[] = [];
    const statuses = new Map<number, number>();
    for (const { path, signedIn } of requests) {
      const { status, body } = await new Promise<{ status: number; body: string }>((done, fail) => {
        const req = httpRequest(
          `${base}${path.startsWith('/') ? '' : '/'}`,
          { path, headers: signedIn ? { authorization: `Bearer ${token}` } : {} },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', fail);
        req.end();
      });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500 || LEAK.test(body)) bad.push(`${status} ${path}: ${body.slice(0, 200)}`);
    }
    console.log(
      `fuzz: ${requests.length} file requests, by status: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(bad).toEqual([]);
  });
});
