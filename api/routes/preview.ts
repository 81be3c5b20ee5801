import { createRoute, z } from '@hono/zod-openapi';
import sharp from 'sharp';
import * as actions from '../../core/actions';
import { adTexts } from '../../core/render/text-plan';
import { frameSize } from '../../core/sizes';
import { AppError } from '../../core/errors';
import { ASPECT_RATIOS } from '../../core/options';
import { id } from '../../core/strings';
import { renderPreviewStills } from '../../graphics/preview';
import type { Storage } from '../../storage';
import { requireUser } from '../auth';
import type { ApiDeps } from '../deps';
import { SIGNED_IN, createRouter } from '../router';
import { errorResponse, named } from './schemas';

/**
 * Stills of the ad's text before the render: the intro card, the lower third over one of the
 * session's approved images, and the outro, made with the render's own layout code. Nothing is
 * paid for and nothing enters the workflow's history.
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
  security: SIGNED_IN,
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
  },
});

/** The stored image, if it is there and decodes; the stills fall back to a flat card. */
async function readImage(storage: Storage, key: string): Promise<Buffer | undefined> {
  const object = await storage.open(key);
  if (!object) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(chunks);
  const meta = await sharp(bytes)
    .metadata()
    .catch(() => null);
  return meta?.width ? bytes : undefined;
}

const dataUrl = (jpeg: Buffer) => `data:image/jpeg;base64,${jpeg.toString('base64')}`;

export function previewRoutes(deps: ApiDeps) {
  const { db, storage } = deps;
  const app = createRouter();
  app.use('/sessions/*', requireUser(deps));

  return app.openapi(previewRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const row = await db.session.findFirst({ where: { id, userId: c.get('user').id } });
    if (!row) throw new AppError('NOT_FOUND', 'No such session.');
    const options = z
      .object({ aspectRatio: z.enum(ASPECT_RATIOS).catch('16:9') })
      .catch({ aspectRatio: '16:9' as const })
      .parse(row.options);
    let texts;
    try {
      texts = adTexts(body);
    } catch {
      throw new AppError('VALIDATION_FAILED', 'Write some text for the name and call to action.');
    }
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
    const backdrop = frame?.storageKey ? await readImage(storage, frame.storageKey) : undefined;
    const stills = await renderPreviewStills({
      ...frameSize(options.aspectRatio),
      texts,
      colors: body.colors,
      backdrop,
    });
    return c.json(
      {
        width: stills.width,
        height: stills.height,
        introTitle: dataUrl(stills.introTitle),
        lowerThird: dataUrl(stills.lowerThird),
        outro: dataUrl(stills.outro),
      },
      200,
    );
  });
}
