import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
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
} from '../core/actions';
import type { SessionState } from '../core/session';

/**
 * Every message the session workflow accepts. The API uses the updates (it needs an answer and
 * the new state); operators use the same actions as signals from Temporal UI or the CLI.
 */

// The argument types come from the one schema per action in core/actions.ts.
export type {
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
} from '../core/actions';

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

export const approvePlanUpdate = defineUpdate<SessionState, [ApprovePlanArgs]>('approvePlan');
export const replaceProductPhotoUpdate = defineUpdate<SessionState, [ReplaceProductPhotoArgs]>(
  'replaceProductPhoto',
);
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
export const retryAssetUpdate = defineUpdate<SessionState, [RetryAssetArgs]>('retryAsset');
export const reorderClipsUpdate = defineUpdate<SessionState, [ReorderClipsArgs]>('reorderClips');
export const exportAspectUpdate = defineUpdate<SessionState, [ExportAspectArgs]>('exportAspect');
export const keepVariantUpdate = defineUpdate<SessionState, [KeepVariantArgs]>('keepVariant');

export const approvePlanSignal = defineSignal<[ApprovePlanArgs]>('approvePlanSignal');
export const replaceProductPhotoSignal = defineSignal<[ReplaceProductPhotoArgs]>(
  'replaceProductPhotoSignal',
);
export const approveImagesSignal = defineSignal<[ApproveImagesArgs]>('approveImagesSignal');
export const approveClipsSignal = defineSignal<[ApproveClipsArgs]>('approveClipsSignal');
export const composeSignal = defineSignal<[ComposeArgs]>('composeSignal');
export const regenerateImageSignal = defineSignal<[RegenerateImageArgs]>('regenerateImageSignal');
export const regenerateClipSignal = defineSignal<[RegenerateClipArgs]>('regenerateClipSignal');
export const retrySignal = defineSignal<[RetryArgs]>('retrySignal');
export const retryAssetSignal = defineSignal<[RetryAssetArgs]>('retryAssetSignal');
export const reorderClipsSignal = defineSignal<[ReorderClipsArgs]>('reorderClipsSignal');
export const exportAspectSignal = defineSignal<[ExportAspectArgs]>('exportAspectSignal');
export const keepVariantSignal = defineSignal<[KeepVariantArgs]>('keepVariantSignal');
export const cancelSignal = defineSignal<[{ reason?: string }?]>('cancel');
