import { CAMERA_MOVES } from '../options';
import type { AssetView, SessionState } from '../session';
import type { Stage } from '../stages';
import { variantPartner } from '../variants';
import type { ActionTools } from './entry';
import { invalid } from './entry';

/** Shared by the image and clip actions: finding, checking and regenerating assets. */

/** Every id names a ready asset of the list. */
export function requireReady(assets: AssetView[], ids: string[], kind: string) {
  for (const id of ids) {
    const asset = assets.find((a) => a.id === id);
    if (!asset) throw invalid(`No ${kind} ${id} in this session.`);
    if (asset.status !== 'ready') throw invalid(`The ${kind} ${id} is not ready.`);
  }
}

/** The images or clips a person is choosing among in this stage. */
export function assetsBeingChosen(state: SessionState) {
  return state.stage === 'awaiting_clip_approval' ? state.clips : state.images;
}

/** The generation stage that makes (and retires) the assets a person is choosing among. */
export function generationStage(state: SessionState): Stage {
  return state.stage === 'awaiting_clip_approval' ? 'generating_clips' : 'generating_images';
}

/** One variant at a time: the person keeps one of a pair before asking for another. */
export function refuseSecondVariant(assets: AssetView[], asset: AssetView) {
  if (variantPartner(assets, asset)) {
    throw invalid('Keep one of this pair of variants before making another.');
  }
}

/**
 * Puts a pending variant of an asset (a new seed, optionally a new prompt) beside it; the
 * generation step then makes only that one and the person keeps one of the two. Runs from before
 * this change replaced the asset at once, and replay that way.
 */
export function regenerate(
  list: AssetView[],
  id: string,
  prompt: string | undefined,
  next: Partial<AssetView>,
  tools: ActionTools,
) {
  if (!tools.patched('sideBySideVariants')) return replaceWithNew(list, id, prompt, next, tools);
  const old = list.find((a) => a.id === id);
  if (!old) return;
  list.splice(list.indexOf(old) + 1, 0, {
    id: tools.uuid(),
    type: old.type,
    status: 'pending',
    prompt: prompt || old.prompt,
    seed: (old.seed ?? 0) + 1,
    costUsd: 0,
    variantOf: old.id,
    ...next,
  });
}

/** Marks an asset replaced and puts a pending successor in its place (the older behaviour). */
function replaceWithNew(
  list: AssetView[],
  id: string,
  prompt: string | undefined,
  next: Partial<AssetView>,
  tools: ActionTools,
) {
  const old = list.find((a) => a.id === id);
  if (!old) return;
  old.status = 'replaced';
  list.splice(list.indexOf(old), 0, {
    id: tools.uuid(),
    type: old.type,
    status: 'pending',
    prompt: prompt || old.prompt,
    seed: (old.seed ?? 0) + 1,
    costUsd: 0,
    ...next,
  });
}

export function nextMotion(current: AssetView['motion']) {
  const index = current ? CAMERA_MOVES.indexOf(current) : -1;
  return CAMERA_MOVES[(index + 1) % CAMERA_MOVES.length];
}
