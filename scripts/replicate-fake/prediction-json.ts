import type { Prediction } from './predictions';

/** The JSON shapes of a prediction: the full object and the slimmer list item. */

interface Links {
  apiBase: string;
  origin: string;
}

/** The full prediction object, as create, get, cancel and webhooks return it. */
export function predictionJson(p: Prediction, links: Links): Record<string, unknown> {
  return {
    id: p.id,
    model: p.spec.name,
    version: p.spec.version,
    input: p.input,
    logs: p.logs,
    output: p.output,
    data_removed: p.dataRemoved,
    error: p.error,
    status: p.status,
    created_at: p.createdAt.toISOString(),
    started_at: p.startedAt?.toISOString() ?? null,
    completed_at: p.completedAt?.toISOString() ?? null,
    ...(p.deadline ? { deadline: p.deadline.toISOString() } : {}),
    source: 'api',
    webhook: p.webhook,
    webhook_events_filter: p.webhookEventsFilter,
    metrics: p.metrics,
    urls: urlsOf(p, links),
  };
}

/** A list item: no input, output, logs or webhook, like the real list endpoint. */
export function listItemJson(p: Prediction, links: Links): Record<string, unknown> {
  return {
    id: p.id,
    model: p.spec.name,
    version: p.spec.version,
    status: p.status,
    created_at: p.createdAt.toISOString(),
    started_at: p.startedAt?.toISOString() ?? null,
    completed_at: p.completedAt?.toISOString() ?? null,
    urls: urlsOf(p, links),
    source: 'api',
    error: p.error,
    metrics: p.metrics,
  };
}

function urlsOf(p: Prediction, links: Links) {
  return {
    get: `${links.apiBase}/predictions/${p.id}`,
    cancel: `${links.apiBase}/predictions/${p.id}/cancel`,
    web: `${links.origin}/p/${p.id}`,
  };
}
