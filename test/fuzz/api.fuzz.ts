import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, tokenFor } from '../support/api';
import { createTestStudio } from '../support/studio';

/**
 * Issue 9: "5xx for bad input never, internals in responses never", across every route of the
 * OpenAPI document. schemathesis (from PyPI, installed by the bootstrap's `fuzz` command) makes
 * the requests; its checks are "not a server error" and test/fuzz/checks.py's "no internals".
 */
const root = resolve(import.meta.dirname, '..', '..');
const schemathesis =
  process.env.SCHEMATHESIS_PATH ?? join(root, '.tools', 'fuzz-venv', 'bin', 'schemathesis');
const examples = process.env.FUZZ_MAX_EXAMPLES ?? '40';

describe('the API under a fuzzer', () => {
  let studio: Awaited<ReturnType<typeof createTestStudio>>;
  let server: Server;
  let base: string;
  let token: string;

  beforeAll(async () => {
    studio = await createTestStudio();
    token = await tokenFor(
      studio.database.db,
      await createUser(studio.database.db, 'fuzz@example.com', 'a fuzzing password'),
    );
    server = serve({ fetch: studio.api.app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    await new Promise<void>((done) => server.once('listening', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
    await studio.close();
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
        env: { ...process.env, SCHEMATHESIS_HOOKS: 'checks' },
        stdio: 'inherit',
      });
      child.on('error', fail);
      child.on('exit', (status) => done(status ?? 1));
    });
    expect(code).toBe(0);
  });
});
