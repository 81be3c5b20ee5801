import { createRoute, z } from '@hono/zod-openapi';
import { estimateJobs, type JobEstimate } from '../../core/job-estimates';
import type { ApiDeps } from '../deps';
import { createRouter } from '../router';
import { errorResponse } from './schemas';

const JobEstimateSchema = z
  .object({
    provider: z.string(),
    type: z.enum(['image', 'clip', 'music', 'final']),
    aspectRatio: z.enum(['16:9', '1:1', '9:16']),
    medianMs: z.number(),
    perAdSecond: z.boolean(),
    samples: z.number(),
  })
  .openapi('JobEstimate');

const route = createRoute({
  method: 'get',
  path: '/estimates',
  summary: 'How long images, clips, music and renders took in this studio before',
  description:
    'Medians of the latest finished jobs per provider, type and shape (renders per second of ' +
    'ad), so a page can estimate the time left before a new job has a rate of its own.',
  responses: {
    200: {
      content: {
        'application/json': { schema: z.object({ jobs: z.array(JobEstimateSchema) }) },
      },
      description: 'Estimates',
    },
    401: errorResponse('Not signed in'),
  },
});

/** How many of the latest finished jobs are read; enough for a median of each kind. */
const RECENT = 400;
/** Estimates move slowly: one read this often serves every session page that asks. */
const FRESH_MS = 60_000;

/**
 * Durations only, across the studio's sessions: nothing of what was made or by whom. Read from
 * the asset rows the worker writes (their generation time covers the whole job).
 */
export function estimateRoutes(deps: ApiDeps) {
  const { db } = deps;
  const app = createRouter(deps);
  let cached: { at: number; jobs: JobEstimate[] } | undefined;
  const measured = async () => {
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
  return app.openapi(route, async (c) => c.json({ jobs: await measured() }, 200));
}
