import type { z } from 'zod';
import * as actions from '../core/actions';
import { describeIssues } from '../core/actions';
import { businessFailure } from '../core/errors';
import { resolveVoiceover, voiceoverProblem } from '../core/voiceover';
import type { AssetView, SessionState } from '../core/session';
import type { Stage } from '../core/stages';
import type {
  ApproveClipsArgs,
  ApproveImagesArgs,
  ApprovePlanArgs,
  ComposeArgs,
  RegenerateClipArgs,
  RegenerateImageArgs,
  ReplaceProductPhotoArgs,
  RetryArgs,
  RetryAssetArgs,
  KeepVariantArgs,
  ExportAspectArgs,
  ReorderClipsArgs,
} from './messages';

/**
 * Checks for every human action against the current state. They run as update validators (an
 * invalid update never enters history) and inside signal handlers (operators' signals are
 * untrusted JSON). Each throws a non-retryable ApplicationFailure with a stable code.
 */

const invalid = (message: string) => businessFailure('VALIDATION_FAILED', message);
export const invalidArgs = invalid;
const wrongStage = (state: SessionState, action: string) =>
  businessFailure('INVALID_STATE', `Cannot ${action} while the session is ${state.stage}.`, {
    stage: state.stage,
  });

function requireStage(state: SessionState, allowed: readonly Stage[], action: string) {
  if (!allowed.includes(state.stage)) throw wrongStage(state, action);
}

/** Parses the arguments with the action's schema from core/actions.ts (the API's, too). */
function parse<S extends z.ZodType>(schema: S, args: unknown): z.output<S> {
  const result = schema.safeParse(args ?? {});
  if (!result.success) throw invalid(describeIssues(result.error));
  return result.data;
}

function requireReady(assets: AssetView[], ids: string[], kind: string) {
  for (const id of ids) {
    const asset = assets.find((a) => a.id === id);
    if (!asset) throw invalid(`No ${kind} ${id} in this session.`);
    if (asset.status !== 'ready') throw invalid(`The ${kind} ${id} is not ready.`);
  }
}

export function validateApprovePlan(state: SessionState, args: ApprovePlanArgs) {
  requireStage(state, ['awaiting_plan_approval'], 'approve the plan');
  const { prompts } = parse(actions.approvePlan, args);
  for (const { imageId } of prompts) {
    const image = state.images.find((i) => i.id === imageId);
    if (!image) throw invalid(`No image ${imageId} in this session.`);
    if (image.status === 'ready') throw invalid(`The image ${imageId} is made already.`);
  }
  // The person accepts the cutout along with the plan, so it must be there to see.
  if (state.productPhotoKey !== undefined && state.productCutout?.status !== 'ready') {
    throw businessFailure(
      'INVALID_STATE',
      'The product is still being cut out of the photo. Wait for the cutout, then approve.',
      { stage: state.stage },
    );
  }
}

export function validateReplaceProductPhoto(state: SessionState, args: ReplaceProductPhotoArgs) {
  requireStage(state, ['awaiting_plan_approval'], 'replace the product photo');
  const { productPhotoKey } = parse(actions.replaceProductPhoto, args);
  // Uploads live under their owner's id: a session may use only its own user's photos.
  const owner = actions.UPLOAD_KEY_PATTERN.exec(productPhotoKey)?.[1];
  if (owner !== state.userId) throw invalid('No such photo. Upload it again.');
}

export function validateApproveImages(state: SessionState, args: ApproveImagesArgs) {
  requireStage(state, ['awaiting_image_approval'], 'approve images');
  const { imageIds } = parse(actions.approveImages, args);
  requireReady(state.images, imageIds, 'image');
}

export function validateApproveClips(state: SessionState, args: ApproveClipsArgs) {
  requireStage(state, ['awaiting_clip_approval'], 'approve clips');
  const { clipIds } = parse(actions.approveClips, args);
  requireReady(state.clips, clipIds, 'clip');
}

export function validateCompose(state: SessionState, args: ComposeArgs) {
  // After a failed render the person may change the composition (a shorter voiceover...).
  const renderFailed = state.stage === 'failed' && state.lastError?.stage === 'rendering';
  if (!renderFailed) requireStage(state, ['awaiting_composition', 'completed'], 'compose the ad');
  const { voice } = parse(actions.compose, args);
  const problem = voiceoverProblem(
    resolveVoiceover(voice, state.options.provider),
    state.options.provider,
    state.options.durationSeconds,
  );
  if (problem) throw invalid(`voice: ${problem}`);
}

export function validateRegenerateImage(state: SessionState, args: RegenerateImageArgs) {
  requireStage(state, ['awaiting_image_approval'], 'regenerate an image');
  const { imageId } = parse(actions.regenerateImage, args);
  const image = state.images.find((i) => i.id === imageId);
  if (!image) throw invalid(`No image ${imageId} in this session.`);
  refuseSecondVariant(state.images, image);
}

export function validateRegenerateClip(state: SessionState, args: RegenerateClipArgs) {
  requireStage(state, ['awaiting_clip_approval'], 'regenerate a clip');
  const { clipId } = parse(actions.regenerateClip, args);
  const clip = state.clips.find((c) => c.id === clipId);
  if (!clip) throw invalid(`No clip ${clipId} in this session.`);
  refuseSecondVariant(state.clips, clip);
}

export function validateRetry(state: SessionState, args: RetryArgs | undefined) {
  requireStage(state, ['failed'], 'retry');
  const error = state.lastError;
  parse(actions.retry, args);
  if (args?.withoutMusic && error?.stage !== 'generating_music') {
    throw invalid('Going on without music is offered only when the music failed.');
  }
  if (error?.code === 'CONTENT_POLICY') {
    const changed =
      (args?.productPrompt !== undefined && args.productPrompt.trim() !== state.productPrompt) ||
      (args?.videoPrompt !== undefined && args.videoPrompt.trim() !== state.videoPrompt);
    if (!changed) {
      throw businessFailure(
        'CONTENT_POLICY',
        'The provider rejected the prompt. Change the prompt, then retry.',
      );
    }
  }
  if (error?.code === 'BUDGET_EXCEEDED') {
    if (args?.budgetUsd === undefined || args.budgetUsd <= state.options.budgetUsd) {
      throw businessFailure(
        'BUDGET_EXCEEDED',
        'The budget is spent. Raise the budget, then retry.',
      );
    }
  }
}

/** The images or clips a person is choosing among in this stage. */
function assetsBeingChosen(state: SessionState, action: string) {
  if (state.stage === 'awaiting_image_approval') return state.images;
  if (state.stage === 'awaiting_clip_approval') return state.clips;
  throw wrongStage(state, action);
}

export function validateRetryAsset(state: SessionState, args: RetryAssetArgs) {
  const assets = assetsBeingChosen(state, 'retry one image or clip');
  const { assetId } = parse(actions.retryAsset, args);
  const asset = assets.find((a) => a.id === assetId);
  if (!asset) throw invalid(`No image or clip ${assetId} in this step.`);
  if (asset.status !== 'failed') throw invalid('Only a failed image or clip can be retried.');
  if (asset.errorCode === 'CONTENT_POLICY') {
    throw businessFailure(
      'CONTENT_POLICY',
      'The provider refused this prompt. Make it again with a changed prompt instead.',
    );
  }
}

export function validateKeepVariant(state: SessionState, args: KeepVariantArgs) {
  const assets = assetsBeingChosen(state, 'choose between variants');
  const { assetId } = parse(actions.keepVariant, args);
  const asset = assets.find((a) => a.id === assetId);
  if (!asset) throw invalid(`No image or clip ${assetId} in this step.`);
  if (asset.status !== 'ready') throw invalid('Keep a variant once it is ready.');
  if (!variantPartner(assets, asset)) throw invalid('This image or clip has no variant to drop.');
}

/** The other asset of a regenerated pair: the variant made from it, or the one it was made from. */
export function variantPartner(assets: AssetView[], asset: AssetView): AssetView | undefined {
  return assets.find(
    (a) =>
      a.status !== 'replaced' &&
      a.id !== asset.id &&
      (a.variantOf === asset.id || asset.variantOf === a.id),
  );
}

/** One variant at a time: the person keeps one of a pair before asking for another. */
function refuseSecondVariant(assets: AssetView[], asset: AssetView) {
  if (variantPartner(assets, asset)) {
    throw invalid('Keep one of this pair of variants before making another.');
  }
}

export function validateExportAspect(state: SessionState, args: ExportAspectArgs) {
  requireStage(state, ['completed'], 'export the ad in another format');
  const { aspectRatio } = parse(actions.exportAspect, args);
  if (aspectRatio === state.options.aspectRatio) {
    throw invalid(`The ad is already ${aspectRatio}; choose another format.`);
  }
}

export function validateReorderClips(state: SessionState, args: ReorderClipsArgs) {
  requireStage(state, ['awaiting_clip_approval'], 'reorder the clips');
  const { clipIds } = parse(actions.reorderClips, args);
  for (const id of clipIds) {
    if (!state.clips.some((c) => c.id === id && c.status !== 'replaced'))
      throw invalid(`No clip ${id} in this session.`);
  }
}
