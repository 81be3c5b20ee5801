import * as schemas from '../actions';
import { businessFailure } from '../errors';
import { defineAction, invalid } from './entry';

/** Accepts the plan with the style and image prompts as the person edited them. */
export const approvePlan = defineAction({
  schema: schemas.approvePlan,
  stages: ['awaiting_plan_approval'],
  verb: 'approve the plan',
  check(state, { prompts }) {
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
  },
  apply(state, { style, prompts }, tools) {
    state.style = { ...style, palette: style.palette.map((hex) => hex.toLowerCase()) };
    for (const edit of prompts) {
      const image = state.images.find((i) => i.id === edit.imageId);
      if (image) image.prompt = edit.prompt;
    }
    tools.moveTo('generating_images');
  },
  route: {
    path: '/sessions/{id}/plan/approve',
    summary:
      'Accept the plan (and the product cutout) with the edited style and prompts; makes the images',
  },
});

/** Another product photo during the plan review: it is cut out again before the person is asked. */
export const replaceProductPhoto = defineAction({
  schema: schemas.replaceProductPhoto,
  stages: ['awaiting_plan_approval'],
  verb: 'replace the product photo',
  check(state, { productPhotoKey }) {
    // Uploads live under their owner's id: a session may use only its own user's photos.
    const owner = schemas.UPLOAD_KEY_PATTERN.exec(productPhotoKey)?.[1];
    if (owner !== state.userId) throw invalid('No such photo. Upload it again.');
  },
  apply(state, { productPhotoKey }, tools) {
    state.productPhotoKey = productPhotoKey;
    if (state.productCutout) state.productCutout = { ...state.productCutout, status: 'replaced' };
    tools.moveTo('awaiting_plan_approval');
  },
  route: {
    path: '/sessions/{id}/plan/photo',
    summary: 'Use another uploaded product photo: it is cut out again and the plan is shown again',
  },
});
