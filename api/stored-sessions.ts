import type { SessionState } from '../core/session';
import { isClosed, isStage, isWorking, type Stage } from '../core/stages';
import type { SessionWorkflowInput } from '../workflows/session';
import type { ApiConfig } from './config';

/**
 * A session outlives its workflow. The worker writes the whole state to the session's row at
 * every change (activities/records.ts), so once the workflow has closed (a finished ad, a
 * cancelled or expired session, or a history Temporal no longer keeps) the API serves that state,
 * with fresh signed links, for as long as the row exists. Acting on a finished session starts a
 * new run that resumes from it.
 */

/** The state the workflow last wrote; absent on rows written before it was kept. */
export function storedState(row: { state: unknown }): SessionState | undefined {
  const state = row.state as SessionState | null;
  return state && typeof state === 'object' && 'stage' in state ? state : undefined;
}

/**
 * A machine step whose row has not changed for five minutes: a write the worker could not make
 * (the database was away) may be missing, so the workflow is asked instead. Steps write at each
 * asset, so a busy worker's long step stays under this. Waiting for a person
 * changes nothing by itself, so those rows are never stale.
 */
export function looksStalled(state: SessionState, rowUpdatedAt: Date, now = Date.now()) {
  if (!isWorking(state.stage)) return false;
  return now - rowUpdatedAt.getTime() > STALE_AFTER_MS;
}

const STALE_AFTER_MS = 5 * 60_000;

/** A stage as a row keeps it (always one of ours; anything else reads as failed). */
export function storedStage(stage: string): Stage {
  return isStage(stage) ? stage : 'failed';
}

/** Stages after which the workflow has nothing left to do, so the row is the truth. */
export function isSettled(stage: string) {
  return stage === 'completed' || (isStage(stage) && isClosed(stage));
}

/** Why a cancelled or expired session takes no more actions, in words for a person. */
export const ENDED: Partial<Record<Stage, string>> = {
  cancelled: 'This session was cancelled. Start a new one to continue.',
  expired: 'This session expired after waiting too long. Start a new one to continue.',
};

/** The input of a new run that carries on from the stored state. */
export function resumeInput(state: SessionState, config: ApiConfig): SessionWorkflowInput {
  return {
    sessionId: state.sessionId,
    userId: state.userId,
    title: state.title,
    productPrompt: state.productPrompt,
    productPhotoKey: state.productPhotoKey,
    options: state.options,
    idleTimeoutMs: config.SESSION_IDLE_TIMEOUT,
    renderTaskQueue: config.TEMPORAL_RENDER_TASK_QUEUE,
    resume: state,
  };
}
