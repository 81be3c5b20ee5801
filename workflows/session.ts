import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { ErrorCode } from '../core/errors';
import { CAMERA_MOVES } from '../core/options';
import { priceOf, type PricedCapability } from '../core/prices';
import type { AssetView, SessionState } from '../core/session';
import type { Stage } from '../core/stages';
import * as messages from './messages';
import { activityProxies } from './proxies';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  addCost,
  assetProgress,
  failureCode,
  failureCost,
  failureDetail,
  failureMessage,
  initialState,
  live,
  pending,
  replaceAsset,
  type SessionWorkflowInput,
} from './state';
import * as validate from './validation';

export type { SessionWorkflowInput } from './state';

/** Marks histories in which local sessions cut the product out of the photo. */
const LOCAL_CUTOUT_PATCH = 'local-photo-cutout';

/** Seconds of music made for an ad (the render trims it to the ad's length). */
const MUSIC_SECONDS = 12;
/** patched() id: from here on, a completed session's workflow returns instead of waiting. */
const COMPLETED_SESSIONS_CLOSE = 'completed-sessions-close';
const DEFAULT_HISTORY_LIMIT = 8000;

/**
 * One workflow per session carries the whole journey: plan and generate images, wait for the
 * person to approve them, plan and generate clips, wait for their choice and order, wait for the
 * composition, make music and render. A failed step parks the session in `failed` until `retry`,
 * which resumes at that step; assets that are ready are never made (or paid for) again.
 */
export async function sessionWorkflow(input: SessionWorkflowInput): Promise<SessionState> {
  // The chain's start time, not the clock: the same in every attempt of the first workflow task,
  // so a `state` query (which may read an attempt that is later retried) always agrees.
  const state: SessionState =
    input.resume ?? initialState(input, workflowInfo().startTime.toISOString());
  const acts = activityProxies(input);
  /** The model each capability last used, to name it when a later call fails. */
  const knownModels: Record<string, string | undefined> = {};
  let stepScope: CancellationScope | undefined;
  /** Set while handing over to a new run, so long-polls answer at once instead of blocking it. */
  let continuingAsNew = false;

  const touch = () => {
    state.version += 1;
    state.updatedAt = new Date().toISOString();
  };
  const moveTo = (stage: Stage) => {
    state.stage = stage;
    state.progress = { done: 0, total: 0, fraction: 0 };
    touch();
  };

  registerHandlers();

  try {
    await sync();
    // What the machine does in each stage; every other stage waits for a person or has ended.
    const machineSteps: Partial<Record<Stage, () => Promise<void>>> = {
      planning_images: planImages,
      generating_images: generateImages,
      planning_scenes: planScenes,
      generating_clips: generateClips,
      generating_music: generateMusic,
      rendering: render,
    };
    for (;;) {
      const machineStep = machineSteps[state.stage];
      if (machineStep) {
        await step(state.stage, machineStep);
        continue;
      }
      switch (state.stage) {
        case 'completed':
          // A finished ad's workflow completes: the session lives on in the database, and acting
          // on it again starts a new run from its stored state (input `resume`). Runs from before
          // this change waited here for a person, so their histories replay that way.
          if (patched(COMPLETED_SESSIONS_CLOSE)) {
            await finish();
            // An action taken while the run was finishing is carried out before it ends.
            if (state.stage === 'completed') return state;
            break;
          }
          if (!(await waitForPerson())) return await finish();
          break;
        case 'awaiting_image_approval':
        case 'awaiting_clip_approval':
        case 'awaiting_composition':
        case 'failed':
          if (!(await waitForPerson())) return await finish();
          break;
        case 'cancelled':
        case 'expired':
          return await finish();
      }
    }
  } catch (error) {
    // Cancelling the workflow itself (e.g. from Temporal UI) ends the session cleanly.
    if (isCancellation(error)) {
      moveTo('cancelled');
      return await CancellationScope.nonCancellable(finish);
    }
    throw error;
  }

  // ---- human steps -------------------------------------------------------------------------

  /** Waits until a person moves the session on; false when it sat idle too long. */
  async function waitForPerson(): Promise<boolean> {
    await maybeContinueAsNew();
    const waitingIn = state.stage;
    const version = state.version;
    const acted = await condition(
      () => state.stage !== waitingIn || state.version !== version,
      input.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    );
    if (acted) return true;
    // A finished ad stays `completed` when its workflow closes; anything else expires.
    if (state.stage !== 'completed') moveTo('expired');
    return false;
  }

  async function finish(): Promise<SessionState> {
    await sync();
    await condition(allHandlersFinished);
    return state;
  }

  async function maybeContinueAsNew() {
    const info = workflowInfo();
    if (
      info.continueAsNewSuggested ||
      info.historyLength > (input.historyLimit ?? DEFAULT_HISTORY_LIMIT)
    ) {
      continuingAsNew = true;
      await condition(allHandlersFinished);
      log.info('continuing as new', { historyLength: info.historyLength });
      await continueAsNew<typeof sessionWorkflow>({ ...input, resume: state });
    }
  }

  function registerHandlers() {
    setHandler(messages.stateQuery, () => state);
    // Unused by our clients (they poll the query); kept so histories that hold it still replay.
    setHandler(
      messages.awaitChangeUpdate,
      async ({ afterVersion, timeoutMs }) => {
        await condition(() => state.version > afterVersion || continuingAsNew, timeoutMs ?? 60_000);
        return state;
      },
      {
        validator: (args: messages.AwaitChangeArgs | undefined) => {
          if (typeof args?.afterVersion !== 'number')
            throw validate.invalidArgs('afterVersion must be a number.');
        },
      },
    );

    /** Registers one human action as an update (validated before it enters history) and as a
     * signal for operators (validated in the handler, invalid ones are logged and dropped). */
    const bind = <A>(
      update: UpdateDefinition<SessionState, [A]>,
      signal: SignalDefinition<[A]>,
      check: (current: SessionState, args: A) => void,
      apply: (args: A) => void,
    ) => {
      setHandler(
        update,
        (args: A) => {
          apply(args);
          return state;
        },
        { validator: (args: A) => check(state, args) },
      );
      setHandler(signal, (args: A) => {
        try {
          check(state, args);
        } catch (error) {
          log.warn('ignored an invalid signal', {
            signal: signal.name,
            error: failureMessage(error),
          });
          return;
        }
        apply(args);
      });
    };

    bind(
      messages.approveImagesUpdate,
      messages.approveImagesSignal,
      validate.validateApproveImages,
      (args) => {
        state.approvedImageIds = [...args.imageIds];
        state.videoPrompt = args.videoPrompt.trim();
        moveTo('planning_scenes');
      },
    );
    bind(
      messages.approveClipsUpdate,
      messages.approveClipsSignal,
      validate.validateApproveClips,
      (args) => {
        state.approvedClipIds = [...args.clipIds];
        moveTo('awaiting_composition');
      },
    );
    bind(messages.composeUpdate, messages.composeSignal, validate.validateCompose, (args) => {
      state.composition = {
        productName: args.productName.trim(),
        callToAction: args.callToAction.trim(),
        tagline: args.tagline?.trim() || undefined,
        colors: { ...args.colors },
        music: { ...args.music },
      };
      const needsMusic =
        args.music.enabled &&
        (state.music?.status !== 'ready' || state.music.genre !== args.music.genre);
      moveTo(needsMusic ? 'generating_music' : 'rendering');
    });
    /** Marks an asset replaced and puts a pending successor in its place (a new seed gives a new
     * variation of the same shot); the generation step then makes only that one. */
    const replaceWithNew = (
      list: AssetView[],
      id: string,
      prompt: string | undefined,
      next: Partial<AssetView>,
    ) => {
      const old = list.find((a) => a.id === id);
      if (!old) return;
      old.status = 'replaced';
      list.splice(list.indexOf(old), 0, {
        id: uuid4(),
        type: old.type,
        status: 'pending',
        prompt: prompt?.trim() || old.prompt,
        seed: (old.seed ?? 0) + 1,
        costUsd: 0,
        ...next,
      });
    };
    bind(
      messages.regenerateImageUpdate,
      messages.regenerateImageSignal,
      validate.validateRegenerateImage,
      (args) => {
        const old = state.images.find((i) => i.id === args.imageId);
        replaceWithNew(state.images, args.imageId, args.prompt, { view: old?.view });
        state.approvedImageIds = state.approvedImageIds.filter((id) => id !== args.imageId);
        moveTo('generating_images');
      },
    );
    bind(
      messages.regenerateClipUpdate,
      messages.regenerateClipSignal,
      validate.validateRegenerateClip,
      (args) => {
        const old = state.clips.find((c) => c.id === args.clipId);
        replaceWithNew(state.clips, args.clipId, args.prompt, {
          sourceImageId: old?.sourceImageId,
          motion: nextMotion(old?.motion),
        });
        state.approvedClipIds = state.approvedClipIds.filter((id) => id !== args.clipId);
        moveTo('generating_clips');
      },
    );
    bind(messages.retryUpdate, messages.retrySignal, validate.validateRetry, (args) => {
      const failedAt = state.lastError?.stage ?? 'planning_images';
      if (args?.budgetUsd !== undefined)
        state.options = { ...state.options, budgetUsd: args.budgetUsd };
      let resumeAt: Stage = failedAt;
      if (args?.productPrompt !== undefined && args.productPrompt.trim() !== state.productPrompt) {
        // A new product prompt means new shots: images not yet made are planned again.
        state.productPrompt = args.productPrompt.trim();
        if (failedAt === 'planning_images' || failedAt === 'generating_images') {
          state.images = state.images.filter(
            (i) => i.status === 'ready' || i.status === 'replaced',
          );
          resumeAt = 'planning_images';
        }
      }
      if (args?.videoPrompt !== undefined && args.videoPrompt.trim() !== state.videoPrompt) {
        state.videoPrompt = args.videoPrompt.trim();
        if (failedAt === 'planning_scenes' || failedAt === 'generating_clips') {
          state.clips = state.clips.filter((c) => c.status === 'ready' || c.status === 'replaced');
          resumeAt = 'planning_scenes';
        }
      }
      state.lastError = undefined;
      moveTo(resumeAt);
    });

    setHandler(messages.cancelSignal, () => {
      if (state.stage === 'cancelled' || state.stage === 'expired') return;
      moveTo('cancelled');
      stepScope?.cancel();
    });
  }

  // ---- machine steps -----------------------------------------------------------------------

  /**
   * Runs one machine step in its own cancellation scope. A failure (after the activity's own
   * retries) parks the session in `failed`, naming the stage, provider, model and reason.
   */
  async function step(stage: Stage, run: () => Promise<void>) {
    try {
      await CancellationScope.cancellable(async () => {
        stepScope = CancellationScope.current();
        await run();
      });
    } catch (error) {
      if (state.stage === 'cancelled') return;
      if (isCancellation(error)) throw error;
      const code = failureCode(error);
      const capability = CAPABILITY_OF[stage];
      state.lastError = {
        stage,
        code,
        message: failureMessage(error),
        provider: state.options.provider,
        model: capability ? modelOf(capability) : undefined,
        retryable: !NEEDS_CHANGE.includes(code),
        at: new Date().toISOString(),
      };
      log.warn('step failed', { stage, code, detail: failureDetail(error) });
      moveTo('failed');
    } finally {
      stepScope = undefined;
    }
    await sync();
  }

  async function planImages() {
    guardBudget('planner', 1);
    // Made before the call (the same place in the uuid sequence as before), so a retried planning
    // activity resumes the provider job it started.
    const jobId = uuid4();
    const plan = await acts.planning.planShots({
      sessionId: state.sessionId,
      jobId,
      tier: state.options.tier,
      prompt: state.productPrompt,
      count: state.options.imageCount,
      aspectRatio: state.options.aspectRatio,
      seed: state.seed,
    });
    await payForPlan('planning_images', `plan-shots:${jobId}`, plan);
    state.seed = plan.seed;
    state.style = plan.style;
    state.product = plan.product;
    state.shots = plan.shots;
    // Images already made (e.g. before a prompt change) are kept; the plan fills the rest.
    const kept = live(state.images).filter((i) => i.status === 'ready').length;
    for (const shot of plan.shots.slice(kept)) {
      state.images.push({
        id: uuid4(),
        type: 'image',
        status: 'pending',
        view: shot.view,
        prompt: shot.prompt,
        seed: plan.seed,
        costUsd: 0,
      });
    }
    moveTo('generating_images');
  }

  async function generateImages() {
    state.images = await retireReplaced(state.images);
    const todo = pending(state.images);
    const { seed, style, product } = requirePlan();
    // The product is cut out of the photo once and every image is made around it (sessions that
    // started before the local studio could cut out keep pasting the photo as it is).
    const cutsOut =
      state.productPhotoKey !== undefined &&
      (state.options.provider !== 'local' || patched(LOCAL_CUTOUT_PATCH));
    if (cutsOut && todo.length > 0 && state.productCutout?.status !== 'ready') {
      await cutOutProduct(state.productPhotoKey!);
    }
    guardBudget(cutsOut && state.options.provider !== 'local' ? 'edit' : 'image', todo.length);
    await generateEach(todo, 'generating_images', 'image', state.images, (image) =>
      acts.media.generateImage({
        sessionId: state.sessionId,
        assetId: image.id,
        prompt: image.prompt ?? '',
        view: image.view ?? 'front',
        seed: image.seed ?? seed,
        style,
        product,
        aspectRatio: state.options.aspectRatio,
        tier: state.options.tier,
        productPhotoKey: state.productCutout?.storageKey ?? state.productPhotoKey,
      }),
    );
    moveTo('awaiting_image_approval');
  }

  async function cutOutProduct(photoKey: string) {
    guardBudget('cutout', 1);
    const cutout: AssetView = state.productCutout ?? {
      id: uuid4(),
      type: 'image',
      status: 'pending',
      costUsd: 0,
    };
    state.productCutout = cutout;
    const [made] = await generateEach([cutout], 'generating_images', 'cutout', [], () =>
      acts.media.cutoutProductPhoto({
        sessionId: state.sessionId,
        assetId: cutout.id,
        photoKey,
        tier: state.options.tier,
      }),
    );
    state.productCutout = made;
  }

  async function planScenes() {
    guardBudget('planner', 1);
    const { style, product } = requirePlan();
    await acts.records.addToMoodBoard({ userId: state.userId, assetIds: state.approvedImageIds });
    const approved = state.approvedImageIds
      .map((id) => state.images.find((i) => i.id === id))
      .filter((i): i is AssetView => i !== undefined);
    const jobId = uuid4();
    const plan = await acts.planning.planScenes({
      sessionId: state.sessionId,
      jobId,
      tier: state.options.tier,
      videoPrompt: state.videoPrompt ?? '',
      product,
      style,
      images: approved.map((i) => ({ id: i.id, view: i.view ?? 'front', prompt: i.prompt ?? '' })),
    });
    await payForPlan('planning_scenes', `plan-scenes:${jobId}`, plan);
    // Clips already made from the same image survive a re-plan; the rest are planned anew.
    const made = new Set(
      live(state.clips)
        .filter((c) => c.status === 'ready')
        .map((c) => c.sourceImageId),
    );
    state.clips = state.clips.filter((c) => c.status === 'ready' || c.status === 'replaced');
    plan.scenes.forEach((scene, index) => {
      if (made.has(scene.imageId)) return;
      state.clips.push({
        id: uuid4(),
        type: 'clip',
        status: 'pending',
        sourceImageId: scene.imageId,
        motion: scene.motion,
        prompt: scene.prompt,
        seed: (state.seed ?? 0) + index,
        costUsd: 0,
      });
    });
    moveTo('generating_clips');
  }

  async function generateClips() {
    state.clips = await retireReplaced(state.clips);
    const todo = pending(state.clips);
    guardBudget('clip', todo.length);
    await generateEach(todo, 'generating_clips', 'clip', state.clips, (clip) => {
      const source = state.images.find((i) => i.id === clip.sourceImageId);
      if (!source)
        throw ApplicationFailure.nonRetryable('The clip has no source image', 'INTERNAL');
      return acts.clips.generateClip({
        sessionId: state.sessionId,
        assetId: clip.id,
        sourceImage: source,
        motion: clip.motion ?? 'zoom_in',
        prompt: clip.prompt ?? '',
        seed: clip.seed ?? 0,
        aspectRatio: state.options.aspectRatio,
        tier: state.options.tier,
      });
    });
    moveTo('awaiting_clip_approval');
  }

  async function generateMusic() {
    const composition = state.composition;
    if (!composition) throw ApplicationFailure.nonRetryable('Nothing to compose', 'INVALID_STATE');
    guardBudget('music', 1);
    const previous = state.music;
    const music: AssetView = {
      id: uuid4(),
      type: 'music',
      status: 'pending',
      genre: composition.music.genre,
      seed: state.seed ?? 0,
      costUsd: 0,
    };
    const made = await generateEach([music], 'generating_music', 'music', [], () =>
      acts.media.generateMusic({
        sessionId: state.sessionId,
        assetId: music.id,
        genre: composition.music.genre,
        durationSeconds: MUSIC_SECONDS,
        seed: state.seed ?? 0,
        tier: state.options.tier,
      }),
    );
    if (previous)
      await acts.records.recordAsset({
        sessionId: state.sessionId,
        asset: { ...previous, status: 'replaced' },
      });
    state.music = made[0];
    moveTo('rendering');
  }

  async function render() {
    const composition = state.composition;
    if (!composition) throw ApplicationFailure.nonRetryable('Nothing to render', 'INVALID_STATE');
    const clips = state.approvedClipIds
      .map((id) => state.clips.find((c) => c.id === id))
      .filter((c): c is AssetView => c?.status === 'ready');
    const finalId = uuid4();
    state.progress = { done: 0, total: 1, fraction: 0 };
    touch();
    await sync();
    const started = Date.now();
    const final = await acts.render.renderVideo({
      sessionId: state.sessionId,
      assetId: finalId,
      clips,
      music: composition.music.enabled ? state.music : undefined,
      composition,
      aspectRatio: state.options.aspectRatio,
    });
    await acts.records.recordAsset({ sessionId: state.sessionId, asset: final });
    if (state.final) {
      await acts.records.recordAsset({
        sessionId: state.sessionId,
        asset: { ...state.final, status: 'replaced' },
      });
    }
    await acts.records.recordCost({
      sessionId: state.sessionId,
      stage: 'rendering',
      agent: 'renderer',
      provider: 'ffmpeg',
      model: final.model ?? 'ffmpeg',
      costUsd: 0,
      durationMs: Date.now() - started,
      success: true,
      idempotencyKey: `${state.sessionId}:${finalId}`,
    });
    state.final = final;
    moveTo('completed');
  }

  /**
   * Generates assets in parallel. Each success is recorded and paid for once; the first failure
   * is rethrown after every sibling has settled, so finished siblings are kept.
   */
  async function generateEach(
    todo: AssetView[],
    stage: Stage,
    agent: string,
    list: AssetView[],
    make: (asset: AssetView) => Promise<AssetView>,
  ): Promise<AssetView[]> {
    for (const asset of todo) {
      asset.status = 'generating';
      asset.error = undefined;
    }
    state.progress = assetProgress(list);
    touch();
    await sync();
    const results = await Promise.allSettled(
      todo.map(async (asset) => {
        const started = Date.now();
        try {
          const made = { ...(await make(asset)), status: 'ready' as const };
          // What earlier failed attempts of this asset cost is in the ledger already.
          const newlyPaid = Math.max(0, made.costUsd - asset.costUsd);
          await acts.records.recordAsset({ sessionId: state.sessionId, asset: made });
          await acts.records.recordCost({
            sessionId: state.sessionId,
            stage,
            agent,
            provider: made.provider ?? state.options.provider,
            model: made.model ?? 'unknown',
            costUsd: newlyPaid,
            durationMs: made.generationMs ?? Date.now() - started,
            success: true,
            idempotencyKey: `${state.sessionId}:${made.id}`,
          });
          addCost(state, stage, newlyPaid);
          knownModels[agent] = made.model;
          replaceAsset(list, made);
          state.progress = assetProgress(list);
          touch();
          await sync();
          return made;
        } catch (error) {
          if (isCancellation(error)) throw error;
          // A provider may bill a failed run (GPU time): the failure says what the asset cost.
          const spent = Math.max(asset.costUsd, failureCost(error));
          const newlyPaid = spent - asset.costUsd;
          const failed = {
            ...asset,
            status: 'failed' as const,
            error: failureMessage(error),
            costUsd: spent,
          };
          replaceAsset(list, failed);
          addCost(state, stage, newlyPaid);
          await acts.records
            .recordCost({
              sessionId: state.sessionId,
              stage,
              agent,
              provider: state.options.provider,
              model: knownModels[agent] ?? agent,
              costUsd: newlyPaid,
              durationMs: Date.now() - started,
              success: false,
              error: failed.error,
              idempotencyKey: `${state.sessionId}:${asset.id}:failed:${uuid4()}`,
            })
            .catch(() => undefined);
          throw error;
        }
      }),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    return results.map((r) => (r as PromiseFulfilledResult<AssetView>).value);
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** Counts a planning call against the budget and records it in the ledger, once. */
  async function payForPlan(
    stage: Stage,
    job: string,
    plan: { provider: string; model: string; costUsd: number; durationMs: number },
  ) {
    addCost(state, stage, plan.costUsd);
    await acts.records.recordCost({
      sessionId: state.sessionId,
      stage,
      agent: 'planner',
      provider: plan.provider,
      model: plan.model,
      costUsd: plan.costUsd,
      durationMs: plan.durationMs,
      success: true,
      idempotencyKey: `${state.sessionId}:${job}`,
    });
  }

  /** Marks regenerated-away assets as replaced in the database and drops them from state. */
  async function retireReplaced(list: AssetView[]) {
    const replaced = list.filter((a) => a.status === 'replaced');
    await Promise.all(
      replaced.map((asset) => acts.records.recordAsset({ sessionId: state.sessionId, asset })),
    );
    return list.filter((a) => a.status !== 'replaced');
  }

  /** Mirrors state into the database and the session's socket room; never fails the session. */
  async function sync() {
    try {
      await acts.local.syncSession(state);
    } catch (error) {
      if (isCancellation(error)) throw error;
      log.warn('could not sync the session row', { error: failureDetail(error) });
    }
  }

  function guardBudget(capability: PricedCapability, count: number) {
    const estimate = priceOf(state.options.provider, capability, state.options.tier) * count;
    if (state.costs.totalUsd + estimate > state.options.budgetUsd + 1e-9) {
      throw ApplicationFailure.nonRetryable(
        `This step would cost about $${estimate.toFixed(2)}, which would take the session past its ` +
          `$${state.options.budgetUsd.toFixed(2)} budget ($${state.costs.totalUsd.toFixed(2)} spent).`,
        'BUDGET_EXCEEDED',
      );
    }
  }

  function requirePlan() {
    if (state.seed === undefined || !state.style || !state.product) {
      throw ApplicationFailure.nonRetryable('The shots have not been planned', 'INVALID_STATE');
    }
    return { seed: state.seed, style: state.style, product: state.product };
  }

  function modelOf(capability: PricedCapability) {
    return knownModels[capability] ?? `${state.options.provider}/${capability}`;
  }
}

const CAPABILITY_OF: Partial<Record<Stage, PricedCapability>> = {
  planning_images: 'planner',
  generating_images: 'image',
  planning_scenes: 'planner',
  generating_clips: 'clip',
  generating_music: 'music',
};

/** Failures a plain retry cannot fix: the person must change something first. */
const NEEDS_CHANGE: ErrorCode[] = ['CONTENT_POLICY', 'BUDGET_EXCEEDED', 'VALIDATION_FAILED'];

function nextMotion(current: AssetView['motion']) {
  const index = current ? CAMERA_MOVES.indexOf(current) : -1;
  return CAMERA_MOVES[(index + 1) % CAMERA_MOVES.length];
}
