import { businessFailure } from '../core/errors';
import { MUSIC_GENRES } from '../core/options';
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

const LIMITS = { prompt: 1000, productName: 60, callToAction: 80, tagline: 80 } as const;
const HEX = /^#[0-9a-fA-F]{6}$/;

const invalid = (message: string) => businessFailure('VALIDATION_FAILED', message);
export const invalidArgs = invalid;
const wrongStage = (state: SessionState, action: string) =>
  businessFailure('INVALID_STATE', `Cannot ${action} while the session is ${state.stage}.`, {
    stage: state.stage,
  });

function requireStage(state: SessionState, allowed: readonly Stage[], action: string) {
  if (!allowed.includes(state.stage)) throw wrongStage(state, action);
}

function requireText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw invalid(`${field} is required.`);
  if (value.length > max) throw invalid(`${field} must be at most ${max} characters.`);
  return value.trim();
}

function requireIds(value: unknown, field: string, min: number): string[] {
  if (!Array.isArray(value) || value.some((id) => typeof id !== 'string')) {
    throw invalid(`${field} must be a list of ids.`);
  }
  const ids = value as string[];
  if (ids.length < min) throw invalid(`Choose at least ${min} for ${field}.`);
  if (new Set(ids).size !== ids.length) throw invalid(`${field} lists an id twice.`);
  return ids;
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
  const ids = requireIds(args?.imageIds, 'imageIds', 2);
  requireReady(state.images, ids, 'image');
  requireText(args.videoPrompt, 'videoPrompt', LIMITS.prompt);
}

export function validateApproveClips(state: SessionState, args: ApproveClipsArgs) {
  requireStage(state, ['awaiting_clip_approval'], 'approve clips');
  const ids = requireIds(args?.clipIds, 'clipIds', 1);
  requireReady(state.clips, ids, 'clip');
}

export function validateCompose(state: SessionState, args: ComposeArgs) {
  requireStage(state, ['awaiting_composition', 'completed'], 'compose the ad');
  requireText(args?.productName, 'productName', LIMITS.productName);
  requireText(args.callToAction, 'callToAction', LIMITS.callToAction);
  if (args.tagline !== undefined && args.tagline !== '') {
    requireText(args.tagline, 'tagline', LIMITS.tagline);
  }
  const colors = args.colors as Record<string, unknown> | undefined;
  for (const name of ['primary', 'accent', 'text']) {
    if (typeof colors?.[name] !== 'string' || !HEX.test(colors[name])) {
      throw invalid(`colors.${name} must be a colour like #1a2b3c.`);
    }
  }
  if (typeof args.music?.enabled !== 'boolean')
    throw invalid('music.enabled must be true or false.');
  if (!(MUSIC_GENRES as readonly string[]).includes(args.music.genre)) {
    throw invalid(`music.genre must be one of ${MUSIC_GENRES.join(', ')}.`);
  }
}

export function validateRegenerateImage(state: SessionState, args: RegenerateImageArgs) {
  requireStage(state, ['awaiting_image_approval'], 'regenerate an image');
  const image = state.images.find((i) => i.id === args?.imageId);
  if (!image) throw invalid(`No image ${String(args?.imageId)} in this session.`);
  if (args.prompt !== undefined) requireText(args.prompt, 'prompt', LIMITS.prompt);
}

export function validateRegenerateClip(state: SessionState, args: RegenerateClipArgs) {
  requireStage(state, ['awaiting_clip_approval'], 'regenerate a clip');
  const clip = state.clips.find((c) => c.id === args?.clipId);
  if (!clip) throw invalid(`No clip ${String(args?.clipId)} in this session.`);
  if (args.prompt !== undefined) requireText(args.prompt, 'prompt', LIMITS.prompt);
}

export function validateRetry(state: SessionState, args: RetryArgs | undefined) {
  requireStage(state, ['failed'], 'retry');
  const error = state.lastError;
  if (args?.productPrompt !== undefined)
    requireText(args.productPrompt, 'productPrompt', LIMITS.prompt);
  if (args?.videoPrompt !== undefined) requireText(args.videoPrompt, 'videoPrompt', LIMITS.prompt);
  if (args?.budgetUsd !== undefined) {
    if (typeof args.budgetUsd !== 'number' || !(args.budgetUsd > 0) || args.budgetUsd > 10_000) {
      throw invalid('budgetUsd must be a positive number up to 10000.');
    }
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
