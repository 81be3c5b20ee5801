import { estimateJobs, type JobEstimate } from '../core/job-estimates';
import type { ApiDeps } from './deps';

/** How many of the latest finished jobs are read; enough for a median of each kind. */
const RECENT = 400;
/**
 * One read this often serves every page that asks (each working session's page asks every 5 s,
 * for its place in line). Short, so a studio that has just measured its first jobs estimates
 * from them at once rather than a minute later.
 */
const FRESH_MS = 5_000;

/**
 * The measured durations of finished jobs (core/job-estimates.ts), read from the asset rows the
 * worker writes (their generation time covers the whole job) at most once a minute.
 */
export function jobMeasures(deps: Pick<ApiDeps, 'db'>) {
  const { db } = deps;
  let cached: { at: number; jobs: JobEstimate[] } | undefined;
  return async (): Promise<JobEstimate[]> => {
    if (cached && Date.now() - cached.at < FRESH_MS) return cached.jobs;
    const rows = await db.asset.findMany({
      where: { status: 'ready', generationMs: { gt: 0 } },
      select: {
        provider: true,
        type: true,
        width: true,
        height: true,
        durationSeconds: true,
        generationMs: true,
      },
      orderBy: { updatedAt: 'desc' },
      take: RECENT,
    });
    cached = { at: Date.now(), jobs: estimateJobs(rows) };
    return cached.jobs;
  };
}
