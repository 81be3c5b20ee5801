import {
  ActivityCancellationType,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type {
  BookkeepingActivities,
  ClipFinishingActivities,
  GenerationActivities,
  RenderActivities,
} from '../activities';
import { NOT_RETRIED_BY_ACTIVITIES } from '../core/errors';
import { clipFinishingTaskQueue, providerTaskQueue, recordsTaskQueue } from '../core/queues';
import type { SessionWorkflowInput } from './state';

/**
 * Timeouts, heartbeats and retries chosen per kind of activity; each proxy typed by the factory
 * of the queue it calls (activities/index.ts).
 */
export function activityProxies(input: SessionWorkflowInput) {
  const retry = (maximumAttempts: number): ActivityOptions['retry'] => ({
    initialInterval: input.retry?.initialIntervalMs ?? 2000,
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: input.retry?.maximumAttempts ?? maximumAttempts,
    nonRetryableErrorTypes: NOT_RETRIED_BY_ACTIVITIES,
  });
  // Media work is cancelled and waited for, so a cancelled session has really stopped FFmpeg
  // and its provider jobs by the time it says `cancelled`.
  const waitForCancel = ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;
  // A paid provider's generation runs on its own queue, served only by workers that can call it.
  const provider = input.resume?.options.provider ?? input.options.provider;
  const onProvider =
    provider === 'local'
      ? {}
      : { taskQueue: providerTaskQueue(workflowInfo().taskQueue, provider) };
  return {
    planning: proxyActivities<GenerationActivities>({
      ...onProvider,
      startToCloseTimeout: '2 minutes',
      retry: retry(3),
    }),
    media: proxyActivities<GenerationActivities>({
      ...onProvider,
      startToCloseTimeout: '5 minutes',
      heartbeatTimeout: input.retry?.heartbeatTimeoutMs ?? '30 seconds',
      retry: retry(4),
      cancellationType: waitForCancel,
    }),
    clips: proxyActivities<GenerationActivities>({
      ...onProvider,
      startToCloseTimeout: '15 minutes',
      heartbeatTimeout: input.retry?.heartbeatTimeoutMs ?? '30 seconds',
      retry: retry(4),
      cancellationType: waitForCancel,
    }),
    // A model's clip is brought to the session's format on a queue of its own, one per core
    // (PATCHES.clipsFinishedApart); the model is not called again when it is retried.
    finishing: proxyActivities<ClipFinishingActivities>({
      taskQueue: clipFinishingTaskQueue(workflowInfo().taskQueue),
      startToCloseTimeout: '10 minutes',
      heartbeatTimeout: input.retry?.heartbeatTimeoutMs ?? '30 seconds',
      retry: retry(3),
      cancellationType: waitForCancel,
    }),
    render: proxyActivities<RenderActivities>({
      taskQueue: input.renderTaskQueue,
      startToCloseTimeout: '10 minutes',
      heartbeatTimeout: '30 seconds',
      retry: retry(3),
      cancellationType: waitForCancel,
    }),
    // Database writes are cheap and idempotent: retry them longer.
    records: proxyActivities<BookkeepingActivities>({
      startToCloseTimeout: '30 seconds',
      retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
    }),
    // The same writes on their own queue (PATCHES.writesAsActivities), so media work never
    // holds them up.
    writes: proxyActivities<BookkeepingActivities>({
      taskQueue: recordsTaskQueue(workflowInfo().taskQueue),
      startToCloseTimeout: '30 seconds',
      retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
    }),
    // Local activities run on the workflow's worker, which serves the bookkeeping.
    local: proxyLocalActivities<Pick<BookkeepingActivities, 'syncSession'>>({
      startToCloseTimeout: '10 seconds',
      retry: { maximumAttempts: 3 },
    }),
    // The same writes as `records`, recorded as markers rather than scheduled activities; the
    // retries stay under the local retry threshold (1 min), so they never need a timer.
    localRecords: proxyLocalActivities<BookkeepingActivities>({
      startToCloseTimeout: '30 seconds',
      retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
    }),
  };
}
