import type { AssetView } from '../../../../../core/session';

export const pct = (fraction: number) => `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;

export const viewName = (asset: AssetView | undefined) =>
  asset?.view ? asset.view[0]!.toUpperCase() + asset.view.slice(1) : 'Image';

export const moveName = (asset: AssetView) => asset.motion?.replace('_', ' ') ?? 'clip';

export const seconds = (value: number) => `${value.toFixed(1)} s`;
