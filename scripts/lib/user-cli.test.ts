import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../api/auth';
import { createTestDatabase } from '../../test/support/database';
import { runUserCommand, UserUsageError } from './user-cli';

/** `npm run user -- add <email>`: an account made from a terminal, its password from stdin. */
describe('npm run user', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('creates an account whose password was read from standard input', async () => {
    const root = resolve(import.meta.dirname, '..', '..');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/user.ts', 'add', 'Ops@Example.com', '--name', 'Ops'],
      { cwd: root, env: { ...process.env, DATABASE_URL: database.url } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end('a long enough password\n');
    const code = await new Promise((done) => child.on('exit', done));
    expect(output).toMatch(/^created ops@example\.com \(/);
    expect(code).toBe(0);
    const user = await database.db.user.findUniqueOrThrow({ where: { email: 'ops@example.com' } });
    expect(user.name).toBe('Ops');
    expect(await verifyPassword(user.passwordHash, 'a long enough password')).toBe(true);
  });

  it('refuses a short password, a taken email and a bad address, creating nothing', async () => {
    const add = (email: string, password: string) =>
      runUserCommand(['add', email], {
        db: database.db,
        readPassword: () => Promise.resolve(password),
      });
    await expect(add('short@example.com', 'short')).rejects.toThrow('Use at least 10 characters.');
    await expect(add('ops@example.com', 'another long password')).rejects.toThrow(
      'ops@example.com already has an account.',
    );
    await expect(add('not-an-email', 'another long password')).rejects.toBeInstanceOf(
      UserUsageError,
    );
    expect(await database.db.user.count()).toBe(1);
  });
});
