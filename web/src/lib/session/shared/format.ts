import { roleLabel } from '../plan/roles';
import type { AssetView } from '#core/session.ts';

export const pct = (fraction: number) => `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;

/** What an image shows: its shot's name when the studio gave one (a photo's set), else its view. */
export const viewName = (asset: AssetView | undefined) => {
  const name = asset?.shotName ?? asset?.view;
  return name ? name[0]!.toUpperCase() + name.slice(1) : 'Image';
};

/** "Hook · zoom in": the clip's beat (when planned with one) and its camera move. */
export const moveName = (asset: AssetView) =>
  [roleLabel(asset), asset.continuesFromId ? 'continued' : asset.motion?.replace('_', ' ')]
    .filter(Boolean)
    .join(' · ') || 'clip';

export const seconds = (value: number) => `${value.toFixed(1)} s`;
