import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import * as actions from '../../core/actions';
import { AppError, isErrorCode } from '../../core/errors';
import { ASPECT_RATIOS } from '../../core/options';
import { previewWorkflowId, type PreviewStills } from '../../core/preview';
import { id } from '../../core/strings';
import type { previewWorkflow } from '../../workflows/preview';
import type { ApiDeps } from '../deps';
import { quotasOf } from '../quotas';
import { createRouter } from '../router';
import { errorResponse, named } from './schemas';

/**
 * Stills of the ad's text before the render: the intro card, the lower third over one of the
 * session's approved images, and the outro, made with the render's own layout code. The drawing
 * runs on a worker (the `renderPreview` activity on the render queue, through `previewWorkflow`):
 * the API only asks and waits, up to PREVIEW_TIMEOUT, then answers 503. Nothing is paid for and
 * nothing enters the session's history.
 */

// The compose action's fields and limits (core/actions.ts), without music (stills are silent).
const PreviewRequestSchema = named(actions.compose.omit({ music: true }), 'PreviewRequest');

const PreviewSchema = z
  .object({
    width: z.number().int(),
    height: z.number().int(),
    /** JPEG data URLs. */
    introTitle: z.string(),
    lowerThird: z.string(),
    outro: z.string(),
  })
  .openapi('Preview');

const previewRoute = createRoute({
  method: 'post',
  path: '/sessions/{id}/preview',
  summary: 'Stills of the intro card, the lower third over a frame and the outro, before rendering',
  request: {
    params: z.object({ id }),
    body: { content: { 'application/json': { schema: PreviewRequestSchema } }, required: true },
  },
  responses: {
    200: { content: { 'application/json': { schema: PreviewSchema } }, description: 'The stills' },
    400: errorResponse('The text or colours are not valid'),
    401: errorResponse('Not signed in'),
    404: errorResponse('No such session'),
    429: errorResponse('Too many actions this minute'),
    503: errorResponse('The workers did not draw the stills in time'),
  },
});

const BUSY = 'The studio is busy drawing other work. Try the preview again in a moment.';

/** A business failure of the activity keeps its code; a timeout or anything else is "busy". */
function previewError(error: unknown): AppError {
  const cause = error instanceof WorkflowFailedError ? (error.cause?.cause ?? error.cause) : error;
  if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) {
    return new AppError(cause.type, cause.message);
  }
  if (cause instanceof TimeoutFailure || error instanceof WorkflowFailedError) {
    return new AppError('SERVICE_UNAVAILABLE', BUSY);
  }
  throw error;
}

export function previewRoutes(deps: ApiDeps) {
  const { db, config } = deps;
  const app = createRouter(deps);

  /** Asks a worker for the stills and waits, at most PREVIEW_TIMEOUT. */
  async function draw(sessionId: string, stills: Parameters<typeof previewWorkflow>[0]['stills']) {
    const client = await deps.temporal();
    const deadlineMs = config.PREVIEW_TIMEOUT;
    const handle = await client.workflow.start<typeof previewWorkflow>('previewWorkflow', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: previewWorkflowId(sessionId, randomUUID()),
      args: [{ stills, renderTaskQueue: config.TEMPORAL_RENDER_TASK_QUEUE, deadlineMs }],
      // The server ends the run at the deadline, whatever happens to this request.
      workflowExecutionTimeout: deadlineMs,
      staticSummary: `Preview stills for ${sessionId}`,
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AppError('SERVICE_UNAVAILABLE', BUSY)),
        deadlineMs + 1000,
      );
    });
    try {
      return await Promise.race([handle.result(), late]);
    } catch (error) {
      throw error instanceof AppError ? error : previewError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  return app.openapi(previewRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    await quotasOf(deps).countAction(c.get('user').id, 'preview');
    const row = await db.session.findFirst({ where: { id, userId: c.get('user').id } });
    if (!row) throw new AppError('NOT_FOUND', 'No such session.');
    const { aspectRatio } = z
      .object({ aspectRatio: z.enum(ASPECT_RATIOS).catch('16:9') })
      .catch({ aspectRatio: '16:9' as const })
      .parse(row.options);
    // The first approved image is the frame the first clip starts from; any ready image will do.
    const approved = z
      .object({ approvedImageIds: z.array(z.string()).catch([]) })
      .catch({ approvedImageIds: [] })
      .parse(row.selections).approvedImageIds;
    const images = await db.asset.findMany({
      where: { sessionId: id, type: 'image', status: 'ready', storageKey: { not: null } },
      orderBy: { createdAt: 'asc' },
    });
    const frame = images.find((image) => approved.includes(image.id)) ?? images[0];
    const stills: PreviewStills = await draw(id, {
      aspectRatio,
      productName: body.productName,
      callToAction: body.callToAction,
      tagline: body.tagline,
      colors: body.colors,
      backdropKey: frame?.storageKey ?? undefined,
    });
    return c.json(stills, 200);
  });
}
