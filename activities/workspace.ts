import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Runs `work` in a fresh scratch folder that is always removed afterwards. */
export async function withWorkspace<T>(
  workDir: string,
  prefix: string,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, `${prefix}-`));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
