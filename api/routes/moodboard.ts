import { createRoute, z } from '@hono/zod-openapi';
import { isStorageKey } from '../../storage';
import type { ApiDeps } from '../deps';
import { createRouter } from '../router';
import { errorResponse } from './schemas';

const MoodBoardItemSchema = z
  .object({
    assetId: z.string(),
    sessionId: z.string(),
    sessionTitle: z.string(),
    /** The product description of the session the image came from. */
    productPrompt: z.string(),
    /** The shape of that session's ad. */
    aspectRatio: z.string().nullable(),
    /** The product view the image shows (front, side...), when known. */
    view: z.string().nullable(),
    prompt: z.string().nullable(),
    width: z.number().nullable(),
    height: z.number().nullable(),
    url: z.string(),
    addedAt: z.string(),
  })
  .openapi('MoodBoardItem');

const route = createRoute({
  method: 'get',
  path: '/moodboard',
  summary: 'The images the user approved, across all their sessions, newest first',
  responses: {
    200: {
      content: {
        'application/json': { schema: z.object({ items: z.array(MoodBoardItemSchema) }) },
      },
      description: 'Mood board',
    },
    401: errorResponse('Not signed in'),
  },
});

/** How many images the page shows; older ones stay on the board but are not listed. */
const LIMIT = 300;

/**
 * The mood board: the images a person approved in any of their sessions (written when they
 * approve, activities/records.ts), only their own, with signed links. Images whose file is gone
 * or that were replaced are left out.
 */
export function moodBoardRoutes(deps: ApiDeps) {
  const { db, storage, config } = deps;
  const app = createRouter(deps);
  return app.openapi(route, async (c) => {
    const rows = await db.moodBoardItem.findMany({
      where: { userId: c.get('user').id, asset: { status: 'ready', type: 'image' } },
      include: {
        asset: {
          include: { session: { select: { title: true, productPrompt: true, options: true } } },
        },
      },
      orderBy: { createdAt: 'desc' },
      take: LIMIT,
    });
    const ttl = config.SIGNED_URL_TTL_SECONDS;
    const items = await Promise.all(
      rows
        .filter((r) => r.asset.storageKey && isStorageKey(r.asset.storageKey))
        .map(async ({ asset, createdAt }) => ({
          assetId: asset.id,
          sessionId: asset.sessionId,
          sessionTitle: asset.session.title,
          productPrompt: asset.session.productPrompt,
          aspectRatio: aspectOf(asset.session.options),
          view: viewOf(asset.metadata),
          prompt: asset.prompt,
          width: asset.width,
          height: asset.height,
          url: await storage.signedUrl(asset.storageKey!, { expiresInSeconds: ttl }),
          addedAt: createdAt.toISOString(),
        })),
    );
    return c.json({ items }, 200);
  });
}

const viewOf = (metadata: unknown) => {
  const view = (metadata as { view?: unknown } | null)?.view;
  return typeof view === 'string' ? view : null;
};

const aspectOf = (options: unknown) => {
  const ratio = (options as { aspectRatio?: unknown } | null)?.aspectRatio;
  return typeof ratio === 'string' ? ratio : null;
};
