import { mkdir, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * Each worker process makes its media in a folder of its own under WORK_DIR,
 * `worker-<pid>-<host>`. Activities clean up after themselves, but a worker that is killed
 * (SIGKILL, a crash, a power cut) cannot: so a starting worker removes the folders of workers of
 * this host that are no longer running. Several workers may share WORK_DIR (one machine, or a
 * volume shared across hosts): a folder whose worker runs, or that belongs to another host, is
 * left alone. Loose folders from releases before these claims (`image-…`, `render-…`) are removed
 * when no other worker runs on WORK_DIR.
 */
const CLAIM = /^worker-(\d+)-(.+)$/;

function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function claimWorkDir(root: string, pid = process.pid) {
  await mkdir(root, { recursive: true });
  const host = hostname();
  const entries = await readdir(root, { withFileTypes: true });
  const claims = entries.flatMap((e) => {
    const match = CLAIM.exec(e.name);
    return match ? [{ name: e.name, pid: Number(match[1]), host: match[2] }] : [];
  });
  const others = claims.filter((c) => c.pid !== pid || c.host !== host);
  const gone = others.filter((c) => c.host === host && !isRunning(c.pid));
  const othersRunning = others.length > gone.length;
  const loose = othersRunning ? [] : entries.filter((e) => !CLAIM.test(e.name));
  const removed = [...gone.map((c) => c.name), ...loose.map((e) => e.name)];
  await Promise.all(removed.map((name) => rm(join(root, name), { recursive: true, force: true })));

  const dir = join(root, `worker-${pid}-${host}`);
  // A folder of ours already there belonged to an earlier process with our pid: it is gone.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  return {
    dir,
    /** What an earlier, killed worker had left here. */
    removed,
    release: () => rm(dir, { recursive: true, force: true }),
  };
}
