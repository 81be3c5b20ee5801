import * as schemas from '../actions';
import { nextMotion, refuseSecondVariant, regenerate, requireReady } from './assets';
import { defineAction, invalid } from './entry';

/** Approves one or more clips in the order they play; the composition comes next. */
export const approveClips = defineAction({
  schema: schemas.approveClips,
  stages: ['awaiting_clip_approval'],
  verb: 'approve clips',
  check(state, { clipIds }) {
    requireReady(state.clips, clipIds, 'clip');
  },
  apply(state, { clipIds }, tools) {
    state.approvedClipIds = [...clipIds];
    tools.moveTo('awaiting_composition');
  },
  route: {
    path: '/sessions/{id}/clips/approve',
    summary: 'Approve one or more clips, in the order they play',
  },
});

/** Keeps the person's order of the clips while they choose (nothing is made). */
export const reorderClips = defineAction({
  schema: schemas.reorderClips,
  stages: ['awaiting_clip_approval'],
  verb: 'reorder the clips',
  check(state, { clipIds }) {
    for (const id of clipIds) {
      if (!state.clips.some((c) => c.id === id && c.status !== 'replaced'))
        throw invalid(`No clip ${id} in this session.`);
    }
  },
  apply(state, { clipIds }, tools) {
    state.clipOrder = [...clipIds];
    tools.touch();
  },
  route: {
    path: '/sessions/{id}/clips/order',
    summary: "Keep the person's order of the clips while they choose (nothing is made)",
  },
});

/** Makes one clip again with the next camera move, beside the old one. */
export const regenerateClip = defineAction({
  schema: schemas.regenerateClip,
  stages: ['awaiting_clip_approval'],
  verb: 'regenerate a clip',
  check(state, { clipId }) {
    const clip = state.clips.find((c) => c.id === clipId);
    if (!clip) throw invalid(`No clip ${clipId} in this session.`);
    refuseSecondVariant(state.clips, clip);
  },
  apply(state, { clipId, prompt }, tools) {
    const old = state.clips.find((c) => c.id === clipId);
    // A variant plays the same beat and continues the same clip (in a chained scene).
    regenerate(
      state.clips,
      clipId,
      prompt,
      {
        sourceImageId: old?.sourceImageId,
        motion: nextMotion(old?.motion),
        role: old?.role,
        continuesFromId: old?.continuesFromId,
      },
      tools,
    );
    state.approvedClipIds = state.approvedClipIds.filter((id) => id !== clipId);
    tools.moveTo('generating_clips');
  },
  route: {
    path: '/sessions/{id}/clips/{assetId}/regenerate',
    summary: 'Make one clip again (pays for one clip)',
    assetParam: 'clipId',
  },
});
