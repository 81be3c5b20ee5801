import * as schemas from '../actions';
import { refuseSecondVariant, regenerate, requireReady } from './assets';
import { defineAction, invalid } from './entry';

/** Approves two or more images with the video prompt; the scenes are planned next. */
export const approveImages = defineAction({
  schema: schemas.approveImages,
  stages: ['awaiting_image_approval'],
  verb: 'approve images',
  check(state, { imageIds }) {
    requireReady(state.images, imageIds, 'image');
  },
  apply(state, { imageIds, videoPrompt }, tools) {
    state.approvedImageIds = [...imageIds];
    state.videoPrompt = videoPrompt;
    tools.moveTo('planning_scenes');
  },
  route: {
    path: '/sessions/{id}/images/approve',
    summary: 'Approve two or more images and describe the video',
  },
});

/** Makes one image again, beside the old one, which the person then keeps or drops. */
export const regenerateImage = defineAction({
  schema: schemas.regenerateImage,
  stages: ['awaiting_image_approval'],
  verb: 'regenerate an image',
  check(state, { imageId }) {
    const image = state.images.find((i) => i.id === imageId);
    if (!image) throw invalid(`No image ${imageId} in this session.`);
    refuseSecondVariant(state.images, image);
  },
  apply(state, { imageId, prompt }, tools) {
    const old = state.images.find((i) => i.id === imageId);
    regenerate(state.images, imageId, prompt, { view: old?.view, role: old?.role }, tools);
    state.approvedImageIds = state.approvedImageIds.filter((id) => id !== imageId);
    tools.moveTo('generating_images');
  },
  route: {
    path: '/sessions/{id}/images/{assetId}/regenerate',
    summary: 'Make one image again (pays for one image)',
    assetParam: 'imageId',
  },
});
