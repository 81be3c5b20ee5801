import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from './deps';
import { createErrorHandler, errorBody } from './errors';
import { apiSecurityHeaders, bodyLimits } from './guards';
import { sameOriginWrites } from './same-origin';
import { authRoutes } from './routes/auth';
import { docsRoutes } from './routes/docs';
import { estimateRoutes } from './routes/estimates';
import { fileRoutes } from './routes/files';
import { healthRoutes } from './routes/health';
import { moodBoardRoutes } from './routes/moodboard';
import { previewRoutes } from './routes/preview';
import { quotaRoutes } from './routes/quota';
import { voiceRoutes } from './routes/voice';
import { sessionQueueRoutes } from './routes/session-queue';
import { sessionRoutes } from './routes/sessions';
import { uploadRoutes } from './routes/uploads';
import { webhookRoutes } from './routes/webhooks';
import { SECURITY_SCHEMES, SIGNED_IN, createRouter } from './router';

/** Builds the whole HTTP API on the given dependencies. Mounted under /api. */
export function createApp(deps: ApiDeps) {
  const api = createRouter(deps)
    .route('/', healthRoutes(deps))
    .route('/', authRoutes(deps))
    .route('/', sessionRoutes(deps))
    .route('/', sessionQueueRoutes(deps))
    .route('/', moodBoardRoutes(deps))
    .route('/', estimateRoutes(deps))
    .route('/', previewRoutes(deps))
    .route('/', quotaRoutes(deps))
    .route('/', voiceRoutes(deps))
    .route('/', uploadRoutes(deps))
    .route('/', fileRoutes(deps))
    .route('/', webhookRoutes(deps))
    .route('/', docsRoutes());

  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) {
    api.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  }
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    servers: [{ url: '/api' }],
    // Every route is for signed-in users unless its definition says `security: PUBLIC`.
    security: SIGNED_IN,
    info: {
      title: 'Ad Studio API',
      version: '0.1.0',
      description:
        'Turns a product prompt into an 8-30 s 1080p ad, with a person approving each expensive step.',
    },
  });

  // Headers, the origin check and body caps first, so they hold for every answer, errors and
  // unknown paths too.
  const app = new OpenAPIHono()
    .use('*', apiSecurityHeaders())
    .use('*', sameOriginWrites(deps.config))
    .use('*', bodyLimits())
    .route('/api', api);
  app.notFound((c) => c.json(errorBody('NOT_FOUND', 'No such endpoint.'), 404));
  app.onError(createErrorHandler(deps.log));
  return app;
}

export type AppType = ReturnType<typeof createApp>;
