import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { AppError } from '../../core/errors';
import * as actions from '../../core/actions';
import type { ActionInput, ActionName } from '../../core/session-actions';
import { PROVIDERS, type ProviderName } from '../../core/options';
import { quoteSession } from '../../core/prices';
import type { SessionState } from '../../core/session';
import type { Session as SessionRow } from '../../db/generated/client';
import { writeSessionState } from '../../db/session-state';
import { uploadKey } from '../../storage';
import { updateResumingSession } from '../../workflows/client';
import * as messages from '../../workflows/messages';
import { withActionRoutes } from './action-routes';
import type { ApiDeps, AppEnv } from '../deps';
import { providerAvailability } from '../providers';
import { quotasOf } from '../quotas';
import { createLimiter } from '../rate-limit';
import { rebuildState } from '../rebuilt-state';
import { sessionQueue } from '../session-queue';
import { sessionIdFor, sessionStarter } from '../session-start';
import {
  ENDED,
  isSettled,
  looksStalled,
  resumeInput,
  storedStage,
  storedState,
} from '../stored-sessions';
import { thumbnailKey } from '../thumbnails';
import { createRouter } from '../router';
import { callWorkflow } from '../workflow-errors';
import { routes } from './session-routes';
import { sessionView } from './session-view';

export type { SessionView } from './session-schema';

/**
 * The journey over HTTP. Every route checks that the session belongs to the signed-in user (any
 * other session is a 404), then asks the session's workflow: updates for actions (an invalid one
 * is refused by the workflow's validator with a stable code); reads come from the session's row,
 * which the worker keeps in step, with the workflow's `state` query as the fallback.
 */
export function sessionRoutes(deps: ApiDeps) {
  const { db, config, storage } = deps;
  const app = createRouter(deps);
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
  const queue = sessionQueue(deps);

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
  const starter = sessionStarter(deps);

  const view = sessionView(storage, config.SIGNED_URL_TTL_SECONDS);

  /**
   * Sends an action to the session's workflow as an update (its validator's refusal becomes an
   * API error) and answers with the session after it, read with the `state` query: updates
   * answer only the stage and version, so the state is not copied into the history each time.
   */
  const act = async <N extends ActionName>(
    c: Context<AppEnv>,
    id: string,
    name: N,
    args: ActionInput<N>,
  ) => {
    await quotas.countAction(c.get('user').id, name);
    const row = await owned(c, id);
    const ended = ENDED[row.stage as keyof typeof ENDED];
    if (ended) throw new AppError('INVALID_STATE', ended);
    const definition = messages.actionUpdates[name];
    const client = await deps.temporal();
    // A busy worker may not take the update in time: it is tried once more under the same id
    // (taken at most once), then answered 503 with Retry-After (callWorkflow).
    const updateId = randomUUID();
    const waitForWorker = <T>(send: () => Promise<T>) =>
      callWorkflow(() => client.withDeadline(Date.now() + config.ACTION_WAIT / 2, send), {
        attempts: 2,
      });
    if (row.stage === 'completed') {
      // A finished ad's run has completed: a new run carries on from where it ended.
      const input = resumeInput(await lastKnownState(row), config);
      await waitForWorker(() =>
        updateResumingSession(client, config.TEMPORAL_TASK_QUEUE, input, definition, args, {
          updateId,
        }),
      );
    } else {
      const handle = client.workflow.getHandle(id);
      await waitForWorker(() => handle.executeUpdate(definition, { args: [args], updateId }));
    }
    const state = await callWorkflow(() =>
      client.workflow.getHandle(id).query(messages.stateQuery),
    );
    await remember(state);
    return view(state);
  };

  /** What an action takes beyond its schema, checked here before the workflow is asked. */
  const prepare: Partial<{
    [N in ActionName]: (c: Context<AppEnv>, args: ActionInput<N>) => Promise<ActionInput<N>>;
  }> = {
    // The photo must be this user's own upload, present in storage (see ownUpload).
    replaceProductPhoto: async (c, args) => ({
      productPhotoKey: (await ownUpload(c.get('user').id, args.productPhotoKey))!,
    }),
  };

  /**
   * An action's answer is the session's newest state: kept in its row, reads see it at once
   * (the worker writes the row at each step, not at each action a person takes).
   */
  const remember = (state: SessionState) =>
    writeSessionState(db, state).catch((error: unknown) =>
      deps.log.warn('could not keep the state of an action', { error }),
    );

  const withActions = withActionRoutes(app, async (c, name, args) => {
    const { id } = c.req.param() as { id: string };
    const ready = prepare[name] ? await prepare[name](c, args as never) : args;
    return c.json(await act(c, id, name, ready as ActionInput<typeof name>), 200);
  });

  return withActions
    .openapi(routes.create, async (c) => {
      const body = c.req.valid('json');
      const key = c.req.valid('header')['idempotency-key'];
      const user = c.get('user');
      startLimit.hit(user.id);
      // The same key of the same user always names the same session (see session-start.ts).
      const id = key ? sessionIdFor(user.id, key) : `session-${randomUUID()}`;
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
      const answer = await starter.start({
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        input: {
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
        row: {
          userId: user.id,
          title,
          stage: 'planning_images',
          productPrompt: body.productPrompt,
          options,
          budgetUsd: body.budgetUsd,
        },
        admit: async (sessionId) => {
          await quotas.admitSession(user.id, sessionId);
          await queue.admit(sessionId);
        },
      });
      const state = answer.started ? answer.state : await lastKnownState(answer.row);
      return c.json(await view(state), 201);
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
              stage: storedStage(r.stage),
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
      // Waiting on a busy worker for a read helps nobody: the query gets the actions' wait.
      const client = await deps.temporal();
      const state = await callWorkflow(() =>
        client.withDeadline(Date.now() + config.ACTION_WAIT / 2, () =>
          handle.query(messages.stateQuery),
        ),
      ).catch((error: unknown) => {
        // A query is never refused, so INVALID_STATE here means the workflow is gone.
        if (error instanceof AppError && error.code === 'INVALID_STATE') {
          return lastKnownState(row);
        }
        // A busy or unreachable Temporal: the row is still the best answer there is.
        if (stored) return stored;
        throw error;
      });
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
            stage: storedStage(r.stage),
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
