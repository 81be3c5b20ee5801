import * as schemas from '../actions';
import { defineAction, invalid } from './entry';

/** Sets the text, colours and music, and renders (making music first when it is needed). */
export const compose = defineAction({
  schema: schemas.compose,
  stages: ['awaiting_composition', 'completed'],
  verb: 'compose the ad',
  apply(state, args, tools) {
    state.composition = {
      productName: args.productName,
      callToAction: args.callToAction,
      tagline: args.tagline || undefined,
      colors: { ...args.colors },
      music: { ...args.music },
    };
    state.exportTarget = undefined;
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
