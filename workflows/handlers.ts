import { condition, log, setHandler, uuid4 } from '@temporalio/workflow';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { CAMERA_MOVES } from '../core/options';
import type { AssetView, SessionState } from '../core/session';
import type { Stage } from '../core/stages';
import type { SessionContext } from './context';
import * as messages from './messages';
import { failureMessage } from './state';
import * as validate from './validation';

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
    };
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
      replaceWithNew(state.images, args.imageId, args.prompt, { view: old?.view });
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
      replaceWithNew(state.clips, args.clipId, args.prompt, {
        sourceImageId: old?.sourceImageId,
        motion: nextMotion(old?.motion),
      });
      state.approvedClipIds = state.approvedClipIds.filter((id) => id !== args.clipId);
      ctx.moveTo('generating_clips');
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

  setHandler(messages.cancelSignal, () => {
    if (state.stage === 'cancelled' || state.stage === 'expired') return;
    ctx.moveTo('cancelled');
    ctx.stepScope?.cancel();
  });
}

/** Marks an asset replaced and puts a pending successor in its place (a new seed gives a new
 * variation of the same shot); the generation step then makes only that one. */
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
