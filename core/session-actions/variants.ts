import * as schemas from '../actions';
import { businessFailure } from '../errors';
import { variantPartner } from '../variants';
import { assetsBeingChosen, generationStage } from './assets';
import { defineAction, invalid } from './entry';

/** The stages in which a person chooses among images or clips. */
const CHOOSING = ['awaiting_image_approval', 'awaiting_clip_approval'] as const;

/** Makes one failed image or clip again, the same shot with the same seed. */
export const retryAsset = defineAction({
  schema: schemas.retryAsset,
  stages: CHOOSING,
  verb: 'retry one image or clip',
  check(state, { assetId }) {
    const asset = assetsBeingChosen(state).find((a) => a.id === assetId);
    if (!asset) throw invalid(`No image or clip ${assetId} in this step.`);
    if (asset.status !== 'failed') throw invalid('Only a failed image or clip can be retried.');
    if (asset.errorCode === 'CONTENT_POLICY') {
      throw businessFailure(
        'CONTENT_POLICY',
        'The provider refused this prompt. Make it again with a changed prompt instead.',
      );
    }
  },
  apply(state, { assetId }, tools) {
    const asset = assetsBeingChosen(state).find((a) => a.id === assetId);
    if (!asset) return;
    asset.status = 'pending';
    asset.error = undefined;
    asset.errorCode = undefined;
    tools.moveTo(generationStage(state));
  },
  route: {
    path: '/sessions/{id}/assets/{assetId}/retry',
    summary: 'Make one failed image or clip again, alone (the same shot and seed)',
    assetParam: 'assetId',
  },
});

/** Of an asset and its regenerated variant, keeps this one and drops the other. */
export const keepVariant = defineAction({
  schema: schemas.keepVariant,
  stages: CHOOSING,
  verb: 'choose between variants',
  check(state, { assetId }) {
    const assets = assetsBeingChosen(state);
    const asset = assets.find((a) => a.id === assetId);
    if (!asset) throw invalid(`No image or clip ${assetId} in this step.`);
    if (asset.status !== 'ready') throw invalid('Keep a variant once it is ready.');
    if (!variantPartner(assets, asset)) throw invalid('This image or clip has no variant to drop.');
  },
  apply(state, { assetId }, tools) {
    const list = assetsBeingChosen(state);
    const kept = list.find((a) => a.id === assetId);
    const dropped = kept && variantPartner(list, kept);
    if (!dropped) return;
    dropped.status = 'replaced';
    // Clips that continued the dropped one (a chained scene) continue the kept one instead.
    for (const asset of list) {
      if (asset.continuesFromId === dropped.id) asset.continuesFromId = kept.id;
    }
    state.approvedImageIds = state.approvedImageIds.filter((id) => id !== dropped.id);
    state.approvedClipIds = state.approvedClipIds.filter((id) => id !== dropped.id);
    // The generation step retires the dropped one (in the database too) and makes nothing new.
    tools.moveTo(generationStage(state));
  },
  route: {
    path: '/sessions/{id}/assets/{assetId}/keep',
    summary: 'Of an image or clip and its regenerated variant, keep this one and drop the other',
    assetParam: 'assetId',
  },
});
