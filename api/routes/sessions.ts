import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { UpdateDefinition } from '@temporalio/common';
import type { Context } from 'hono';
import { AppError } from '../../core/errors';
import * as actions from '../../core/actions';
import { PROVIDERS, type ProviderName } from '../../core/options';
import { quoteSession } from '../../core/prices';
import type { SessionState } from '../../core/session';
import type { Session as SessionRow } from '../../db/generated/client';
import { writeSessionState } from '../../db/session-state';
import { uploadKey } from '../../storage';
import { startSession, updateResumingSession } from '../../workflows/client';
import * as messages from '../../workflows/messages';
import { requireUser } from '../auth';
import type { ApiDeps, AppEnv } from '../deps';
import { providerAvailability } from '../providers';
import { quotasOf } from '../quotas';
import { createLimiter } from '../rate-limit';
import { rebuildState } from '../rebuilt-state';
import { ENDED, isSettled, looksStalled, resumeInput, storedState } from '../stored-sessions';
import { thumbnailKey } from '../thumbnails';
import { validationHook } from '../validation';
import { callWorkflow } from '../workflow-errors';
import { routes } from './session-routes';
import { sessionView } from './session-view';

export type { SessionView } from './session-routes';

/**
 * The journey over HTTP. Every route checks that the session belongs to the signed-in user (any
 * other session is a 404), then asks the session's workflow: updates for actions (an invalid one
 * is refused by the workflow's validator with a stable code); reads come from the session's row,
 * which the worker keeps in step, with the workflow's `state` query as the fallback.
 */
export function sessionRoutes(deps: ApiDeps) {
  const { db, config, storage } = deps;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('/sessions', requireUser(deps));
  app.use('/sessions/*', requireUser(deps));
  app.use('/quote', requireUser(deps));
  app.use('/providers', requireUser(deps));
  const availableProviders = providerAvailability(deps);
  /** The provider a session asked for, if a worker serves it; a clear refusal otherwise. */
  async function servedProvider(asked: ProviderName | undefined): Promise<ProviderName> {
    const provider = asked ?? config.PROVIDER;
    if (!(await availableProviders()).has(provider)) {
      throw new AppError(
        'PROVIDER_UNAVAILABLE',
        `No worker serves the ${provider} provider right now. Start a worker with its credentials ` +
          '(REPLICATE_API_TOKEN for replicate), or choose the local studio.',
      );
    }
    return provider;
  }
  // Per user, not per address: people behind one proxy or office do not share a budget.
  const startLimit = createLimiter({
    limit: config.GENERATION_RATE_LIMIT_PER_MINUTE,
    windowMs: 60_000,
  });
  const quotas = quotasOf(deps);

  /** The session row, if it belongs to this user; anyone else's is "not found". */
  async function owned(c: Context<AppEnv>, id: string) {
    const row = await db.session.findFirst({ where: { id, userId: c.get('user').id } });
    if (!row) throw new AppError('NOT_FOUND', 'No such session.');
    return row;
  }

  /** What the worker last wrote, or for older rows, the state rebuilt from the rows. */
  const lastKnownState = async (row: SessionRow) =>
    storedState(row) ?? (await rebuildState(db, row));

  /**
   * The storage key of the user's own uploaded photo. The key the client sends is parsed into its
   * ids (the schema allows only `uploads/<uuid>/<uuid>.<ext>`) and built again here, so it can
   * never name a path; another user's photo and a missing one are both "not found".
   */
  async function ownUpload(userId: string, given: string | undefined) {
    if (given === undefined) return undefined;
    const [, owner, uploadId, ext] = actions.UPLOAD_KEY_PATTERN.exec(given) ?? [];
    const key = owner === userId && uploadId && ext ? uploadKey(userId, uploadId, ext) : null;
    if (!key || !(await storage.head(key))) {
      throw new AppError('NOT_FOUND', 'No such photo. Upload it again.');
    }
    return key;
  }

  /** The chosen mood-board images, if every one is on this user's board; else "not found". */
  async function ownMoodBoardImages(userId: string, ids: string[] | undefined) {
    if (!ids?.length) return undefined;
    const found = await db.moodBoardItem.count({
      where: { userId, assetId: { in: ids }, asset: { type: 'image', storageKey: { not: null } } },
    });
    if (found !== ids.length) {
      throw new AppError(
        'NOT_FOUND',
        'No such image on your mood board. Reload it and choose again.',
      );
    }
    return ids;
  }

  const workflow = async (id: string) => (await deps.temporal()).workflow.getHandle(id);

  const view = sessionView(storage, config.SIGNED_URL_TTL_SECONDS);

  /** Sends an update to the session's workflow; its validator's refusal becomes an API error. */
  const update = async <A>(
    c: Context<AppEnv>,
    id: string,
    definition: UpdateDefinition<SessionState, [A]>,
    args: A,
  ) => {
    await quotas.countAction(c.get('user').id, definition.name);
    const row = await owned(c, id);
    const ended = ENDED[row.stage as keyof typeof ENDED];
    if (ended) throw new AppError('INVALID_STATE', ended);
    if (row.stage === 'completed') {
      // A finished ad's run has completed: a new run carries on from where it ended.
      const client = await deps.temporal();
      const input = resumeInput(await lastKnownState(row), config);
      const resumed = await callWorkflow(() =>
        updateResumingSession(client, config.TEMPORAL_TASK_QUEUE, input, definition, args),
      );
      await remember(resumed);
      return view(resumed);
    }
    const handle = await workflow(id);
    const state = await callWorkflow(() => handle.executeUpdate(definition, { args: [args] }));
    await remember(state);
    return view(state);
  };

  /**
   * An action's answer is the session's newest state: kept in its row, reads see it at once
   * (the worker writes the row at each step, not at each action a person takes).
   */
  const remember = (state: SessionState) =>
    writeSessionState(db, state).catch((error: unknown) =>
      deps.log.warn('could not keep the state of an action', { error }),
    );

  return app
    .openapi(routes.create, async (c) => {
      const body = c.req.valid('json');
      const user = c.get('user');
      startLimit.hit(user.id);
      const id = `session-${randomUUID()}`;
      const title = body.title || body.productPrompt.slice(0, 80);
      const productPhotoKey = await ownUpload(user.id, body.productPhotoKey);
      const moodBoardImageIds = await ownMoodBoardImages(user.id, body.moodBoardImageIds);
      const options = {
        imageCount: body.imageCount,
        aspectRatio: body.aspectRatio,
        budgetUsd: body.budgetUsd,
        tier: body.tier,
        provider: await servedProvider(body.provider),
        reviewPlan: body.reviewPlan,
        durationSeconds: body.durationSeconds,
      };
      await db.session.create({
        data: {
          id,
          userId: user.id,
          title,
          stage: 'planning_images',
          productPrompt: body.productPrompt,
          options,
          budgetUsd: body.budgetUsd,
        },
      });
      await quotas.admitSession(user.id, id);
      try {
        const client = await deps.temporal();
        const handle = await startSession(
          client,
          config.TEMPORAL_TASK_QUEUE,
          {
            sessionId: id,
            userId: user.id,
            title,
            productPrompt: body.productPrompt,
            productPhotoKey,
            moodBoardImageIds,
            options,
            idleTimeoutMs: config.SESSION_IDLE_TIMEOUT,
            renderTaskQueue: config.TEMPORAL_RENDER_TASK_QUEUE,
          },
          { userEmail: user.email },
        );
        const state = await handle.query(messages.stateQuery);
        return c.json(await view(state), 201);
      } catch (error) {
        await db.session.delete({ where: { id } }).catch(() => undefined);
        deps.log.error('could not start a session', { error });
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          'The studio could not start the session. Try again in a moment.',
        );
      }
    })
    .openapi(routes.list, async (c) => {
      const rows = await db.session.findMany({
        where: { userId: c.get('user').id },
        orderBy: { updatedAt: 'desc' },
        take: 200,
      });
      const ttl = config.SIGNED_URL_TTL_SECONDS;
      const thumbnail = async (row: SessionRow) => {
        const key = thumbnailKey(storedState(row));
        return key ? storage.signedUrl(key, { expiresInSeconds: ttl }) : null;
      };
      return c.json(
        {
          sessions: await Promise.all(
            rows.map(async (r) => ({
              id: r.id,
              title: r.title,
              stage: r.stage,
              totalCostUsd: Number(r.totalCostUsd),
              budgetUsd: Number(r.budgetUsd),
              thumbnailUrl: await thumbnail(r),
              aspectRatio: aspectOf(r.options),
              createdAt: r.createdAt.toISOString(),
              updatedAt: r.updatedAt.toISOString(),
            })),
          ),
        },
        200,
      );
    })
    .openapi(routes.get, async (c) => {
      const { id } = c.req.valid('param');
      const row = await owned(c, id);
      // A settled session is served from its rows: its workflow may be long gone.
      if (isSettled(row.stage)) return c.json(await view(await lastKnownState(row)), 200);
      // A running one too: the worker writes the whole state to the row at every step and the
      // API at every action, while a query wakes the workflow on a busy worker for each read
      // (the p99 under load). The query is asked only when the row lacks a state or a machine
      // step has not written for a long while, and then only as far as it answers.
      const stored = storedState(row);
      if (stored && !looksStalled(stored, row.updatedAt)) return c.json(await view(stored), 200);
      const handle = await workflow(id);
      const state = await callWorkflow(() => handle.query(messages.stateQuery)).catch(
        (error: unknown) => {
          // A query is never refused, so INVALID_STATE here means the workflow is gone.
          if (error instanceof AppError && error.code === 'INVALID_STATE') {
            return lastKnownState(row);
          }
          // A busy or unreachable Temporal: the row is still the best answer there is.
          if (stored) return stored;
          throw error;
        },
      );
      return c.json(await view(state), 200);
    })
    .openapi(routes.quote, (c) => {
      const body = c.req.valid('json');
      const provider = body.provider ?? config.PROVIDER;
      const quote = quoteSession({
        provider,
        tier: body.tier,
        imageCount: body.imageCount,
        clipCount: body.clipCount,
        music: body.music,
        withPhoto: body.withPhoto,
      });
      return c.json({ provider, ...quote }, 200);
    })
    .openapi(routes.providers, async (c) => {
      const available = await availableProviders();
      return c.json(
        {
          default: config.PROVIDER,
          providers: PROVIDERS.map((name) => ({ name, available: available.has(name) })),
        },
        200,
      );
    })
    .openapi(routes.approvePlan, async (c) =>
      c.json(
        await update(c, c.req.valid('param').id, messages.approvePlanUpdate, c.req.valid('json')),
        200,
      ),
    )
    .openapi(routes.replaceProductPhoto, async (c) => {
      const { id } = c.req.valid('param');
      const given = c.req.valid('json').productPhotoKey;
      const productPhotoKey = (await ownUpload(c.get('user').id, given))!;
      return c.json(
        await update(c, id, messages.replaceProductPhotoUpdate, { productPhotoKey }),
        200,
      );
    })
    .openapi(routes.approveImages, async (c) =>
      c.json(
        await update(c, c.req.valid('param').id, messages.approveImagesUpdate, c.req.valid('json')),
        200,
      ),
    )
    .openapi(routes.regenerateImage, async (c) => {
      const { id, assetId } = c.req.valid('param');
      return c.json(
        await update(c, id, messages.regenerateImageUpdate, {
          imageId: assetId,
          prompt: c.req.valid('json').prompt,
        }),
        200,
      );
    })
    .openapi(routes.approveClips, async (c) =>
      c.json(
        await update(c, c.req.valid('param').id, messages.approveClipsUpdate, c.req.valid('json')),
        200,
      ),
    )
    .openapi(routes.reorderClips, async (c) =>
      c.json(
        await update(c, c.req.valid('param').id, messages.reorderClipsUpdate, c.req.valid('json')),
        200,
      ),
    )
    .openapi(routes.regenerateClip, async (c) => {
      const { id, assetId } = c.req.valid('param');
      return c.json(
        await update(c, id, messages.regenerateClipUpdate, {
          clipId: assetId,
          prompt: c.req.valid('json').prompt,
        }),
        200,
      );
    })
    .openapi(routes.compose, async (c) =>
      c.json(
        await update(c, c.req.valid('param').id, messages.composeUpdate, c.req.valid('json')),
        200,
      ),
    )
    .openapi(routes.retry, async (c) =>
      c.json(
        await update(c, c.req.valid('param').id, messages.retryUpdate, c.req.valid('json')),
        200,
      ),
    )
    .openapi(routes.exportAspect, async (c) =>
      c.json(
        await update(c, c.req.valid('param').id, messages.exportAspectUpdate, c.req.valid('json')),
        200,
      ),
    )
    .openapi(routes.retryAsset, async (c) => {
      const { id, assetId } = c.req.valid('param');
      return c.json(await update(c, id, messages.retryAssetUpdate, { assetId }), 200);
    })
    .openapi(routes.keepVariant, async (c) => {
      const { id, assetId } = c.req.valid('param');
      return c.json(await update(c, id, messages.keepVariantUpdate, { assetId }), 200);
    })
    .openapi(routes.cancel, async (c) => {
      const { id } = c.req.valid('param');
      const row = await owned(c, id);
      // Cancelling twice is fine; a session that has ended otherwise has nothing to cancel.
      if (row.stage === 'cancelled') return c.json({ ok: true }, 202);
      if (isSettled(row.stage)) {
        throw new AppError('INVALID_STATE', 'This session has ended; there is nothing to cancel.');
      }
      const handle = await workflow(id);
      await callWorkflow(() =>
        handle.signal(messages.cancelSignal, { reason: 'cancelled by the user' }),
      );
      return c.json({ ok: true }, 202);
    })
    .openapi(routes.costs, async (c) => {
      const { id } = c.req.valid('param');
      const row = await owned(c, id);
      const costs = await db.generationCost.findMany({
        where: { sessionId: id },
        orderBy: { createdAt: 'asc' },
      });
      return c.json(
        {
          totalUsd: Number(row.totalCostUsd),
          budgetUsd: Number(row.budgetUsd),
          costs: costs.map((r) => ({
            stage: r.stage,
            agent: r.agent,
            provider: r.provider,
            model: r.model,
            costUsd: Number(r.costUsd),
            durationMs: r.durationMs,
            success: r.success,
            error: r.error,
            createdAt: r.createdAt.toISOString(),
          })),
        },
        200,
      );
    });
}

/** The shape a session's options name, if it is one of the listed ones. */
function aspectOf(options: unknown) {
  const ratio = (options as { aspectRatio?: unknown } | null)?.aspectRatio;
  return ASPECT_RATIO_NAMES.find((r) => r === ratio) ?? null;
}
const ASPECT_RATIO_NAMES = ['16:9', '1:1', '9:16'] as const;
