import { ApplicationFailure, uuid4 } from '@temporalio/workflow';
import type { AssetView } from '../../core/session';
import { guardBudget, requirePlan, type SessionContext } from '../context';
import { generateEach, payForPlan, retireReplaced } from '../ledger';
import { live, pending } from '../state';

/** Adds the approved images to the mood board and plans a scene (a clip) for each. */
export async function planScenes(ctx: SessionContext) {
  const { state, acts } = ctx;
  guardBudget(ctx, 'planner', 1);
  const { style, product } = requirePlan(state);
  await acts.records.addToMoodBoard({ userId: state.userId, assetIds: state.approvedImageIds });
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
        })),
      },
    ],
  );
  await payForPlan(ctx, 'planning_scenes', `plan-scenes:${jobId}`, plan);
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
  ctx.moveTo('generating_clips');
}

/** Animates every clip not yet ready from its source image. */
export async function generateClips(ctx: SessionContext) {
  const { state, acts } = ctx;
  state.clips = await retireReplaced(ctx, state.clips);
  const todo = pending(state.clips);
  guardBudget(ctx, 'clip', todo.length);
  await generateEach(
    ctx,
    todo,
    'generating_clips',
    'clip',
    state.clips,
    (clip) => {
      const source = state.images.find((i) => i.id === clip.sourceImageId);
      if (!source)
        throw ApplicationFailure.nonRetryable('The clip has no source image', 'INTERNAL');
      const motion = clip.motion ?? 'zoom_in';
      return acts.clips.generateClip.executeWithOptions(
        { summary: `Clip: ${motion} on the ${source.view ?? 'front'} view` },
        [
          {
            sessionId: state.sessionId,
            assetId: clip.id,
            sourceImage: source,
            motion,
            prompt: clip.prompt ?? '',
            seed: clip.seed ?? 0,
            aspectRatio: state.options.aspectRatio,
            tier: state.options.tier,
          },
        ],
      );
    },
    { keepGoing: true },
  );
  ctx.moveTo('awaiting_clip_approval');
}
