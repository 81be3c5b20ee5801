import {
  ApplicationFailure,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  type CancellationScope,
} from '@temporalio/workflow';
import { currentDetails, syncSummary } from '../core/operator-view';
import { priceOf, type PricedCapability } from '../core/prices';
import type { SessionState } from '../core/session';
import type { Stage } from '../core/stages';
import type { BookkeepingActivities } from '../activities';
import { oneAtATime } from './one-at-a-time';
import { PATCHES } from './patches';
import { activityProxies } from './proxies';
import { indexSession } from './search';
import { failureDetail, initialState, type SessionWorkflowInput } from './state';

/**
 * What every part of a session's workflow shares: its input, its state, the activities it may
 * call and the few moves that change the state. One per workflow run; the steps and handlers
 * take it instead of closing over the workflow function.
 */
export interface SessionContext {
  readonly input: SessionWorkflowInput;
  readonly state: SessionState;
  readonly acts: ReturnType<typeof activityProxies>;
  /** The model each capability last used, to name it when a later call fails. */
  readonly knownModels: Record<string, string | undefined>;
  /** The running machine step's scope, cancelled when the person cancels the session. */
  stepScope: CancellationScope | undefined;
  /** Set while handing over to a new run, so long-polls answer at once instead of blocking it. */
  continuingAsNew: boolean;
  /** Counts a change: clients compare versions to know the state moved. */
  touch(): void;
  moveTo(stage: Stage): void;
  /** Mirrors state into the database and the session's socket room; never fails the session. */
  sync(): Promise<void>;
  /** The database writes (rows, ledger, mood board), asked for at each write: see below. */
  records(): BookkeepingActivities;
}

export function createContext(input: SessionWorkflowInput, startedAt: string): SessionContext {
  const state: SessionState = input.resume ?? initialState(input, startedAt);
  const acts = activityProxies(input);
  const local = oneAtATime();
  const localRecordsInOrder = local.inOrder(acts.localRecords);
  const inOrder = () => patched(PATCHES.localWritesInOrder.id);
  const asActivities = () => patched(PATCHES.writesAsActivities.id);
  // Operators read these in Temporal UI; keeping them is no command, so replay is unaffected.
  setCurrentDetails(currentDetails(state));
  const ctx: SessionContext = {
    input,
    state,
    acts,
    knownModels: {},
    stepScope: undefined,
    continuingAsNew: false,
    touch() {
      state.version += 1;
      state.updatedAt = new Date().toISOString();
      setCurrentDetails(currentDetails(state));
    },
    moveTo(stage) {
      // A cancel handled in the same workflow task as the running step's last result comes
      // first; the step, carrying on from that result, must not move the session on.
      if (state.stage === 'cancelled' && stage !== 'cancelled' && patched(PATCHES.cancelStays.id))
        return;
      state.stage = stage;
      state.progress = { done: 0, total: 0, fraction: 0 };
      ctx.touch();
      indexSession(state);
    },
    async sync() {
      try {
        if (asActivities()) {
          // Named in Temporal UI's timeline by what it saves (a summary is not replayed).
          await acts.writes.syncSession.executeWithOptions({ summary: syncSummary(state) }, [
            state,
          ]);
        } else if (inOrder()) await local.run(() => acts.local.syncSession(state));
        else await acts.local.syncSession(state);
      } catch (error) {
        if (isCancellation(error)) throw error;
        log.warn('could not sync the session row', { error: failureDetail(error) });
      }
    },
    // Runs between the operators' patch and writesAsActivities wrote with local activities (a
    // marker each instead of three events in the operator's timeline), and replay that way.
    records() {
      if (asActivities()) return acts.writes;
      if (!patched(PATCHES.operatorsBookkeepingLocal.id)) return acts.records;
      return inOrder() ? localRecordsInOrder : acts.localRecords;
    },
  };
  return ctx;
}

/** Refuses a step whose estimated price would take the session past its budget. */
export function guardBudget(ctx: SessionContext, capability: PricedCapability, count: number) {
  const { state } = ctx;
  const estimate = priceOf(state.options.provider, capability, state.options.tier) * count;
  if (state.costs.totalUsd + estimate > state.options.budgetUsd + 1e-9) {
    throw ApplicationFailure.nonRetryable(
      `This step would cost about $${estimate.toFixed(2)}, which would take the session past its ` +
        `$${state.options.budgetUsd.toFixed(2)} budget ($${state.costs.totalUsd.toFixed(2)} spent).`,
      'BUDGET_EXCEEDED',
    );
  }
}

export function requirePlan(state: SessionState) {
  if (state.seed === undefined || !state.style || !state.product) {
    throw ApplicationFailure.nonRetryable('The shots have not been planned', 'INVALID_STATE');
  }
  return { seed: state.seed, style: state.style, product: state.product };
}

export function modelOf(ctx: SessionContext, capability: PricedCapability) {
  return ctx.knownModels[capability] ?? `${ctx.state.options.provider}/${capability}`;
}
