import type { AssetView } from '#core/session.ts';

/**
 * The other of a regenerated pair: the variant made from this asset, or the one it was made
 * from. Both are shown side by side until the person keeps one (the workflow's keepVariant).
 */
export function variantPartner(assets: readonly AssetView[], asset: AssetView) {
  return assets.find(
    (a) =>
      a.status !== 'replaced' &&
      a.id !== asset.id &&
      (a.variantOf === asset.id || asset.variantOf === a.id),
  );
}
