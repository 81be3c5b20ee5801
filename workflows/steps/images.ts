import { ActivityFailure, ApplicationFailure, patched, uuid4 } from '@temporalio/workflow';
import type { CutoutHints, CutoutQuality } from '../../core/cutout-quality';
import { shotsToFill } from '../../core/fill-views';
import { modelWords, workSummary } from '../../core/operator-view';
import type { AssetView } from '../../core/session';
import type { Stage } from '../../core/stages';
import { guardBudget, requirePlan, type SessionContext } from '../context';
import { generateEach, payForPlan, retireReplaced } from '../ledger';
import { failureCode, failureMessage, live, pending } from '../state';
import { PATCHES } from '../patches';

/** Plans the shots (and the style) and lists an image to make for each. */
export async function planImages(ctx: SessionContext) {
  const { state, acts } = ctx;
  guardBudget(ctx, 'planner', 1);
  await adoptMoodBoardImages(ctx);
  // Made before the call (the same place in the uuid sequence as before), so a retried planning
  // activity resumes the provider job it started.
  const jobId = uuid4();
  const plan = await acts.planning.planShots.executeWithOptions(
    { summary: `Plan ${state.options.imageCount} shots` },
    [
      {
        sessionId: state.sessionId,
        jobId,
        tier: state.options.tier,
        prompt: state.productPrompt,
        count: state.options.imageCount,
        aspectRatio: state.options.aspectRatio,
        seed: state.seed,
        // Sent only with a photo, so the planning input of a session without one is as before.
        ...(state.productPhotoKey !== undefined ? { hasPhoto: true } : {}),
      },
    ],
  );
  await payForPlan(ctx, 'planning_images', `plan-shots:${jobId}`, plan);
  state.seed = plan.seed;
  state.style = plan.style;
  state.product = plan.product;
  state.shots = plan.shots;
  // Images already made (copies from the mood board, or made before a prompt change) are kept;
  // the plan fills the rest, with the views those images lack (before this patch, the plan's
  // first shots were dropped whatever their view, so a kept top view could be made again).
  const kept = live(state.images).filter((i) => i.status === 'ready');
  const toMake =
    kept.length > 0 && patched(PATCHES.fillMissingViews.id)
      ? shotsToFill(
          plan.shots,
          kept.map((i) => i.view),
        )
      : plan.shots.slice(kept.length);
  for (const shot of toMake) {
    state.images.push({
      id: uuid4(),
      type: 'image',
      status: 'pending',
      view: shot.view,
      prompt: shot.prompt,
      role: shot.role,
      seed: plan.seed,
      costUsd: 0,
    });
  }
  // Sessions from before the review step (no such option) go straight on to the images.
  const review = state.options.reviewPlan === true && patched(PATCHES.planReview.id);
  ctx.moveTo(review ? 'awaiting_plan_approval' : 'generating_images');
}

/**
 * True while the plan review still has to show a cutout of the (new) product photo. A cutout the
 * quality gate refused (it carries the verdict) waits for the person's fix instead.
 */
export function reviewNeedsCutout(ctx: SessionContext) {
  const { state } = ctx;
  const cutout = state.productCutout;
  if (cutout?.status === 'failed' && cutout.cutoutQuality?.verdict === 'refused') return false;
  return state.productPhotoKey !== undefined && cutout?.status !== 'ready';
}

/**
 * Cuts the product out for the plan review (again, after the person uploaded another photo or
 * marked what to keep and drop). A refusal leaves the failed cutout, with the verdict in plain
 * words, at the review; runs from before that change failed the step.
 */
export async function cutOutForReview(ctx: SessionContext) {
  const { state } = ctx;
  const fixable = patched(PATCHES.reviewCutoutFixes.id);
  const previous = state.productCutout;
  if (previous?.status === 'replaced') {
    await ctx.records().recordAsset({ sessionId: state.sessionId, asset: previous });
    state.productCutout = undefined;
  }
  try {
    await cutOutProduct(
      ctx,
      state.productPhotoKey!,
      'awaiting_plan_approval',
      fixable ? state.cutoutHints : undefined,
    );
  } catch (error) {
    const quality = fixable ? refusedQuality(error) : undefined;
    if (!quality || !state.productCutout) throw error;
    state.productCutout = { ...state.productCutout, cutoutQuality: quality };
    await ctx.sync();
  }
  ctx.touch();
}

/** The quality gate's verdict that a refusal (PRODUCT_UNCLEAR) carries, if it is one. */
function refusedQuality(error: unknown): CutoutQuality | undefined {
  if (failureCode(error) !== 'PRODUCT_UNCLEAR') return undefined;
  let cause: unknown = error;
  while (cause instanceof ActivityFailure) cause = cause.cause;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const quality = cause.details?.[0] as CutoutQuality | undefined;
  return quality?.verdict === 'refused' ? quality : undefined;
}

/** Makes every image not yet ready, around the product cutout when there is a photo. */
export async function generateImages(ctx: SessionContext) {
  const { state, acts } = ctx;
  state.images = await retireReplaced(ctx, state.images);
  const todo = pending(state.images);
  const { seed, style, product } = requirePlan(state);
  // The product is cut out of the photo once and every image is made around it (sessions that
  // started before the local studio could cut out keep pasting the photo as it is).
  const cutsOut =
    state.productPhotoKey !== undefined &&
    (state.options.provider !== 'local' || patched(PATCHES.localPhotoCutout.id));
  if (cutsOut && todo.length > 0 && state.productCutout?.status !== 'ready') {
    await cutOutProduct(ctx, state.productPhotoKey!, 'generating_images');
  }
  guardBudget(ctx, cutsOut && state.options.provider !== 'local' ? 'edit' : 'image', todo.length);
  const roles = new Map(todo.map((image) => [image.id, image.role]));
  await generateEach(
    ctx,
    todo,
    'generating_images',
    'image',
    state.images,
    (image) =>
      acts.media.generateImage.executeWithOptions(
        {
          summary: workSummary(
            'image',
            { index: todo.indexOf(image), of: todo.length },
            `${image.view ?? 'front'} view`,
            modelWords(state, cutsOut ? 'edit' : 'image'),
          ),
        },
        [
          {
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
          },
        ],
      ),
    { keepGoing: true },
  );
  // The beat each shot was planned for stays with the image it became (the activity's answer
  // does not carry it). Set afterwards, so the calls and their order are exactly as before.
  for (const image of state.images) {
    const role = roles.get(image.id);
    if (role && !image.role) image.role = role;
  }
  ctx.moveTo('awaiting_image_approval');
}

async function cutOutProduct(
  ctx: SessionContext,
  photoKey: string,
  stage: Stage,
  hints?: CutoutHints,
) {
  const { state, acts } = ctx;
  guardBudget(ctx, 'cutout', 1);
  const cutout: AssetView = state.productCutout ?? {
    id: uuid4(),
    type: 'image',
    status: 'pending',
    costUsd: 0,
  };
  state.productCutout = cutout;
  const made = await generateEach(ctx, [cutout], stage, 'cutout', [], () =>
    acts.media.cutoutProductPhoto.executeWithOptions(
      { summary: 'Cut the product out of its photo' },
      [
        {
          sessionId: state.sessionId,
          assetId: cutout.id,
          photoKey,
          tier: state.options.tier,
          ...(hints ? { hints } : {}),
        },
      ],
    ),
  ).then(
    ([ready]) => ready,
    (error: unknown) => {
      // The failed cutout shows as failed (not still in the making) wherever the person fixes it.
      state.productCutout = {
        ...cutout,
        status: 'failed',
        error: failureMessage(error),
        errorCode: failureCode(error),
      };
      throw error;
    },
  );
  state.productCutout = made;
}

/** A session started from mood-board images begins with copies of them, made once and free. */
async function adoptMoodBoardImages(ctx: SessionContext) {
  const { state, input } = ctx;
  const chosen = input.moodBoardImageIds ?? [];
  if (chosen.length === 0 || state.images.length > 0) return;
  const copies = chosen.map((fromId) => ({ fromId, toId: uuid4() }));
  const adopted = await ctx.acts.records.adoptMoodBoardImages.executeWithOptions(
    { summary: `Start from ${copies.length} mood-board images` },
    [
      {
        sessionId: state.sessionId,
        userId: state.userId,
        aspectRatio: state.options.aspectRatio,
        copies,
      },
    ],
  );
  state.images.push(...adopted);
  ctx.touch();
}
