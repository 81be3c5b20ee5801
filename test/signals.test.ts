import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { freePort, isPortFree } from '../scripts/lib/ports';
import { startProcess } from '../scripts/lib/processes';
import { temporalCli } from './support/temporal-cli';

/**
 * A signal to the `npm` process alone (not its process group, as a terminal's Ctrl-C would send)
 * stops everything the command started: `npm start`'s whole stack, and `npm run demo`'s
 * PostgreSQL and Temporal. npm passes SIGINT on to its script, but a `sh -c` between them waits it
 * out, so the scripts `exec` the bootstrap.
 */
const root = resolve(import.meta.dirname, '..');

async function scratch() {
  const parent = await mkdtemp(join(inject('testWorkDir'), 'signals-'));
  await chmod(parent, 0o755);
  const dataDir = join(parent, 'data');
  await mkdir(dataDir);
  return dataDir;
}

/** The environment of `npm` as a person's shell has it: this Node first, everything installed. */
function npmEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    STUDIO_PREBUILT: '1',
    TEMPORAL_CLI_PATH: temporalCli(),
    ...extra,
  };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'STORAGE_DIR', 'WORK_DIR'])
    delete env[name];
  return env;
}

/** Processes whose command line mentions `text` (a data folder, a port). */
function processesMentioning(text: string) {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

describe('a signal to npm alone', () => {
  it('kill -INT <npm start> stops the whole stack', { timeout: 300_000 }, async () => {
    const dataDir = await scratch();
    const ports = {
      PG_PORT: await freePort(),
      TEMPORAL_PORT: await freePort(),
      TEMPORAL_UI_PORT: await freePort(),
      API_PORT: await freePort(),
      WEB_PORT: await freePort(),
    };
    const npm = startProcess('npm', 'npm', ['start'], {
      cwd: root,
      quiet: true,
      env: npmEnv({
        DATA_DIR: dataDir,
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      }),
    });
    try {
      await npm.waitFor(/Ad Studio is up/, 240_000);
      expect(processesMentioning(dataDir).length).toBeGreaterThan(0);
      process.kill(npm.child.pid!, 'SIGINT');
      await npm.exited;
      expect(processesMentioning(dataDir)).toEqual([]);
      for (const port of Object.values(ports)) {
        expect(await isPortFree(port), `port ${port}`).toBe(true);
      }
    } finally {
      await npm.stop();
    }
  });

  it(
    'kill -INT <npm run demo> stops its PostgreSQL and Temporal',
    { timeout: 300_000 },
    async () => {
      const npm = startProcess('npm', 'npm', ['run', 'demo', '--', 'red ceramic mug'], {
        cwd: root,
        quiet: true,
        env: npmEnv({}),
      });
      const output: string[] = [];
      npm.child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      try {
        const pg = Number(
          /PostgreSQL \(embedded\) on 127\.0\.0\.1:(\d+)/.exec(
            await npm.waitFor(/PostgreSQL \(embedded\) on/, 120_000),
          )![1],
        );
        const temporal = Number(
          /Temporal dev server on 127\.0\.0\.1:(\d+)/.exec(
            await npm.waitFor(/Temporal dev server on/, 120_000),
          )![1],
        );
        expect(await isPortFree(pg)).toBe(false);
        process.kill(npm.child.pid!, 'SIGINT');
        await npm.exited;
        // Stopped by the signal, not by reaching its end.
        expect(output.join('')).toContain('stopping (SIGINT)');
        expect(output.join('')).not.toContain('Video ');
        expect(await isPortFree(pg), 'PostgreSQL stopped').toBe(true);
        expect(await isPortFree(temporal), 'Temporal stopped').toBe(true);
        expect(processesMentioning(`-p ${pg}`)).toEqual([]);
      } finally {
        await npm.stop();
      }
    },
  );
});
