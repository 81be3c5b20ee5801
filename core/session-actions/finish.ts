import * as schemas from '../actions';
import { resolveVoiceover, voiceoverProblem } from '../voiceover';
import { defineAction, invalid, wrongStage } from './entry';

/** Sets the text, colours and music, and renders (making music first when it is needed). */
export const compose = defineAction({
  schema: schemas.compose,
  // After a failed render the person may change the composition (a shorter voiceover, say).
  stages: ['awaiting_composition', 'completed', 'failed'],
  verb: 'compose the ad',
  check(state, { voice }) {
    if (state.stage === 'failed' && state.lastError?.stage !== 'rendering') {
      throw wrongStage(state, 'compose the ad');
    }
    const { provider, durationSeconds } = state.options;
    const problem = voiceoverProblem(resolveVoiceover(voice, provider), provider, durationSeconds);
    if (problem) throw invalid(`voice: ${problem}`);
  },
  apply(state, args, tools) {
    state.composition = {
      productName: args.productName,
      callToAction: args.callToAction,
      tagline: args.tagline || undefined,
      colors: { ...args.colors },
      music: { ...args.music },
      voice: resolveVoiceover(args.voice, state.options.provider),
    };
    state.exportTarget = undefined;
    // A render that failed (a voiceover too long, say) is composed again from the failed state.
    state.lastError = undefined;
    const needsMusic =
      args.music.enabled &&
      (state.music?.status !== 'ready' || state.music.genre !== args.music.genre);
    tools.moveTo(needsMusic ? 'generating_music' : 'rendering');
  },
  route: {
    path: '/sessions/{id}/compose',
    summary: 'Set the text, colours and music, and render (again)',
  },
});

/** Renders the finished ad again in another format, from the same clips. */
export const exportAspect = defineAction({
  schema: schemas.exportAspect,
  stages: ['completed'],
  verb: 'export the ad in another format',
  check(state, { aspectRatio }) {
    if (aspectRatio === state.options.aspectRatio) {
      throw invalid(`The ad is already ${aspectRatio}; choose another format.`);
    }
  },
  apply(state, { aspectRatio }, tools) {
    state.exportTarget = aspectRatio;
    tools.moveTo('rendering');
  },
  route: {
    path: '/sessions/{id}/export',
    summary:
      'Render the finished ad in another format from the same clips (nothing is generated or paid)',
  },
});
