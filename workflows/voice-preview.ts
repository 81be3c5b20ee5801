import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PreviewVoiceInput, VoicePreview } from '../activities/inputs';
import type { ProviderName } from '../core/options';
import { providerTaskQueue } from '../core/queues';

/**
 * A voice reading the start of a script, for the composition step, before anything is rendered.
 * Its own short workflow (not the session's, whose history it leaves alone), so the synthesis runs
 * on a worker, on the queue of the voice's provider, while the API waits for it with a deadline.
 * A paid voice's call enters the session's cost ledger once.
 */

export interface VoicePreviewWorkflowInput extends PreviewVoiceInput {
  /** Who speaks the voice: offline voices on the main queue, a provider's on its own. */
  voiceProvider: ProviderName;
}

export const VOICE_PREVIEW_SECONDS = 45;

export async function voicePreviewWorkflow(
  input: VoicePreviewWorkflowInput,
): Promise<VoicePreview> {
  const onQueue =
    input.voiceProvider === 'local'
      ? {}
      : { taskQueue: providerTaskQueue(workflowInfo().taskQueue, input.voiceProvider) };
  const { previewVoice } = proxyActivities<Activities>({
    ...onQueue,
    startToCloseTimeout: `${VOICE_PREVIEW_SECONDS} seconds`,
    heartbeatTimeout: '20 seconds',
    retry: {
      maximumAttempts: 2,
      nonRetryableErrorTypes: ['VALIDATION_FAILED', 'PROVIDER_UNAVAILABLE', 'CONTENT_POLICY'],
    },
  });
  const { recordCost } = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { maximumAttempts: 5 },
  });
  const { voiceProvider, ...preview } = input;
  const made = await previewVoice(preview);
  if (made.costUsd > 0) {
    await recordCost({
      sessionId: input.sessionId,
      stage: 'awaiting_composition',
      agent: 'voice-preview',
      provider: voiceProvider,
      model: made.model,
      costUsd: made.costUsd,
      durationMs: 0,
      success: true,
      idempotencyKey: `${input.sessionId}:${input.previewId}`,
    });
  }
  return made;
}
