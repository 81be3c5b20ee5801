import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { MusicGenre } from '../core/options';
import type { SessionState } from '../core/session';

/**
 * Every message the session workflow accepts. The API uses the updates (it needs an answer and
 * the new state); operators use the same actions as signals from Temporal UI or the CLI.
 */

export interface ApproveImagesArgs {
  imageIds: string[];
  videoPrompt: string;
}
export interface ApproveClipsArgs {
  /** Approved clips in the order they play. */
  clipIds: string[];
}
export interface ComposeArgs {
  productName: string;
  callToAction: string;
  tagline?: string | undefined;
  colors: { primary: string; accent: string; text: string };
  music: { enabled: boolean; genre: MusicGenre };
}
export interface RegenerateImageArgs {
  imageId: string;
  /** A changed prompt for this image; the shot's prompt when absent. */
  prompt?: string | undefined;
}
export interface RegenerateClipArgs {
  clipId: string;
  prompt?: string | undefined;
}
export interface RetryArgs {
  /** A changed product prompt (needed after a content-policy rejection at the image stages). */
  productPrompt?: string | undefined;
  /** A changed video prompt (after a content-policy rejection at the clip stages). */
  videoPrompt?: string | undefined;
  /** A raised budget (after the budget guard stopped the session). */
  budgetUsd?: number | undefined;
}

export const stateQuery = defineQuery<SessionState>('state');

export interface AwaitChangeArgs {
  /** Answer once the state's version is past this one. */
  afterVersion: number;
  /** Answer with the unchanged state after this long. */
  timeoutMs?: number | undefined;
}
/**
 * Long-poll for the next change of state. Nothing calls it any more: every call landed in
 * history, so clients now poll `stateQuery` (workflows/client.ts waitForState). The handler stays
 * registered because committed histories (test/histories/session-v1.json) contain these calls
 * and must still replay.
 */
export const awaitChangeUpdate = defineUpdate<SessionState, [AwaitChangeArgs]>('awaitChange');

export const approveImagesUpdate = defineUpdate<SessionState, [ApproveImagesArgs]>('approveImages');
export const approveClipsUpdate = defineUpdate<SessionState, [ApproveClipsArgs]>('approveClips');
export const composeUpdate = defineUpdate<SessionState, [ComposeArgs]>('compose');
export const regenerateImageUpdate = defineUpdate<SessionState, [RegenerateImageArgs]>(
  'regenerateImage',
);
export const regenerateClipUpdate = defineUpdate<SessionState, [RegenerateClipArgs]>(
  'regenerateClip',
);
export const retryUpdate = defineUpdate<SessionState, [RetryArgs]>('retry');

export const approveImagesSignal = defineSignal<[ApproveImagesArgs]>('approveImagesSignal');
export const approveClipsSignal = defineSignal<[ApproveClipsArgs]>('approveClipsSignal');
export const composeSignal = defineSignal<[ComposeArgs]>('composeSignal');
export const regenerateImageSignal = defineSignal<[RegenerateImageArgs]>('regenerateImageSignal');
export const regenerateClipSignal = defineSignal<[RegenerateClipArgs]>('regenerateClipSignal');
export const retrySignal = defineSignal<[RetryArgs]>('retrySignal');
export const cancelSignal = defineSignal<[{ reason?: string }?]>('cancel');
