import type { z } from 'zod';
import * as actions from '../core/actions';
import { describeIssues } from '../core/actions';
import { businessFailure } from '../core/errors';
import type { AssetView, SessionState } from '../core/session';
import type { Stage } from '../core/stages';
import type {
  ApproveClipsArgs,
  ApproveImagesArgs,
  ComposeArgs,
  RegenerateClipArgs,
  RegenerateImageArgs,
  RetryArgs,
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
  requireStage(state, ['awaiting_composition', 'completed'], 'compose the ad');
  parse(actions.compose, args);
}

export function validateRegenerateImage(state: SessionState, args: RegenerateImageArgs) {
  requireStage(state, ['awaiting_image_approval'], 'regenerate an image');
  const { imageId } = parse(actions.regenerateImage, args);
  if (!state.images.some((i) => i.id === imageId))
    throw invalid(`No image ${imageId} in this session.`);
}

export function validateRegenerateClip(state: SessionState, args: RegenerateClipArgs) {
  requireStage(state, ['awaiting_clip_approval'], 'regenerate a clip');
  const { clipId } = parse(actions.regenerateClip, args);
  if (!state.clips.some((c) => c.id === clipId))
    throw invalid(`No clip ${clipId} in this session.`);
}

export function validateRetry(state: SessionState, args: RetryArgs | undefined) {
  requireStage(state, ['failed'], 'retry');
  const error = state.lastError;
  parse(actions.retry, args);
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
