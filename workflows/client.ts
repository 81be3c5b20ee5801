import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { SessionState } from '../core/session';
import { runDetails, runSummary } from '../core/operator-view';
import { searchAttributesOf } from '../core/search-attributes';
import { stateQuery } from './messages';
import { initialState } from './state';
import type { SessionWorkflowInput, sessionWorkflow } from './session';

/** Helpers for clients (API, demo, tests) that drive session workflows. */

export const sessionWorkflowId = (sessionId: string) => sessionId;

/** Search attributes, memo, summary and details a session's run starts with (no email). */
function operatorView(input: SessionWorkflowInput) {
  const state = input.resume ?? initialState(input, new Date().toISOString());
  return {
    typedSearchAttributes: searchAttributesOf(state),
    memo: { product: state.productPrompt, title: state.title, user: state.userId },
    staticSummary: runSummary(state),
    staticDetails: runDetails(state),
  };
}

/**
 * Starts a session's run. `startAttempt` (the API's) goes into its memo and makes the start
 * replace a run left by an earlier attempt under the same id (see api/session-start.ts).
 */
export function startSession(
  client: Client,
  taskQueue: string,
  input: SessionWorkflowInput,
  startAttempt?: string,
) {
  const view = operatorView(input);
  return client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
    taskQueue,
    workflowId: sessionWorkflowId(input.sessionId),
    args: [input],
    ...view,
    ...(startAttempt
      ? {
          memo: { ...view.memo, startAttempt },
          workflowIdConflictPolicy: 'TERMINATE_EXISTING' as const,
        }
      : {}),
  });
}

/**
 * Sends an update to a session whose run may have completed: to the open run if there is one
 * (runs from before completed sessions closed still wait), else to a new run started from
 * `input.resume`, in one call, so two clicks cannot start two runs.
 */
export function updateResumingSession<R, A>(
  client: Client,
  taskQueue: string,
  input: SessionWorkflowInput,
  update: UpdateDefinition<R, [A]>,
  args: A,
  options: { updateId?: string } = {},
): Promise<R> {
  return client.workflow.executeUpdateWithStart(update, {
    args: [args],
    ...options,
    startWorkflowOperation: new WithStartWorkflowOperation<typeof sessionWorkflow>(
      'sessionWorkflow',
      {
        taskQueue,
        workflowId: sessionWorkflowId(input.sessionId),
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        ...operatorView(input),
      },
    ),
  });
}

/** The first pause between reads, doubled while nothing changes, up to the longest. */
const FIRST_POLL_MS = 50;
const LONGEST_POLL_MS = 1000;

/**
 * Waits until the session's state satisfies `done`, by reading the workflow's `state` query
 * with a short backoff (reset whenever the state changes). A query writes nothing to the
 * workflow's history, so waiting costs no history events however long it takes.
 */
export async function waitForState(
  handle: WorkflowHandle,
  done: (state: SessionState) => boolean,
  options: { timeoutMs?: number; onChange?: (state: SessionState) => void } = {},
): Promise<SessionState> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let seenVersion = -1;
  let pause = FIRST_POLL_MS;
  for (;;) {
    const state = await handle.query(stateQuery);
    if (state.version !== seenVersion) {
      options.onChange?.(state);
      seenVersion = state.version;
      pause = FIRST_POLL_MS;
    }
    if (done(state)) return state;
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out waiting; the session is ${state.stage} (version ${state.version})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, LONGEST_POLL_MS);
  }
}
