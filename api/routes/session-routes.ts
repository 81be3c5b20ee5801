import { createRoute, z } from '@hono/zod-openapi';
import * as actions from '../../core/actions';
import { sessionResponses } from './action-routes';
import { SessionViewSchema } from './session-schema';
import { IMAGE_COUNT, MODEL_TIERS, PROVIDERS } from '../../core/options';
import { STAGES } from '../../core/stages';
import { id } from '../../core/strings';
import { errorResponse, named } from './schemas';

/** The session routes' OpenAPI definitions: paths, request schemas and responses. */

const CreateSessionSchema = named(actions.createSession, 'CreateSession');

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

const SessionSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    stage: z.enum(STAGES),
    totalCostUsd: z.number(),
    budgetUsd: z.number(),
    /** A signed link to the ad's poster frame or the session's first chosen image. */
    thumbnailUrl: z.string().nullable(),
    /** The ad's shape, so a list shows its thumbnail in that shape (absent on very old rows). */
    aspectRatio: z.enum(['16:9', '1:1', '9:16']).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('SessionSummary');

const CostSchema = z
  .object({
    stage: z.enum(STAGES),
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

/** The client's key for one start: the same key answers with the same session (api/session-start.ts). */
const StartHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'Use 8 to 128 letters, digits, dots, dashes or colons.')
    .optional()
    .openapi({
      description: 'Sending the same request again with the same key starts nothing new',
    }),
});

const json = <S extends z.ZodType>(schema: S) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const routes = {
  create: createRoute({
    method: 'post',
    path: '/sessions',
    summary: 'Start a session: plans the shots and generates the images',
    request: { headers: StartHeaders, ...json(CreateSessionSchema) },
    responses: {
      201: {
        content: { 'application/json': { schema: SessionViewSchema } },
        description: 'Started (or, for a key already used, the session it started)',
      },
      400: errorResponse('Invalid input'),
      429: errorResponse('Too many sessions started'),
      503: errorResponse(
        'No worker serves the chosen provider, the studio is busy (STUDIO_BUSY, with ' +
          'Retry-After), or the start failed: nothing started',
      ),
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
