import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { freePorts } from '../../scripts/lib/ports';
import { startProcess, type ManagedProcess } from '../../scripts/lib/processes';
import { temporalCli } from './temporal-cli';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * `npm start` (scripts/stack.ts) on free ports and an empty data folder of its own, as a person
 * runs it: the browser suites drive the real studio through its web port.
 */
export async function startStack() {
  const parent = await mkdtemp(join(inject('testWorkDir'), 'stack-'));
  // PostgreSQL runs as its own user when the tests run as root: it must reach the folder.
  await chmod(parent, 0o755);
  const dataDir = join(parent, 'data');
  await mkdir(dataDir);
  const [pg, temporal, temporalUi, api, web] = await freePorts(5);
  const ports = {
    PG_PORT: pg!,
    TEMPORAL_PORT: temporal!,
    TEMPORAL_UI_PORT: temporalUi!,
    API_PORT: api!,
    WEB_PORT: web!,
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    TEMPORAL_CLI_PATH: temporalCli(),
  };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  delete env.STORAGE_DIR;
  for (const [name, port] of Object.entries(ports)) env[name] = String(port);
  const stack: ManagedProcess = startProcess(
    'stack',
    process.execPath,
    ['--import', 'tsx', 'scripts/stack.ts'],
    { env, cwd: root, quiet: true },
  );
  await stack.waitFor(/Ad Studio is up/, 180_000);
  return {
    web: `http://127.0.0.1:${ports.WEB_PORT}`,
    dataDir,
    /** Where the fs store keeps a storage key's file. */
    storagePath: (key: string) => join(dataDir, 'storage', key),
    /** The pid of the stack's child running `script` (e.g. api/main.ts), if any. */
    childRunning(script: string) {
      const out = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' });
      const line = out
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .find(([, ppid, ...args]) => Number(ppid) === stack.child.pid && args.includes(script));
      return line ? Number(line[0]) : undefined;
    },
    async stop() {
      process.kill(stack.child.pid!, 'SIGINT');
      await stack.exited;
    },
  };
}
