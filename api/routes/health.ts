import { createRoute, z } from '@hono/zod-openapi';
import type { Logger } from '../../core/log';
import { isStorageFault } from '../../storage';
import { PUBLIC, createRouter } from '../router';
import type { ApiDeps } from '../deps';
import { isServiceDown } from '../unavailable';

/**
 * Why a dependency is not ready, as a code: anyone may read /api/ready, so the dependency's own
 * words (a database host and port, a storage path, a library's text) go to the log only.
 */
const CHECK_FAILURES = ['TIMEOUT', 'UNREACHABLE', 'FAILED'] as const;

const CheckSchema = z.object({
  ok: z.boolean(),
  ms: z.number(),
  error: z.enum(CHECK_FAILURES).optional(),
});

const ReadySchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({ database: CheckSchema, temporal: CheckSchema, storage: CheckSchema }),
  })
  .openapi('Readiness');

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  security: PUBLIC,
  summary: 'Liveness: the API process answers',
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({ status: z.literal('ok'), uptimeSeconds: z.number() }),
        },
      },
      description: 'The process is alive',
    },
  },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  security: PUBLIC,
  summary: 'Readiness: database, Temporal and storage answer',
  responses: {
    200: {
      content: { 'application/json': { schema: ReadySchema } },
      description: 'All dependencies up',
    },
    503: {
      content: { 'application/json': { schema: ReadySchema } },
      description: 'A dependency is down',
    },
  },
});

const CHECK_TIMEOUT_MS = 3000;

class CheckTimeout extends Error {}

function failureOf(error: unknown): (typeof CHECK_FAILURES)[number] {
  if (error instanceof CheckTimeout) return 'TIMEOUT';
  return isServiceDown(error) || isStorageFault(error) ? 'UNREACHABLE' : 'FAILED';
}

async function timed(name: string, log: Logger, run: () => Promise<unknown>) {
  const start = performance.now();
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new CheckTimeout(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    return { ok: true, ms: Math.round(performance.now() - start) };
  } catch (error) {
    log.warn(`readiness: ${name} is not ready`, { error });
    return { ok: false, ms: Math.round(performance.now() - start), error: failureOf(error) };
  }
}

export function healthRoutes(deps: ApiDeps) {
  return createRouter(deps)
    .openapi(healthRoute, (c) =>
      c.json({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }, 200),
    )
    .openapi(readyRoute, async (c) => {
      const [database, temporal, storage] = await Promise.all([
        timed('database', deps.log, () => deps.db.$queryRaw`SELECT 1`),
        timed('temporal', deps.log, async () => {
          const client = await deps.temporal();
          await client.workflowService.describeNamespace({
            namespace: deps.config.TEMPORAL_NAMESPACE,
          });
        }),
        timed('storage', deps.log, () => deps.storage.check()),
      ]);
      const ready = database.ok && temporal.ok && storage.ok;
      const body = {
        status: ready ? ('ready' as const) : ('not_ready' as const),
        checks: { database, temporal, storage },
      };
      return ready ? c.json(body, 200) : c.json(body, 503);
    });
}
