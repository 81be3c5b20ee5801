import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { claimWorkDir } from './work-dir';

/**
 * A worker killed while it made media leaves its temporary folders in WORK_DIR; the next worker
 * to start removes them, and only them: a running worker's folder, or another host's, stays.
 */
const host = hostname();
const running: Array<ReturnType<typeof spawn>> = [];
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** A real process, still running, that stands for another worker on this host. */
function aliveProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  running.push(child);
  return child.pid!;
}

/** The pid of a process that has ended: a worker that was killed. */
async function killedProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return child.pid!;
}

async function folder(root: string, name: string) {
  await mkdir(join(root, name, 'clip-abc123'), { recursive: true });
  await writeFile(join(root, name, 'clip-abc123', 'frame.png'), 'half-made');
}

describe('the worker’s work folder', () => {
  it('removes what killed workers of this host left, and keeps what running ones use', async () => {
    const root = await mkdtemp(join(inject('testWorkDir'), 'work-'));
    const killed = `worker-${await killedProcess()}-${host}`;
    const alive = `worker-${aliveProcess()}-${host}`;
    const elsewhere = `worker-4242-another-host`;
    for (const name of [killed, alive, elsewhere]) await folder(root, name);
    await folder(root, 'render-x1y2z3'); // a release before claims: kept while a worker runs

    const claim = await claimWorkDir(root);
    expect(claim.removed).toEqual([killed]);
    expect((await readdir(root)).sort()).toEqual(
      [alive, elsewhere, 'render-x1y2z3', `worker-${process.pid}-${host}`].sort(),
    );
    expect(claim.dir).toBe(join(root, `worker-${process.pid}-${host}`));
    await claim.release();
    expect(existsSync(claim.dir)).toBe(false);
  });

  it('removes loose folders of older releases when no other worker runs', async () => {
    const root = await mkdtemp(join(inject('testWorkDir'), 'work-'));
    const killed = `worker-${await killedProcess()}-${host}`;
    for (const name of [killed, 'image-aaaaaa', 'render-bbbbbb']) await folder(root, name);

    const claim = await claimWorkDir(root);
    expect(claim.removed.sort()).toEqual([killed, 'image-aaaaaa', 'render-bbbbbb'].sort());
    expect(await readdir(root)).toEqual([`worker-${process.pid}-${host}`]);
  });
});
