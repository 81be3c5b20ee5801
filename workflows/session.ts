import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  deprecatePatch,
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
  // After the handlers: an update that started this run is taken first, as it always was.
  decidePatches();

  let stepsRun = 0;
  try {
    await ctx.sync();
    for (;;) {
      // A person can act while a step's last write runs, and the run then goes on without waiting
      // for them: the hand-over to a new run is looked at after every step, not only at waits
      // (after one at least, so a run whose first events pass the limit still moves on).
      if (stepsRun > 0 && patched(PATCHES.writesAsActivities.id)) await maybeContinueAsNew(ctx);
      const stage = state.stage;
      if (isWorking(stage)) {
        await step(ctx, stage, MACHINE_STEPS[stage]);
        stepsRun += 1;
        continue;
      }
      if (isClosed(stage)) return await finish(ctx);
      // Every other stage waits for a person, with two exceptions.
      if (stage === 'completed') {
        // A finished ad's workflow completes: the session lives on in the database, and acting
        // on it again starts a new run from its stored state (input `resume`). Runs from before
        // this change waited here for a person, so their histories replay that way.
        if (closesWhenCompleted()) {
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

/**
 * Decides every patch in the run's first workflow task, before any local activity, so each
 * marker lands in that task. A patch first asked for right after a local activity's result could
 * otherwise be recorded one task after that result (a workflow task heartbeat while the activity
 * ran), and replay, which meets the result first, would take the old branch (issue 19). Runs
 * recorded before this asked for each patch where it is used, so they replay that way.
 */
function decidePatches() {
  if (patched(PATCHES.patchesDecidedFirst.id)) askForEveryPatch();
}

/** A deprecated id is still asked for here, so the markers that runs recorded here still match. */
function askForEveryPatch() {
  for (const patch of Object.values(PATCHES) as Array<{ id: string; deprecated?: string }>) {
    if (patch.deprecated) deprecatePatch(patch.id);
    else patched(patch.id);
  }
}

/**
 * Whether a completed session's run returns (PATCHES.completedSessionsClose). Replaying, the SDK
 * learns of a patch marker only in the workflow task whose commands hold it, and a row write (a
 * local activity) that outlived a workflow task heartbeat can leave its result one task ahead of
 * the marker recorded after it (issue 19): replay then reaches this point a task early. A run
 * that recorded the search-attributes patch (added after this one) always closes; its marker is
 * asked for again after every activation until the SDK knows it, so the command is sent in the
 * task that holds the marker.
 */
function closesWhenCompleted(): boolean {
  if (patched(PATCHES.completedSessionsClose.id)) return true;
  if (!patched(PATCHES.searchAttributes.id)) return false;
  void condition(() => patched(PATCHES.completedSessionsClose.id));
  return true;
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
