import type { AssetView, SessionState } from '../core/session';
import { isStorageKey } from '../storage';

const stored = (key: string | undefined): key is string => !!key && isStorageKey(key);
const readyImage = (image: AssetView | undefined) =>
  image?.status === 'ready' && stored(image.storageKey) ? image.storageKey : undefined;

/**
 * The picture that stands for a session in lists: the finished ad's poster frame, else the first
 * image the person approved, else the first image made; none while nothing is made yet.
 */
export function thumbnailKey(state: SessionState | undefined): string | undefined {
  if (!state) return undefined;
  if (state.final?.status === 'ready' && stored(state.final.posterKey))
    return state.final.posterKey;
  for (const id of state.approvedImageIds) {
    const key = readyImage(state.images.find((i) => i.id === id));
    if (key) return key;
  }
  for (const image of state.images) {
    const key = readyImage(image);
    if (key) return key;
  }
  return undefined;
}
