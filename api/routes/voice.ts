import { randomUUID } from 'node:crypto';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import * as actions from '../../core/actions';
import { AppError, isErrorCode } from '../../core/errors';
import { MODEL_TIERS, PROVIDERS } from '../../core/options';
import { priceOf } from '../../core/prices';
import { resolveVoiceover } from '../../core/voiceover';
import { VOICES, VOICE_LANGUAGES, speaks, voiceById, voicesFor } from '../../core/voices';
import { id } from '../../core/strings';
import type { voicePreviewWorkflow } from '../../workflows/voice-preview';
import { VOICE_PREVIEW_SECONDS } from '../../workflows/voice-preview';
import { requireUser } from '../auth';
import type { ApiDeps, AppEnv } from '../deps';
import { createLimiter } from '../rate-limit';
import { validationHook } from '../validation';
import { errorResponse, named } from './schemas';

/**
 * The voices an ad can speak with, and a preview of one reading the start of a script. The
 * preview is synthesised by a worker (a short workflow of its own on the voice's queue); the API
 * only asks and waits, up to a deadline, so a slow synthesiser never ties up the API process.
 */

const VoiceSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    engine: z.string(),
    language: z.string().nullable(),
    provider: z.enum(PROVIDERS),
  })
  .openapi('Voice');

const voicesRoute = createRoute({
  method: 'get',
  path: '/voices',
  summary: 'The voices and languages a voiceover can use',
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            voices: z.array(VoiceSchema),
            languages: z.record(z.string(), z.string()),
          }),
        },
      },
      description: 'Voices (offline ones serve every session) and language names by code',
    },
    401: errorResponse('Not signed in'),
  },
});

const PreviewSchema = z
  .object({
    voiceId: z.string(),
    language: z.string(),
    mime: z.string(),
    /** A data: URL of the MP3. */
    audio: z.string(),
    durationSeconds: z.number(),
    costUsd: z.number(),
  })
  .openapi('VoicePreview');

const previewRoute = createRoute({
  method: 'post',
  path: '/sessions/{id}/voice/preview',
  summary: 'Hear a voice read the start of a voiceover script, before rendering',
  request: {
    params: z.object({ id }),
    body: {
      content: {
        'application/json': { schema: named(actions.voicePreview, 'VoicePreviewRequest') },
      },
      required: true,
    },
  },
  responses: {
    200: { content: { 'application/json': { schema: PreviewSchema } }, description: 'The sample' },
    400: errorResponse('The text or voice is not valid'),
    401: errorResponse('Not signed in'),
    402: errorResponse('A paid voice would take the session past its budget'),
    404: errorResponse('No such session'),
    429: errorResponse('Too many previews'),
    503: errorResponse('No worker answered in time'),
  },
});

export function voiceRoutes(deps: ApiDeps) {
  const { db, config } = deps;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('/voices', requireUser(deps));
  app.use('/sessions/*', requireUser(deps));
  const limit = createLimiter({ limit: 20, windowMs: 60_000 });

  return app
    .openapi(voicesRoute, (c) =>
      c.json(
        {
          voices: VOICES.map(({ id, label, engine, language, provider }) => ({
            id,
            label,
            engine,
            language,
            provider,
          })),
          languages: Object.fromEntries(
            Object.entries(VOICE_LANGUAGES).map(([code, l]) => [code, l.name]),
          ),
        },
        200,
      ),
    )
    .openapi(previewRoute, async (c) => {
      const user = c.get('user');
      const { id: sessionId } = c.req.valid('param');
      const body = c.req.valid('json');
      const row = await db.session.findFirst({ where: { id: sessionId, userId: user.id } });
      if (!row) throw new AppError('NOT_FOUND', 'No such session.');
      limit.hit(user.id);
      const options = z
        .object({
          provider: z.enum(PROVIDERS).catch('local'),
          tier: z.enum(MODEL_TIERS).catch('standard'),
        })
        .catch({ provider: 'local' as const, tier: 'standard' as const })
        .parse(row.options);
      const choice = resolveVoiceover(
        { enabled: true, script: body.text, voiceId: body.voiceId, language: body.language },
        options.provider,
      )!;
      const voice = voiceById(choice.voiceId)!;
      if (!voicesFor(options.provider).includes(voice)) {
        throw new AppError('VALIDATION_FAILED', `The voice "${voice.label}" is not offered here.`);
      }
      if (!speaks(voice, choice.language)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `The voice "${voice.label}" does not speak ${VOICE_LANGUAGES[choice.language].name}.`,
        );
      }
      if (voice.provider !== 'local') {
        const estimate = priceOf(voice.provider, 'voice', options.tier);
        if (Number(row.totalCostUsd) + estimate > Number(row.budgetUsd) + 1e-9) {
          throw new AppError('BUDGET_EXCEEDED', 'A preview of this voice would pass the budget.');
        }
      }
      const client = await deps.temporal();
      const handle = await client.workflow.start<typeof voicePreviewWorkflow>(
        'voicePreviewWorkflow',
        {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: `voice-preview-${randomUUID()}`,
          workflowExecutionTimeout: `${VOICE_PREVIEW_SECONDS + 15} seconds`,
          args: [
            {
              sessionId,
              previewId: randomUUID(),
              text: choice.script,
              voiceId: voice.id,
              language: choice.language,
              tier: options.tier,
              voiceProvider: voice.provider,
            },
          ],
        },
      );
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new AppError(
                'SERVICE_UNAVAILABLE',
                'No worker read the preview in time. Try again in a moment.',
              ),
            ),
          VOICE_PREVIEW_SECONDS * 1000,
        );
      });
      try {
        const made = await Promise.race([handle.result(), deadline]);
        return c.json(
          {
            voiceId: voice.id,
            language: choice.language,
            mime: made.mime,
            audio: `data:${made.mime};base64,${made.audioBase64}`,
            durationSeconds: made.durationSeconds,
            costUsd: made.costUsd,
          },
          200,
        );
      } catch (error) {
        if (error instanceof AppError) {
          await handle.terminate('the API stopped waiting').catch(() => undefined);
          throw error;
        }
        if (error instanceof WorkflowFailedError) {
          const cause = error.cause?.cause ?? error.cause;
          if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) {
            throw new AppError(cause.type, cause.message);
          }
          throw new AppError(
            'PROVIDER_UNAVAILABLE',
            'The voice could not be previewed. Try again.',
          );
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    });
}
