import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { answerFault } from './fault-answers';
import { parseDuration, parsePreferWait } from './headers';
import { HttpError, describeIssues, header, readJson, sendJson } from './http';
import type { Resolved } from './models';
import type { RouteDeps } from './route-deps';
import { WEBHOOK_EVENTS } from './types';

/**
 * Creating a prediction, on either create route: faults first (as the real service would throttle
 * before reading anything), then the body and input checks, then the `Prefer` and `Cancel-After`
 * headers.
 */

const createBodySchema = z.object({
  input: z.record(z.string(), z.unknown(), { error: 'input must be an object' }),
  webhook: z
    .url({ protocol: /^https?$/, error: 'webhook must be an http(s) URL' })
    .optional()
    .nullable(),
  webhook_events_filter: z.array(z.enum(WEBHOOK_EVENTS)).optional().nullable(),
});

export async function create(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  resolve: (body: Record<string, unknown>) => Resolved,
): Promise<void> {
  const body = await readJson(req);
  const resolved = resolve(body);
  const spec = 'spec' in resolved ? resolved.spec : undefined;
  const fault = deps.faults.takeRequestFault('create', spec?.name);
  if (fault && fault.kind !== 'reset-after-accept' && answerFault(fault, req, res)) return;
  if (!spec)
    throw new HttpError(
      (resolved as { status: number }).status,
      (resolved as { detail: string }).detail,
    );

  const parsedBody = createBodySchema.safeParse(body);
  if (!parsedBody.success) throw new HttpError(422, describeIssues(parsedBody.error, ''));
  const input = parsedBody.data.input;
  const parsedInput = spec.input.safeParse(input);
  if (!parsedInput.success) throw new HttpError(422, describeIssues(parsedInput.error, 'input'));
  let cancelAfterMs: number | undefined;
  try {
    cancelAfterMs = parseDuration(header(req, 'cancel-after'));
  } catch (error) {
    throw new HttpError(422, (error as Error).message);
  }
  const waitMs = parsePreferWait(header(req, 'prefer'));

  const prediction = deps.store.create({
    spec,
    input,
    parsedInput: parsedInput.data,
    webhook: parsedBody.data.webhook ?? null,
    webhookEventsFilter: parsedBody.data.webhook_events_filter ?? [...WEBHOOK_EVENTS],
    cancelAfterMs,
    faults: deps.faults.takeRunFaults(spec.name),
  });
  if (fault?.kind === 'reset-after-accept') {
    req.socket.destroy();
    return;
  }
  if (waitMs !== undefined) {
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    await deps.store.waitForEnd(prediction, waitMs, gone.signal);
  }
  sendJson(res, 201, deps.store.toJson(prediction), {
    location: `${deps.apiBase}/predictions/${prediction.id}`,
  });
}
