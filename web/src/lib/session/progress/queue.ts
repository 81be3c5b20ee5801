import { describePlace } from '#core/queue-place.ts';
import type { Stage } from '#core/stages.ts';

/** What GET /api/sessions/{id}/queue answers: the session's place in line for a worker slot. */
export interface QueueNow {
  stage: Stage;
  queued: boolean;
  ahead: number;
  waitMs: number | null;
}

/**
 * "Queued, 3 ahead, about 4 min" while the step's work waits for a worker slot: only when the
 * place is for the stage shown, the studio says the work is waiting, and none of the step's jobs
 * has reported progress (once one has, its own progress is the truth).
 */
export function queuedWords(
  place: QueueNow | null,
  stage: Stage | undefined,
  fraction: number,
): string | undefined {
  if (!place || place.stage !== stage || fraction > 0) return undefined;
  return describePlace({
    ahead: place.ahead,
    waiting: place.queued,
    waitMs: place.waitMs ?? undefined,
  });
}
