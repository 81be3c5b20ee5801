import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { ACTION_NAMES, type ActionInput, type ActionName } from '../core/session-actions';
import type { SessionState } from '../core/session';
import type { Stage } from '../core/stages';

/**
 * Every message the session workflow accepts, derived from the action table
 * (core/session-actions): each action is an update the API sends (validated before it enters
 * history) and a signal `<name>Signal` for operators (Temporal UI, the CLI), validated in the
 * handler. Reads go through the `state` query, which writes nothing to history.
 */

export const stateQuery = defineQuery<SessionState>('state');

/**
 * What an update answers: the stage and version the action left the session in. Not the whole
 * state, which every update would otherwise copy into the history; callers read it with the
 * `state` query.
 */
export interface ActionResult {
  stage: Stage;
  version: number;
}

export const actionUpdates = Object.fromEntries(
  ACTION_NAMES.map((name) => [name, defineUpdate(name)]),
) as { [N in ActionName]: ReturnType<typeof defineUpdate<ActionResult, [ActionInput<N>], N>> };

export const actionSignals = Object.fromEntries(
  ACTION_NAMES.map((name) => [name, defineSignal(`${name}Signal`)]),
) as { [N in ActionName]: ReturnType<typeof defineSignal<[ActionInput<N>], `${N}Signal`>> };

export const cancelSignal = defineSignal<[{ reason?: string }?]>('cancel');

export interface AwaitChangeArgs {
  /** Answer once the state's version is past this one. */
  afterVersion: number;
  /** Answer with the unchanged state after this long. */
  timeoutMs?: number | undefined;
}
/**
 * Long-poll for the next change of state. Nothing calls it any more: every call landed in
 * history, so clients poll `stateQuery` (workflows/client.ts waitForState). The handler stays
 * registered because a kept history (test/histories/session-v1.json) holds 18 of these calls and
 * must still replay; it goes once no kept history and no open run has one.
 */
export const awaitChangeUpdate = defineUpdate<SessionState, [AwaitChangeArgs]>('awaitChange');
