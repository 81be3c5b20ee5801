import { condition, log, patched, setHandler, uuid4 } from '@temporalio/workflow';
import { businessFailure } from '../core/errors';
import {
  ACTION_NAMES,
  SESSION_ACTIONS,
  parseArgs,
  validateAction,
  type ActionTools,
  type SessionAction,
} from '../core/session-actions';
import type { SessionContext } from './context';
import * as messages from './messages';
import { PATCHES } from './patches';
import { failureMessage } from './state';

/**
 * Registers the `state` query and every action of the table (core/session-actions) twice: as an
 * update, whose validator refuses an invalid one before it enters history, and as a signal for
 * operators, checked in the handler (an invalid one is logged and dropped). Both apply the
 * action to the workflow's state with the parsed arguments.
 */
export function registerHandlers(ctx: SessionContext) {
  const { state } = ctx;
  setHandler(messages.stateQuery, () => state);
  registerAwaitChange(ctx);

  const tools: ActionTools = {
    moveTo: (stage) => ctx.moveTo(stage),
    touch: () => ctx.touch(),
    uuid: uuid4,
    patched: (change) => patched(PATCHES[change].id),
  };
  for (const name of ACTION_NAMES) {
    const action = SESSION_ACTIONS[name] as SessionAction;
    setHandler(
      messages.actionUpdates[name],
      (args: unknown) => {
        // The validator parsed the same arguments already (replay skips validators).
        action.apply(state, parseArgs(action.schema, args), tools);
        return { stage: state.stage, version: state.version };
      },
      {
        validator: (args: unknown) => {
          validateAction(action, state, args);
        },
      },
    );
    setHandler(messages.actionSignals[name], (args: unknown) => {
      let parsed;
      try {
        parsed = validateAction(action, state, args);
      } catch (error) {
        log.warn('ignored an invalid signal', {
          signal: `${name}Signal`,
          error: failureMessage(error),
        });
        return;
      }
      action.apply(state, parsed, tools);
    });
  }

  setHandler(messages.cancelSignal, () => {
    if (state.stage === 'cancelled' || state.stage === 'expired') return;
    ctx.moveTo('cancelled');
    ctx.stepScope?.cancel();
  });
}

/** Unused by our clients (they poll the query); kept so histories that hold it still replay. */
function registerAwaitChange(ctx: SessionContext) {
  const { state } = ctx;
  setHandler(
    messages.awaitChangeUpdate,
    async ({ afterVersion, timeoutMs }) => {
      await condition(
        () => state.version > afterVersion || ctx.continuingAsNew,
        timeoutMs ?? 60_000,
      );
      return state;
    },
    {
      validator: (args: messages.AwaitChangeArgs | undefined) => {
        if (typeof args?.afterVersion !== 'number')
          throw businessFailure('VALIDATION_FAILED', 'afterVersion must be a number.');
      },
    },
  );
}
