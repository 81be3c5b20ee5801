import * as schemas from '../actions';
import { businessFailure } from '../errors';
import type { Stage } from '../stages';
import { defineAction, invalid } from './entry';

/**
 * Retries the step that failed, optionally with a changed prompt or a higher budget (which a
 * content-policy or budget failure needs), or (after the music failed) without music.
 */
export const retry = defineAction({
  schema: schemas.retry,
  stages: ['failed'],
  verb: 'retry',
  check(state, args) {
    const error = state.lastError;
    if (args.withoutMusic && error?.stage !== 'generating_music') {
      throw invalid('Going on without music is offered only when the music failed.');
    }
    if (error?.code === 'PRODUCT_UNCLEAR') {
      // The same photo gives the same refusal: the fix is another photo or the person's marks.
      throw businessFailure(
        'PRODUCT_UNCLEAR',
        'The product could not be told apart in the photo. Mark the product with a box, upload another photo, or upload a transparent PNG of it.',
      );
    }
    if (error?.code === 'CONTENT_POLICY') {
      const changed =
        (args.productPrompt !== undefined && args.productPrompt !== state.productPrompt) ||
        (args.videoPrompt !== undefined && args.videoPrompt !== state.videoPrompt);
      if (!changed) {
        throw businessFailure(
          'CONTENT_POLICY',
          'The provider rejected the prompt. Change the prompt, then retry.',
        );
      }
    }
    if (error?.code === 'BUDGET_EXCEEDED') {
      if (args.budgetUsd === undefined || args.budgetUsd <= state.options.budgetUsd) {
        throw businessFailure(
          'BUDGET_EXCEEDED',
          'The budget is spent. Raise the budget, then retry.',
        );
      }
    }
  },
  apply(state, args, tools) {
    const failedAt = state.lastError?.stage ?? 'planning_images';
    if (args.withoutMusic && state.composition) {
      state.composition = {
        ...state.composition,
        music: { ...state.composition.music, enabled: false },
      };
      state.lastError = undefined;
      tools.moveTo('rendering');
      return;
    }
    if (args.budgetUsd !== undefined)
      state.options = { ...state.options, budgetUsd: args.budgetUsd };
    let resumeAt: Stage = failedAt;
    if (args.productPrompt !== undefined && args.productPrompt !== state.productPrompt) {
      // A new product prompt means new shots: images not yet made are planned again.
      state.productPrompt = args.productPrompt;
      if (failedAt === 'planning_images' || failedAt === 'generating_images') {
        state.images = state.images.filter((i) => i.status === 'ready' || i.status === 'replaced');
        resumeAt = 'planning_images';
      }
    }
    if (args.videoPrompt !== undefined && args.videoPrompt !== state.videoPrompt) {
      state.videoPrompt = args.videoPrompt;
      if (failedAt === 'planning_scenes' || failedAt === 'generating_clips') {
        state.clips = state.clips.filter((c) => c.status === 'ready' || c.status === 'replaced');
        resumeAt = 'planning_scenes';
      }
    }
    state.lastError = undefined;
    tools.moveTo(resumeAt);
  },
  route: {
    path: '/sessions/{id}/retry',
    summary: 'Retry the step that failed (optionally with a changed prompt or a higher budget)',
  },
});
