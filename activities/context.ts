import { Context } from '@temporalio/activity';
import type { CallContext } from './providers/types';

export interface HeartbeatDetails {
  /** Provider-side job (e.g. Replicate prediction) started by an earlier attempt. */
  jobId?: string | undefined;
  fraction?: number | undefined;
}

const PROGRESS_EVERY_MS = 250;

/**
 * Bridges a running activity to providers: cancellation arrives as an AbortSignal, progress
 * becomes throttled heartbeats (which is also how Temporal delivers cancellation), and a job id
 * recorded in an earlier attempt's heartbeat is handed back so a retry resumes that job.
 */
export function providerCallContext(
  onProgress?: (fraction: number) => void,
  job?: CallContext['job'],
): CallContext {
  const ctx = Context.current();
  const previous = ctx.info.heartbeatDetails as HeartbeatDetails | undefined;
  let jobId = previous?.jobId;
  let lastBeat = 0;
  const beat = (fraction: number, force = false) => {
    const now = Date.now();
    if (!force && now - lastBeat < PROGRESS_EVERY_MS) return;
    lastBeat = now;
    ctx.heartbeat({ jobId, fraction } satisfies HeartbeatDetails);
    onProgress?.(fraction);
  };
  beat(0, true);
  return {
    signal: ctx.cancellationSignal,
    onProgress: (fraction) => beat(Math.max(0, Math.min(1, fraction)), fraction >= 1),
    resumeJobId: jobId,
    job,
    onJobCreated: (id) => {
      jobId = id;
      beat(0, true);
    },
  };
}

/** Keeps a running activity alive while a provider waits (e.g. out a 429); a no-op elsewhere. */
export function heartbeatIfInActivity() {
  try {
    const ctx = Context.current();
    ctx.heartbeat(ctx.info.heartbeatDetails);
  } catch {
    // Not inside an activity (a script or a test calling the provider directly).
  }
}
