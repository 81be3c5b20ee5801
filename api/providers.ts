import { PROVIDERS, type ProviderName } from '../core/options';
import { providerTaskQueue } from '../core/queues';
import type { ApiDeps } from './deps';

/**
 * Which providers a new session may use: the local studio always (every worker serves it), a paid
 * provider while some worker polls its task queue (that worker holds the credentials).
 */

const CACHE_MS = 10_000;
/** temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY (its package is not ours to import). */
const TASK_QUEUE_TYPE_ACTIVITY = 2;

export function providerAvailability(deps: ApiDeps) {
  let cached: { at: number; available: Set<ProviderName> } | undefined;

  async function polled(provider: ProviderName): Promise<boolean> {
    if (provider === 'local') return true;
    try {
      const client = await deps.temporal();
      const answer = await client.workflowService.describeTaskQueue({
        namespace: deps.config.TEMPORAL_NAMESPACE,
        taskQueue: { name: providerTaskQueue(deps.config.TEMPORAL_TASK_QUEUE, provider) },
        taskQueueType: TASK_QUEUE_TYPE_ACTIVITY,
      });
      return (answer.pollers?.length ?? 0) > 0;
    } catch (error) {
      deps.log.warn('could not ask Temporal which providers are served', { error });
      return false;
    }
  }

  return async function available(): Promise<Set<ProviderName>> {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.available;
    const answers = await Promise.all(PROVIDERS.map(async (p) => [p, await polled(p)] as const));
    const available = new Set(answers.filter(([, ok]) => ok).map(([p]) => p));
    cached = { at: Date.now(), available };
    return available;
  };
}
