import { createRoute, z } from '@hono/zod-openapi';
import * as actions from '../../core/actions';
import { IMAGE_COUNT, MODEL_TIERS, PROVIDERS } from '../../core/options';
import type { SessionState } from '../../core/session';
import { id } from '../../core/strings';
import { errorResponse } from './schemas';

/** The session routes' OpenAPI definitions: paths, request schemas and responses. */

const CreateSessionSchema = actions.createSession.openapi('CreateSession');

const QuoteRequestSchema = z
  .object({
    imageCount: z
      .number()
      .int()
      .min(IMAGE_COUNT.min)
      .max(IMAGE_COUNT.max)
      .default(IMAGE_COUNT.default),
    clipCount: z.number().int().min(1).max(IMAGE_COUNT.max).default(4),
    tier: z.enum(MODEL_TIERS).default('standard'),
    music: z.boolean().default(true),
    provider: z.enum(PROVIDERS).optional(),
    /** A product photo is cut out once and every image is an edit of it. */
    withPhoto: z.boolean().default(false),
  })
  .openapi('QuoteRequest');

const ProvidersSchema = z
  .object({
    default: z.enum(PROVIDERS),
    providers: z.array(z.object({ name: z.enum(PROVIDERS), available: z.boolean() })),
  })
  .openapi('Providers');

const QuoteSchema = z
  .object({
    provider: z.string(),
    planner: z.number(),
    images: z.number(),
    clips: z.number(),
    music: z.number(),
    total: z.number(),
  })
  .openapi('Quote');

/** The workflow's state plus short-lived URLs for each stored asset. */
export type SessionView = SessionState & {
  urls: Record<string, string>;
  downloadUrl?: string;
  /** Download links of the ad in other formats, by format. */
  exportDownloadUrls?: Record<string, string>;
  /** The finished ad's poster frame. */
  posterUrl?: string;
  /** The finished ad's captions as sidecar files (SubRip and WebVTT), when it has a voiceover. */
  captionUrls?: { srt: string; vtt: string };
};
const SessionViewSchema = z.custom<SessionView>().openapi('Session', {
  type: 'object',
  description:
    'The session state: stage, progress, images, clips, music, final video, selections, costs, budget and last error, with signed URLs per asset id.',
});

const SessionSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    stage: z.string(),
    totalCostUsd: z.number(),
    budgetUsd: z.number(),
    /** A signed link to the ad's poster frame or the session's first chosen image. */
    thumbnailUrl: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('SessionSummary');

const CostSchema = z
  .object({
    stage: z.string(),
    agent: z.string(),
    provider: z.string(),
    model: z.string(),
    costUsd: z.number(),
    durationMs: z.number(),
    success: z.boolean(),
    error: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Cost');

const IdParam = z.object({ id });
const AssetParam = IdParam.extend({ assetId: id });

const sessionResponses = {
  200: {
    content: { 'application/json': { schema: SessionViewSchema } },
    description: 'The session after the action',
  },
  400: errorResponse('The request is not valid for this session'),
  401: errorResponse('Not signed in'),
  404: errorResponse('No such session'),
  409: errorResponse('The session is not at a stage that allows this'),
};

const json = <S extends z.ZodType>(schema: S) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

// Generic over the path, so each route keeps its own path type for the UI's typed client.
const action = <P extends string, S extends z.ZodType>(path: P, summary: string, body: S) =>
  createRoute({
    method: 'post',
    path,
    summary,
    request: { params: IdParam, ...json(body) },
    responses: sessionResponses,
  });

const assetAction = <P extends string, S extends z.ZodType>(path: P, summary: string, body: S) =>
  createRoute({
    method: 'post',
    path,
    summary,
    request: { params: AssetParam, ...json(body) },
    responses: sessionResponses,
  });

export const routes = {
  create: createRoute({
    method: 'post',
    path: '/sessions',
    summary: 'Start a session: plans the shots and generates the images',
    request: json(CreateSessionSchema),
    responses: {
      201: {
        content: { 'application/json': { schema: SessionViewSchema } },
        description: 'Started',
      },
      400: errorResponse('Invalid input'),
      429: errorResponse('Too many sessions started'),
      503: errorResponse('No worker serves the chosen provider'),
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/sessions',
    summary: "The user's sessions, newest first",
    responses: {
      200: {
        content: {
          'application/json': { schema: z.object({ sessions: z.array(SessionSummarySchema) }) },
        },
        description: 'Sessions',
      },
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/sessions/{id}',
    summary:
      'One session, from its row (kept in step by the worker), or its workflow as a fallback',
    request: { params: IdParam },
    responses: { 200: sessionResponses[200], 404: sessionResponses[404] },
  }),
  quote: createRoute({
    method: 'post',
    path: '/quote',
    summary: 'What a session would cost, before anything is spent',
    request: json(QuoteRequestSchema),
    responses: {
      200: { content: { 'application/json': { schema: QuoteSchema } }, description: 'Quote' },
    },
  }),
  providers: createRoute({
    method: 'get',
    path: '/providers',
    summary: 'Which providers new sessions can use (a paid one while a worker serves it)',
    responses: {
      200: {
        content: { 'application/json': { schema: ProvidersSchema } },
        description: 'Providers',
      },
    },
  }),
  approvePlan: action(
    '/sessions/{id}/plan/approve',
    'Accept the plan (and the product cutout) with the edited style and prompts; makes the images',
    actions.approvePlan.openapi('ApprovePlan'),
  ),
  replaceProductPhoto: action(
    '/sessions/{id}/plan/photo',
    'Use another uploaded product photo: it is cut out again and the plan is shown again',
    actions.replaceProductPhoto.openapi('ReplaceProductPhoto'),
  ),
  approveImages: action(
    '/sessions/{id}/images/approve',
    'Approve two or more images and describe the video',
    actions.approveImages.openapi('ApproveImages'),
  ),
  regenerateImage: assetAction(
    '/sessions/{id}/images/{assetId}/regenerate',
    'Make one image again (pays for one image)',
    actions.regenerate.openapi('Regenerate'),
  ),
  approveClips: action(
    '/sessions/{id}/clips/approve',
    'Approve one or more clips, in the order they play',
    actions.approveClips.openapi('ApproveClips'),
  ),
  reorderClips: action(
    '/sessions/{id}/clips/order',
    "Keep the person's order of the clips while they choose (nothing is made)",
    actions.reorderClips.openapi('ReorderClips'),
  ),
  regenerateClip: assetAction(
    '/sessions/{id}/clips/{assetId}/regenerate',
    'Make one clip again (pays for one clip)',
    actions.regenerate,
  ),
  compose: action(
    '/sessions/{id}/compose',
    'Set the text, colours and music, and render (again)',
    actions.compose.openapi('Compose'),
  ),
  retry: action(
    '/sessions/{id}/retry',
    'Retry the step that failed (optionally with a changed prompt or a higher budget)',
    actions.retry.openapi('Retry'),
  ),
  exportAspect: action(
    '/sessions/{id}/export',
    'Render the finished ad in another format from the same clips (nothing is generated or paid)',
    actions.exportAspect.openapi('ExportAspect'),
  ),
  retryAsset: assetAction(
    '/sessions/{id}/assets/{assetId}/retry',
    'Make one failed image or clip again, alone (the same shot and seed)',
    z.object({}).openapi('RetryAsset'),
  ),
  keepVariant: assetAction(
    '/sessions/{id}/assets/{assetId}/keep',
    'Of an image or clip and its regenerated variant, keep this one and drop the other',
    z.object({}).openapi('KeepVariant'),
  ),
  cancel: createRoute({
    method: 'post',
    path: '/sessions/{id}/cancel',
    summary: 'Cancel the session (its assets are kept)',
    request: { params: IdParam },
    responses: {
      202: {
        content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } },
        description: 'Cancelling',
      },
      404: sessionResponses[404],
    },
  }),
  costs: createRoute({
    method: 'get',
    path: '/sessions/{id}/costs',
    summary: 'Every paid call of the session',
    request: { params: IdParam },
    responses: {
      200: {
        content: {
          'application/json': {
            schema: z.object({
              totalUsd: z.number(),
              budgetUsd: z.number(),
              costs: z.array(CostSchema),
            }),
          },
        },
        description: 'The cost ledger',
      },
      404: sessionResponses[404],
    },
  }),
};
