import type { AssetView } from './session';

type Paired = Pick<AssetView, 'id' | 'status' | 'variantOf'>;

/**
 * The other asset of a regenerated pair: the variant made from this asset, or the one it was
 * made from. Both are shown side by side until the person keeps one (the keepVariant action);
 * the actions and the UI ask the same question, so they read this one answer.
 */
export function variantPartner<A extends Paired>(assets: readonly A[], asset: A): A | undefined {
  return assets.find(
    (a) =>
      a.status !== 'replaced' &&
      a.id !== asset.id &&
      (a.variantOf === asset.id || asset.variantOf === a.id),
  );
}
