import { ApplicationFailure, patched, uuid4 } from '@temporalio/workflow';
import { clipsPerScene } from '../../core/ad-length';
import { orderByRole } from '../../core/beats';
import { modelWords, workSummary } from '../../core/operator-view';
import type { AssetView } from '../../core/session';
import { guardBudget, requirePlan, type SessionContext } from '../context';
import { generateEach, payForPlan, retireReplaced } from '../ledger';
import { live, pending } from '../state';
import { PATCHES } from '../patches';

/** Adds the approved images to the mood board and plans a scene (a clip) for each. */
export async function planScenes(ctx: SessionContext) {
  const { state, acts } = ctx;
  guardBudget(ctx, 'planner', 1);
  const { style, product } = requirePlan(state);
  await ctx.records().addToMoodBoard({ userId: state.userId, assetIds: state.approvedImageIds });
  const approved = state.approvedImageIds
    .map((id) => state.images.find((i) => i.id === id))
    .filter((i): i is AssetView => i !== undefined);
  const jobId = uuid4();
  const plan = await acts.planning.planScenes.executeWithOptions(
    { summary: `Plan ${approved.length} scenes` },
    [
      {
        sessionId: state.sessionId,
        jobId,
        tier: state.options.tier,
        videoPrompt: state.videoPrompt ?? '',
        product,
        style,
        images: approved.map((i) => ({
          id: i.id,
          view: i.view ?? 'front',
          prompt: i.prompt ?? '',
          role: i.role,
        })),
        durationSeconds: state.options.durationSeconds,
      },
    ],
  );
  await payForPlan(ctx, 'planning_scenes', `plan-scenes:${jobId}`, plan);
  // The planner's voiceover, fitted to the ad's length: the composition step starts from it.
  if (plan.voiceover) state.voiceover = { ...plan.voiceover };
  // Clips already made from the same image survive a re-plan; the rest are planned anew.
  const made = new Set(
    live(state.clips)
      .filter((c) => c.status === 'ready')
      .map((c) => c.sourceImageId),
  );
  state.clips = state.clips.filter((c) => c.status === 'ready' || c.status === 'replaced');
  // Hook first, call to action last: the order the clips are offered and play in.
  const scenes = orderByRole(plan.scenes);
  // Ads longer than their scenes' clips chain clips (sessions with a chosen length only).
  const chained = state.options.durationSeconds !== undefined && patched(PATCHES.clipChains.id);
  const links = chained
    ? clipsPerScene(
        scenes.map((s) => s.role),
        state.options.durationSeconds!,
      )
    : scenes.map(() => 1);
  scenes.forEach((scene, index) => {
    if (made.has(scene.imageId)) return;
    let previous: AssetView | undefined;
    for (let link = 0; link < (links[index] ?? 1); link++) {
      const clip: AssetView = {
        id: uuid4(),
        type: 'clip',
        status: 'pending',
        sourceImageId: scene.imageId,
        motion: scene.motion,
        prompt: link === 0 ? scene.prompt : `${scene.prompt}; the same shot carries on`,
        role: scene.role,
        continuesFromId: previous?.id,
        seed: (state.seed ?? 0) + index + 100 * link,
        costUsd: 0,
      };
      state.clips.push(clip);
      previous = clip;
    }
  });
  ctx.moveTo('generating_clips');
}

/**
 * Animates every clip not yet ready from its source image. A clip that continues another is
 * made once that one is ready, from its last frame; clips without such a link are made together
 * in the first round (so sessions without chains make exactly the calls they always did).
 */
export async function generateClips(ctx: SessionContext) {
  const { state, acts } = ctx;
  state.clips = await retireReplaced(ctx, state.clips);
  const todo = pending(state.clips);
  guardBudget(ctx, 'clip', todo.length);
  // What a clip's answer does not carry (its scene's image, beat and chain link) is kept here and
  // set back afterwards, so an unchained clip's calls run exactly as they always did.
  const planned = new Map(todo.map((clip) => [clip.id, { ...clip }]));
  // A paid provider's clips are finished apart, on their own queue; older runs made them whole.
  const apart =
    state.options.provider !== 'local' &&
    patched(PATCHES.writesAsActivities.id) &&
    patched(PATCHES.clipsFinishedApart.id);
  const make = async (clip: AssetView, source: AssetView) => {
    const motion = clip.motion ?? 'zoom_in';
    const summary = workSummary(
      'clip',
      { index: todo.findIndex((c) => c.id === clip.id), of: todo.length },
      `${motion} on the ${source.view ?? 'front'} view`,
      modelWords(state, 'clip'),
    );
    const request = {
      sessionId: state.sessionId,
      assetId: clip.id,
      sourceImage: source,
      motion,
      prompt: clip.prompt ?? '',
      seed: clip.seed ?? 0,
      aspectRatio: state.options.aspectRatio,
      tier: state.options.tier,
      style: state.style,
    };
    if (!apart) return acts.clips.generateClip.executeWithOptions({ summary }, [request]);
    const modelClip = await acts.clips.generateModelClip.executeWithOptions({ summary }, [request]);
    return acts.finishing.finishClip.executeWithOptions(
      { summary: `Bring the clip to ${state.options.aspectRatio} at 30 fps and check the product` },
      [{ ...request, modelClip }],
    );
  };
  let waiting = todo;
  while (waiting.length > 0) {
    const round = waiting.filter((c) => !waiting.some((w) => w.id === c.continuesFromId));
    waiting = waiting.filter((c) => !round.includes(c));
    await generateEach(
      ctx,
      round,
      'generating_clips',
      'clip',
      state.clips,
      (clip) => {
        const previous = clip.continuesFromId
          ? state.clips.find((c) => c.id === clip.continuesFromId && c.status === 'ready')
          : undefined;
        if (previous) return continueFrom(ctx, clip, previous).then((frame) => make(clip, frame));
        const source = state.images.find((i) => i.id === clip.sourceImageId);
        if (!source)
          throw ApplicationFailure.nonRetryable('The clip has no source image', 'INTERNAL');
        return make(clip, source);
      },
      { keepGoing: true },
    );
    for (const clip of state.clips) {
      const plan = planned.get(clip.id);
      if (!plan) continue;
      // A chained clip was made from a frame, but it belongs to its scene's image and beat.
      clip.sourceImageId = plan.sourceImageId ?? clip.sourceImageId;
      clip.role = plan.role;
      clip.continuesFromId = plan.continuesFromId;
    }
  }
  ctx.moveTo('awaiting_clip_approval');
}

/** The last frame of the clip `clip` continues, as the still it starts from. */
function continueFrom(ctx: SessionContext, clip: AssetView, previous: AssetView) {
  return ctx.acts.clips.extractLastFrame.executeWithOptions(
    { summary: 'The last frame of the clip this one continues' },
    [{ sessionId: ctx.state.sessionId, assetId: `${clip.id}-start`, clip: previous }],
  );
}
