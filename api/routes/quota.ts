import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps';
import { createRouter } from '../router';
import { quotasOf } from '../quotas';
import { errorResponse } from './schemas';

const UsageSchema = z.object({
  /** null: this studio sets no limit. */
  limit: z.number().nullable(),
  used: z.number(),
  remaining: z.number().nullable(),
  /** Seconds until waiting gives some back; null when waiting does not (open sessions). */
  resetsInSeconds: z.number().nullable(),
});

const AllowanceSchema = z
  .object({
    openSessions: UsageSchema,
    dailySpendUsd: UsageSchema,
    actionsPerMinute: UsageSchema,
  })
  .openapi('Allowance');

const route = createRoute({
  method: 'get',
  path: '/quota',
  summary: "What the user has used and has left of this studio's per-user quotas",
  responses: {
    200: {
      content: { 'application/json': { schema: AllowanceSchema } },
      description: 'Open sessions, spend in the last 24 hours and actions this minute',
    },
    401: errorResponse('Not signed in'),
  },
});

export function quotaRoutes(deps: ApiDeps) {
  const app = createRouter(deps);
  return app.openapi(route, async (c) =>
    c.json(await quotasOf(deps).allowance(c.get('user').id), 200),
  );
}
