import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../core/errors';
import { STAGES, isStage } from '../../core/stages';
import { id } from '../../core/strings';
import type { ApiDeps } from '../deps';
import { createRouter } from '../router';
import { sessionQueue } from '../session-queue';
import { errorResponse } from './schemas';

const QueuePlaceSchema = z
  .object({
    stage: z.enum(STAGES),
    /** True while the stage's work waits for a worker slot (none of its jobs started yet). */
    queued: z.boolean(),
    /** Sessions ahead in the line for the same queue. */
    ahead: z.number().int(),
    /** Milliseconds until a slot is likely free; null while no such job has been measured. */
    waitMs: z.number().nullable(),
  })
  .openapi('QueuePlace');

const route = createRoute({
  method: 'get',
  path: '/sessions/{id}/queue',
  summary: "Where the session's work stands in the line for a worker slot",
  description:
    'Sessions in the same stage on the same task queue that are served or entered it earlier, ' +
    'and the likely wait from the measured job durations and the worker slots per queue.',
  request: { params: z.object({ id }) },
  responses: {
    200: { content: { 'application/json': { schema: QueuePlaceSchema } }, description: 'Place' },
    401: errorResponse('Not signed in'),
    404: errorResponse('No such session (or not yours)'),
  },
});

export function sessionQueueRoutes(deps: ApiDeps) {
  const { db } = deps;
  const app = createRouter(deps);
  const queue = sessionQueue(deps);
  return app.openapi(route, async (c) => {
    const { id: sessionId } = c.req.valid('param');
    const row = await db.session.findFirst({
      where: { id: sessionId, userId: c.get('user').id },
      select: { id: true, stage: true },
    });
    if (!row || !isStage(row.stage)) throw new AppError('NOT_FOUND', 'No such session.');
    const place = await queue.placeOf({ id: row.id, stage: row.stage });
    return c.json(
      {
        stage: place.stage,
        queued: place.queued,
        ahead: place.ahead,
        waitMs: place.waitMs ?? null,
      },
      200,
    );
  });
}
