import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import { needsChange } from '../core/errors';
import type { SessionState } from '../core/session';
import { waitSummary } from '../core/operator-view';
import {
  isClosed,
  isWorking,
  stageInfo,
  waitsForPerson,
  type Stage,
  type StagesOfKind,
} from '../core/stages';
import { createContext, modelOf, type SessionContext } from './context';
import { registerHandlers } from './handlers';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  failureCode,
  failureDetail,
  failureMessage,
  type SessionWorkflowInput,
} from './state';
import { generateClips, planScenes } from './steps/clips';
import { generateMusic, render } from './steps/finish';
import { cutOutForReview, generateImages, planImages, reviewNeedsCutout } from './steps/images';
import { PATCHES } from './patches';

export type { SessionWorkflowInput } from './state';

const DEFAULT_HISTORY_LIMIT = 8000;

/** What the machine does in each of its stages (core/stages.ts); a stage without one is a type error. */
const MACHINE_STEPS: Record<StagesOfKind<'machine'>, (ctx: SessionContext) => Promise<void>> = {
  planning_images: planImages,
  generating_images: generateImages,
  planning_scenes: planScenes,
  generating_clips: generateClips,
  generating_music: generateMusic,
  rendering: render,
};

/**
 * One workflow per session carries the whole journey: plan and generate images, wait for the
 * person to approve them, plan and generate clips, wait for their choice and order, wait for the
 * composition, make music and render. A failed step parks the session in `failed` until `retry`,
 * which resumes at that step; assets that are ready are never made (or paid for) again.
 */
export async function sessionWorkflow(input: SessionWorkflowInput): Promise<SessionState> {
  // The chain's start time, not the clock: the same in every attempt of the first workflow task,
  // so a `state` query (which may read an attempt that is later retried) always agrees.
  const ctx = createContext(input, workflowInfo().startTime.toISOString());
  const { state } = ctx;
  registerHandlers(ctx);

  try {
    await ctx.sync();
    for (;;) {
      const stage = state.stage;
      if (isWorking(stage)) {
        await step(ctx, stage, MACHINE_STEPS[stage]);
        continue;
      }
      if (isClosed(stage)) return await finish(ctx);
      // Every other stage waits for a person, with two exceptions.
      if (stage === 'completed') {
        // A finished ad's workflow completes: the session lives on in the database, and acting
        // on it again starts a new run from its stored state (input `resume`). Runs from before
        // this change waited here for a person, so their histories replay that way.
        if (patched(PATCHES.completedSessionsClose.id)) {
          await finish(ctx);
          // An action taken while the run was finishing is carried out before it ends.
          if (state.stage === 'completed') return state;
          continue;
        }
      } else if (stage === 'awaiting_plan_approval' && reviewNeedsCutout(ctx)) {
        // The person reviews the cutout with the plan: it is made (again) before they are asked.
        await step(ctx, stage, cutOutForReview);
        continue;
      }
      if (!(await waitForPerson(ctx))) return await finish(ctx);
    }
  } catch (error) {
    // Cancelling the workflow itself (e.g. from Temporal UI) ends the session cleanly.
    if (isCancellation(error)) {
      ctx.moveTo('cancelled');
      return await CancellationScope.nonCancellable(() => finish(ctx));
    }
    throw error;
  }
}

/** Waits until a person moves the session on; false when it sat idle too long. */
async function waitForPerson(ctx: SessionContext): Promise<boolean> {
  const { state, input } = ctx;
  await maybeContinueAsNew(ctx);
  const waitingIn = state.stage;
  const version = state.version;
  const timeoutMs = input.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  // The timer is named after what it waits for; a summary is metadata, which replay ignores.
  const acted = await condition(
    () => state.stage !== waitingIn || state.version !== version,
    timeoutMs,
    waitsForPerson(waitingIn) ? { summary: waitSummary(waitingIn, timeoutMs) } : {},
  );
  if (acted) {
    // What the person did shows in the session's row at once, also when they acted through a
    // signal (Temporal UI, the CLI) rather than the API, which writes the row itself.
    if (patched(PATCHES.syncAfterAction.id)) await ctx.sync();
    return true;
  }
  // A finished ad stays `completed` when its workflow closes; anything else expires.
  if (state.stage !== 'completed') ctx.moveTo('expired');
  return false;
}

async function finish(ctx: SessionContext): Promise<SessionState> {
  await ctx.sync();
  await condition(allHandlersFinished);
  return ctx.state;
}

async function maybeContinueAsNew(ctx: SessionContext) {
  const info = workflowInfo();
  if (
    info.continueAsNewSuggested ||
    info.historyLength > (ctx.input.historyLimit ?? DEFAULT_HISTORY_LIMIT)
  ) {
    ctx.continuingAsNew = true;
    await condition(allHandlersFinished);
    log.info('continuing as new', { historyLength: info.historyLength });
    await continueAsNew<typeof sessionWorkflow>({ ...ctx.input, resume: ctx.state });
  }
}

/**
 * Runs one machine step in its own cancellation scope. A failure (after the activity's own
 * retries) parks the session in `failed`, naming the stage, provider, model and reason.
 */
async function step(
  ctx: SessionContext,
  stage: Stage,
  run: (ctx: SessionContext) => Promise<void>,
) {
  const { state } = ctx;
  try {
    await CancellationScope.cancellable(async () => {
      ctx.stepScope = CancellationScope.current();
      await run(ctx);
    });
  } catch (error) {
    if (state.stage === 'cancelled') return;
    if (isCancellation(error)) throw error;
    const code = failureCode(error);
    const capability = stageInfo(stage).capability;
    state.lastError = {
      stage,
      code,
      message: failureMessage(error),
      provider: state.options.provider,
      model: capability ? modelOf(ctx, capability) : undefined,
      retryable: !needsChange(code),
      at: new Date().toISOString(),
    };
    log.warn('step failed', { stage, code, detail: failureDetail(error) });
    ctx.moveTo('failed');
  } finally {
    ctx.stepScope = undefined;
  }
  await ctx.sync();
}
