import { condition, log, patched, setHandler, uuid4 } from '@temporalio/workflow';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { CAMERA_MOVES } from '../core/options';
import { resolveVoiceover } from '../core/voiceover';
import type { AssetView, SessionState } from '../core/session';
import type { Stage } from '../core/stages';
import type { SessionContext } from './context';
import * as messages from './messages';
import { failureMessage } from './state';
import * as validate from './validation';
import { PATCHES } from './patches';

/** Registers the `state` query and every human action (as an update and as a signal). */
export function registerHandlers(ctx: SessionContext) {
  const { state } = ctx;
  setHandler(messages.stateQuery, () => state);
  // Unused by our clients (they poll the query); kept so histories that hold it still replay.
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
    messages.approvePlanUpdate,
    messages.approvePlanSignal,
    validate.validateApprovePlan,
    (args) => {
      const style = args.style;
      state.style = {
        lighting: style.lighting.trim(),
        camera: style.camera.trim(),
        mood: style.mood.trim(),
        grade: style.grade.trim(),
        backdrop: style.backdrop.trim(),
        palette: style.palette.map((hex) => hex.toLowerCase()),
      };
      for (const edit of args.prompts ?? []) {
        const image = state.images.find((i) => i.id === edit.imageId);
        if (image) image.prompt = edit.prompt.trim();
      }
      ctx.moveTo('generating_images');
    },
  );
  bind(
    messages.replaceProductPhotoUpdate,
    messages.replaceProductPhotoSignal,
    validate.validateReplaceProductPhoto,
    (args) => {
      state.productPhotoKey = args.productPhotoKey;
      // The review step cuts the new photo out before it asks the person again.
      if (state.productCutout) state.productCutout = { ...state.productCutout, status: 'replaced' };
      ctx.moveTo('awaiting_plan_approval');
    },
  );
  bind(
    messages.approveImagesUpdate,
    messages.approveImagesSignal,
    validate.validateApproveImages,
    (args) => {
      state.approvedImageIds = [...args.imageIds];
      state.videoPrompt = args.videoPrompt.trim();
      ctx.moveTo('planning_scenes');
    },
  );
  bind(
    messages.approveClipsUpdate,
    messages.approveClipsSignal,
    validate.validateApproveClips,
    (args) => {
      state.approvedClipIds = [...args.clipIds];
      ctx.moveTo('awaiting_composition');
    },
  );
  bind(messages.composeUpdate, messages.composeSignal, validate.validateCompose, (args) => {
    state.composition = {
      productName: args.productName.trim(),
      callToAction: args.callToAction.trim(),
      tagline: args.tagline?.trim() || undefined,
      colors: { ...args.colors },
      music: { ...args.music },
      voice: resolveVoiceover(args.voice, state.options.provider),
    };
    state.exportTarget = undefined;
    // A render that failed (a voiceover too long, say) is composed again from the failed state.
    state.lastError = undefined;
    const needsMusic =
      args.music.enabled &&
      (state.music?.status !== 'ready' || state.music.genre !== args.music.genre);
    ctx.moveTo(needsMusic ? 'generating_music' : 'rendering');
  });
  bind(
    messages.regenerateImageUpdate,
    messages.regenerateImageSignal,
    validate.validateRegenerateImage,
    (args) => {
      const old = state.images.find((i) => i.id === args.imageId);
      regenerate(state.images, args.imageId, args.prompt, { view: old?.view, role: old?.role });
      state.approvedImageIds = state.approvedImageIds.filter((id) => id !== args.imageId);
      ctx.moveTo('generating_images');
    },
  );
  bind(
    messages.regenerateClipUpdate,
    messages.regenerateClipSignal,
    validate.validateRegenerateClip,
    (args) => {
      const old = state.clips.find((c) => c.id === args.clipId);
      // A variant plays the same beat and continues the same clip (in a chained scene).
      regenerate(state.clips, args.clipId, args.prompt, {
        sourceImageId: old?.sourceImageId,
        motion: nextMotion(old?.motion),
        role: old?.role,
        continuesFromId: old?.continuesFromId,
      });
      state.approvedClipIds = state.approvedClipIds.filter((id) => id !== args.clipId);
      ctx.moveTo('generating_clips');
    },
  );
  bind(messages.retryUpdate, messages.retrySignal, validate.validateRetry, (args) => {
    const failedAt = state.lastError?.stage ?? 'planning_images';
    if (args?.withoutMusic && state.composition) {
      state.composition = {
        ...state.composition,
        music: { ...state.composition.music, enabled: false },
      };
      state.lastError = undefined;
      ctx.moveTo('rendering');
      return;
    }
    if (args?.budgetUsd !== undefined)
      state.options = { ...state.options, budgetUsd: args.budgetUsd };
    let resumeAt: Stage = failedAt;
    if (args?.productPrompt !== undefined && args.productPrompt.trim() !== state.productPrompt) {
      // A new product prompt means new shots: images not yet made are planned again.
      state.productPrompt = args.productPrompt.trim();
      if (failedAt === 'planning_images' || failedAt === 'generating_images') {
        state.images = state.images.filter((i) => i.status === 'ready' || i.status === 'replaced');
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
    ctx.moveTo(resumeAt);
  });

  /** The generation stage that makes (and retires) the assets a person is choosing among. */
  const generationStage = (): Stage =>
    state.stage === 'awaiting_clip_approval' ? 'generating_clips' : 'generating_images';
  bind(
    messages.retryAssetUpdate,
    messages.retryAssetSignal,
    validate.validateRetryAsset,
    ({ assetId }) => {
      const list = state.stage === 'awaiting_clip_approval' ? state.clips : state.images;
      const asset = list.find((a) => a.id === assetId);
      if (!asset) return;
      asset.status = 'pending';
      asset.error = undefined;
      asset.errorCode = undefined;
      ctx.moveTo(generationStage());
    },
  );
  bind(
    messages.reorderClipsUpdate,
    messages.reorderClipsSignal,
    validate.validateReorderClips,
    ({ clipIds }) => {
      state.clipOrder = [...clipIds];
      ctx.touch();
    },
  );
  bind(
    messages.exportAspectUpdate,
    messages.exportAspectSignal,
    validate.validateExportAspect,
    ({ aspectRatio }) => {
      state.exportTarget = aspectRatio;
      ctx.moveTo('rendering');
    },
  );
  bind(
    messages.keepVariantUpdate,
    messages.keepVariantSignal,
    validate.validateKeepVariant,
    ({ assetId }) => {
      const list = state.stage === 'awaiting_clip_approval' ? state.clips : state.images;
      const kept = list.find((a) => a.id === assetId);
      const dropped = kept && validate.variantPartner(list, kept);
      if (!dropped) return;
      dropped.status = 'replaced';
      // Clips that continued the dropped one (a chained scene) continue the kept one instead.
      for (const asset of list) {
        if (asset.continuesFromId === dropped.id) asset.continuesFromId = kept.id;
      }
      state.approvedImageIds = state.approvedImageIds.filter((id) => id !== dropped.id);
      state.approvedClipIds = state.approvedClipIds.filter((id) => id !== dropped.id);
      // The generation step retires the dropped one (in the database too) and makes nothing new.
      ctx.moveTo(generationStage());
    },
  );

  setHandler(messages.cancelSignal, () => {
    if (state.stage === 'cancelled' || state.stage === 'expired') return;
    ctx.moveTo('cancelled');
    ctx.stepScope?.cancel();
  });
}

/**
 * Puts a pending variant of an asset (a new seed, optionally a new prompt) beside it; the
 * generation step then makes only that one and the person keeps one of the two. Runs from before
 * this change replaced the asset at once, and replay that way.
 */
function regenerate(
  list: AssetView[],
  id: string,
  prompt: string | undefined,
  next: Partial<AssetView>,
) {
  if (!patched(PATCHES.sideBySideVariants.id)) return replaceWithNew(list, id, prompt, next);
  const old = list.find((a) => a.id === id);
  if (!old) return;
  list.splice(list.indexOf(old) + 1, 0, {
    id: uuid4(),
    type: old.type,
    status: 'pending',
    prompt: prompt?.trim() || old.prompt,
    seed: (old.seed ?? 0) + 1,
    costUsd: 0,
    variantOf: old.id,
    ...next,
  });
}

/** Marks an asset replaced and puts a pending successor in its place (the older behaviour). */
function replaceWithNew(
  list: AssetView[],
  id: string,
  prompt: string | undefined,
  next: Partial<AssetView>,
) {
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
}

function nextMotion(current: AssetView['motion']) {
  const index = current ? CAMERA_MOVES.indexOf(current) : -1;
  return CAMERA_MOVES[(index + 1) % CAMERA_MOVES.length];
}
