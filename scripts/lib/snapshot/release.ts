import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePorts } from '../ports';
import { startProcess } from '../processes';

/**
 * A past release of the studio, checked out beside this one (a detached `git worktree`) and run
 * as its users ran it: its own bootstrap installs its own packages and `npm start` runs its own
 * stack on a scratch data folder, on free ports.
 */
const root = resolve(import.meta.dirname, '..', '..', '..');

const git = (...args: string[]) =>
  execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();

export async function checkoutRelease(commit: string) {
  const full = git('rev-parse', '--verify', `${commit}^{commit}`);
  const scratch = await mkdtemp(join(tmpdir(), `studio-release-${full.slice(0, 7)}-`));
  // As root, the release's PostgreSQL runs as the postgres user, which must enter this folder.
  await chmod(scratch, 0o755);
  const dir = join(scratch, 'release');
  git('worktree', 'add', '--detach', dir, full);
  return {
    commit: full,
    dir,
    scratch,
    async remove() {
      await rm(scratch, { recursive: true, force: true });
      // Forgets the checkout whose folder is gone (git keeps a note of every worktree).
      git('worktree', 'prune');
    },
  };
}

export interface ReleaseStack {
  apiUrl: string;
  databaseUrl: string;
  temporalAddress: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The release's `npm start` (through its bootstrap, which installs its packages the first time)
 * on `dataDir`. Sessions wait a person for ten years, not 30 days, so a snapshot's parked
 * sessions do not expire before a later test restores them.
 */
export async function startReleaseStack(
  dir: string,
  dataDir: string,
  options: { temporalCli: string; log: (line: string) => void },
): Promise<ReleaseStack> {
  const [apiPort, webPort, pgPort, temporalPort, uiPort] = await freePorts(5);
  const ports = {
    api: apiPort!,
    web: webPort!,
    pg: pgPort!,
    temporal: temporalPort!,
    temporalUi: uiPort!,
  };
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'STORAGE_DIR', 'WORK_DIR', 'PROVIDER']) {
    delete env[name];
  }
  Object.assign(env, {
    DATA_DIR: dataDir,
    API_PORT: String(ports.api),
    WEB_PORT: String(ports.web),
    PG_PORT: String(ports.pg),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.temporalUi),
    TEMPORAL_CLI_PATH: options.temporalCli,
    SESSION_IDLE_TIMEOUT: '3650d',
    ONNXRUNTIME_NODE_INSTALL: 'skip',
  });
  const stack = startProcess(
    'release',
    process.execPath,
    [join(dir, 'scripts', 'bootstrap.mjs'), 'start'],
    { env, cwd: dir, quiet: true },
  );
  for (const stream of [stack.child.stdout, stack.child.stderr]) {
    stream?.on('data', (chunk: Buffer) => options.log(chunk.toString().trimEnd()));
  }
  try {
    // The first start installs the release's packages and builds its web UI.
    await stack.waitFor(/Ad Studio is up in/, 30 * 60_000);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as {
    postgresPassword: string;
  };
  return {
    apiUrl: `http://127.0.0.1:${ports.api}/api`,
    databaseUrl: `postgresql://studio:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${ports.pg}/studio`,
    temporalAddress: `127.0.0.1:${ports.temporal}`,
    dataDir,
    async stop() {
      // SIGTERM to its bootstrap, which passes it on: the stack stops in order, as on Ctrl-C.
      await stack.stop(120_000);
    },
  };
}
