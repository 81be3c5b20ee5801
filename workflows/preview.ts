import { proxyActivities } from '@temporalio/workflow';
import type { createPreviewActivities } from '../activities/preview-activity';
import type { PreviewStills, PreviewStillsInput } from '../core/preview';

export interface PreviewWorkflowInput {
  stills: PreviewStillsInput;
  /** The render queue, where drawing runs (CPU work, off the API). */
  renderTaskQueue: string;
  /** How long the person is willing to wait, in ms: the activity gets no longer. */
  deadlineMs: number;
}

/**
 * One preview: a single activity on the render queue. A workflow of its own so that the API can
 * ask for the stills and wait with a deadline on any Temporal server; it writes nothing to the
 * session's history and pays for nothing.
 */
export async function previewWorkflow(input: PreviewWorkflowInput): Promise<PreviewStills> {
  const { renderPreview } = proxyActivities<ReturnType<typeof createPreviewActivities>>({
    taskQueue: input.renderTaskQueue,
    scheduleToCloseTimeout: input.deadlineMs,
    startToCloseTimeout: Math.min(input.deadlineMs, 10_000),
    retry: { maximumAttempts: 2, nonRetryableErrorTypes: ['VALIDATION_FAILED'] },
  });
  return renderPreview(input.stills);
}
