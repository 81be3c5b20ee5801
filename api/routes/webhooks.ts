import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../core/errors';
import type { ApiDeps } from '../deps';
import { PUBLIC, createRouter } from '../router';
import { verifyWebhook } from '../webhook-signature';
import { errorResponse } from './schemas';

/**
 * Replicate's webhooks: each delivery is checked (signature and a 5-minute timestamp window),
 * applied once (Replicate retries with the same `webhook-id`), and moves the prediction's row
 * forward. The worker waiting on that prediction reads the row instead of polling Replicate.
 */

const ACTIVE = ['creating', 'unknown', 'starting', 'processing'];

const PredictionBody = z.object({
  id: z.string().min(1).max(100),
  status: z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted']),
  logs: z.string().nullish(),
});

const route = createRoute({
  method: 'post',
  path: '/webhooks/replicate',
  security: PUBLIC,
  summary: 'Replicate prediction events (signed; for Replicate only)',
  request: { query: z.object({ job: z.string().min(1).max(300) }) },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ applied: z.boolean() }) } },
      description: 'Received (applied false: a repeat, or nothing to move forward)',
    },
    401: errorResponse('The signature or timestamp does not check out'),
    404: errorResponse('Webhooks are not enabled, or no such job'),
  },
});

export function webhookRoutes(deps: ApiDeps) {
  const { db, config } = deps;
  const app = createRouter(deps);
  app.use('/webhooks/replicate', bodyLimit({ maxSize: 1024 * 1024 }));
  return app.openapi(route, async (c) => {
    const secret = config.REPLICATE_WEBHOOK_SECRET;
    if (!secret) throw new AppError('NOT_FOUND', 'Replicate webhooks are not enabled here.');
    const body = await c.req.text();
    const verdict = verifyWebhook({
      id: c.req.header('webhook-id'),
      timestamp: c.req.header('webhook-timestamp'),
      signature: c.req.header('webhook-signature'),
      body,
      secret,
    });
    if (verdict !== 'ok') {
      deps.log.warn('refused a Replicate webhook', { verdict });
      throw new AppError('UNAUTHORIZED', 'The webhook signature does not check out.');
    }
    const parsed = PredictionBody.safeParse(parseJson(body));
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'Not a prediction.');
    const prediction = parsed.data;
    const { job } = c.req.valid('query');
    const row = await db.prediction.findUnique({ where: { jobKey: job } });
    if (!row || (row.predictionId !== null && row.predictionId !== prediction.id)) {
      throw new AppError('NOT_FOUND', 'No such job.');
    }
    const applied = await db.$transaction(async (tx) => {
      const fresh = await tx.webhookEvent.createMany({
        data: [
          {
            id: c.req.header('webhook-id')!,
            predictionId: prediction.id,
            status: prediction.status,
          },
        ],
        skipDuplicates: true,
      });
      if (fresh.count === 0) return false;
      // Only forward: a late `start` must not undo a `completed` the worker already settled.
      const moved = await tx.prediction.updateMany({
        where: { jobKey: job, status: { in: ACTIVE } },
        data: { predictionId: prediction.id, status: prediction.status },
      });
      return moved.count > 0;
    });
    return c.json({ applied }, 200);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
