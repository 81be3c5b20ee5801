import { MODEL_TIERS, type ModelTier, type ProviderName } from './options';
import { estimateCall, replicateModel, type ReplicateCapability } from './replicate-models';

/**
 * Prices per call (USD), for quotes and for the workflow's budget guard before each paid stage.
 * Replicate's come from the one model table (core/replicate-models.ts); the ledger records what
 * each call really cost.
 */
export type PricedCapability = ReplicateCapability;

/** Rounds money to 1/10000 of a dollar, as stored. */
export const roundUsd = (usd: number) => Math.round(usd * 10_000) / 10_000;

const CAPABILITIES = ['planner', 'image', 'edit', 'cutout', 'clip', 'music', 'voice'] as const;

const perTier = (price: (tier: ModelTier) => number) =>
  Object.fromEntries(MODEL_TIERS.map((tier) => [tier, price(tier)])) as Record<ModelTier, number>;

export const PRICE_TABLE: Record<
  ProviderName,
  Record<PricedCapability, Record<ModelTier, number>>
> = {
  local: Object.fromEntries(CAPABILITIES.map((c) => [c, perTier(() => 0)])) as Record<
    PricedCapability,
    Record<ModelTier, number>
  >,
  replicate: Object.fromEntries(
    CAPABILITIES.map((c) => [
      c,
      perTier((tier) => roundUsd(estimateCall(replicateModel(tier, c)))),
    ]),
  ) as Record<PricedCapability, Record<ModelTier, number>>,
};

export function priceOf(provider: ProviderName, capability: PricedCapability, tier: ModelTier) {
  return PRICE_TABLE[provider][capability][tier];
}

export interface Quote {
  planner: number;
  images: number;
  clips: number;
  music: number;
  total: number;
}

/** What a whole session is expected to cost before anything is spent. */
export function quoteSession(input: {
  provider: ProviderName;
  tier: ModelTier;
  imageCount: number;
  clipCount: number;
  music: boolean;
  /** A product photo is cut out once and every image is an edit of it. */
  withPhoto?: boolean | undefined;
}): Quote {
  const p = (c: PricedCapability) => priceOf(input.provider, c, input.tier);
  const planner = 2 * p('planner');
  const images = input.withPhoto
    ? p('cutout') + input.imageCount * p('edit')
    : input.imageCount * p('image');
  const clips = input.clipCount * p('clip');
  const music = input.music ? p('music') : 0;
  return {
    planner: roundUsd(planner),
    images: roundUsd(images),
    clips: roundUsd(clips),
    music: roundUsd(music),
    total: roundUsd(planner + images + clips + music),
  };
}
