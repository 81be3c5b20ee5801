import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps';
import { jobMeasures } from '../job-measures';
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

/** Durations only, across the studio's sessions: nothing of what was made or by whom. */
export function estimateRoutes(deps: ApiDeps) {
  const app = createRouter(deps);
  const measured = jobMeasures(deps);
  return app.openapi(route, async (c) => c.json({ jobs: await measured() }, 200));
}
