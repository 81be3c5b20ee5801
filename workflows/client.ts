import type { Client, WorkflowHandle } from '@temporalio/client';
import type { SessionState } from '../core/session';
import { awaitChangeUpdate } from './messages';
import type { SessionWorkflowInput, sessionWorkflow } from './session';

/** Helpers for clients (API, demo, tests) that drive session workflows. */

export const sessionWorkflowId = (sessionId: string) => sessionId;

export function startSession(client: Client, taskQueue: string, input: SessionWorkflowInput) {
  return client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
    taskQueue,
    workflowId: sessionWorkflowId(input.sessionId),
    args: [input],
  });
}

/**
 * Waits until the session's state satisfies `done`, by long-polling the workflow's awaitChange
 * update: each call returns as soon as the state changes.
 */
export async function waitForState(
  handle: WorkflowHandle,
  done: (state: SessionState) => boolean,
  options: { timeoutMs?: number; onChange?: (state: SessionState) => void } = {},
): Promise<SessionState> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let afterVersion = -1;
  for (;;) {
    const state = await handle.executeUpdate(awaitChangeUpdate, {
      args: [{ afterVersion, timeoutMs: Math.min(30_000, Math.max(1, deadline - Date.now())) }],
    });
    if (state.version !== afterVersion) options.onChange?.(state);
    if (done(state)) return state;
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out waiting; the session is ${state.stage} (version ${state.version})`,
      );
    }
    afterVersion = state.version;
  }
}
