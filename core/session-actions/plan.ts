import * as schemas from '../actions';
import { businessFailure } from '../errors';
import type { SessionState } from '../session';
import type { Stage } from '../stages';
import { defineAction, invalid, wrongStage, type ActionTools } from './entry';

/**
 * Where the cutout can be fixed: at the plan review, and after a photo was refused (the step
 * failed with PRODUCT_UNCLEAR), from the same session, without paying for the plan again.
 */
const CUTOUT_FIX_STAGES: readonly Stage[] = ['awaiting_plan_approval', 'failed'];

function checkCutoutFixable(state: SessionState, verb: string) {
  if (state.stage === 'failed' && state.lastError?.code !== 'PRODUCT_UNCLEAR') {
    throw wrongStage(state, verb);
  }
}

/**
 * The old cutout makes way for a new one, made (with the marks, or from the new photo) at the plan
 * review, where the person sees it before any image is paid for.
 */
function redoCutout(state: SessionState, tools: ActionTools) {
  if (state.productCutout) state.productCutout = { ...state.productCutout, status: 'replaced' };
  state.lastError = undefined;
  tools.moveTo('awaiting_plan_approval');
}

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

/**
 * Another product photo (or a transparent PNG of the product, kept as it is) during the plan
 * review, or after a photo was refused: it is cut out again before the person is asked.
 */
export const replaceProductPhoto = defineAction({
  schema: schemas.replaceProductPhoto,
  stages: CUTOUT_FIX_STAGES,
  verb: 'replace the product photo',
  check(state, { productPhotoKey }) {
    checkCutoutFixable(state, 'replace the product photo');
    // Uploads live under their owner's id: a session may use only its own user's photos.
    const owner = schemas.UPLOAD_KEY_PATTERN.exec(productPhotoKey)?.[1];
    if (owner !== state.userId) throw invalid('No such photo. Upload it again.');
  },
  apply(state, { productPhotoKey }, tools) {
    state.productPhotoKey = productPhotoKey;
    // Marks belong to the photo they were placed on.
    state.cutoutHints = undefined;
    redoCutout(state, tools);
  },
  route: {
    path: '/sessions/{id}/plan/photo',
    summary: 'Use another uploaded product photo: it is cut out again and the plan is shown again',
  },
});

/**
 * The person's marks on the photo (what to keep, what to drop, a box around the product): the
 * cutout is redone with them and shown again at the plan review. Offered by the offline studio,
 * whose segmentation takes marks; with a paid provider the person uploads a transparent PNG.
 */
export const refineCutout = defineAction({
  schema: schemas.refineCutout,
  stages: CUTOUT_FIX_STAGES,
  verb: 'redo the cutout',
  check(state) {
    checkCutoutFixable(state, 'redo the cutout');
    if (state.productPhotoKey === undefined) throw invalid('This session has no product photo.');
    if (state.options.provider !== 'local') {
      throw invalid(
        'Marking the product is offered by the offline studio. Upload a transparent PNG of the product, or another photo.',
      );
    }
  },
  apply(state, { keep, drop, box }, tools) {
    state.cutoutHints = { keep, drop, ...(box ? { box } : {}) };
    redoCutout(state, tools);
  },
  route: {
    path: '/sessions/{id}/plan/cutout',
    summary:
      'Redo the product cutout with marks on the photo (keep, drop, a box); shown again for review',
  },
});
