import type { ModelTier, ProviderName } from './options';

/**
 * The one price table (USD per call). The workflow uses it for quotes and the budget guard
 * before each paid stage; activities report what a call actually cost.
 */
export const PRICE_TABLE = {
  local: {
    planner: { draft: 0, standard: 0, premium: 0 },
    image: { draft: 0, standard: 0, premium: 0 },
    clip: { draft: 0, standard: 0, premium: 0 },
    music: { draft: 0, standard: 0, premium: 0 },
  },
  replicate: {
    // Llama-class planning calls cost a fraction of a cent.
    planner: { draft: 0.001, standard: 0.001, premium: 0.002 },
    // flux-schnell, flux-dev, flux-1.1-pro
    image: { draft: 0.003, standard: 0.025, premium: 0.04 },
    // stable-video-diffusion, then current image-to-video models
    clip: { draft: 0.2, standard: 0.8, premium: 1.5 },
    // musicgen
    music: { draft: 0.05, standard: 0.08, premium: 0.1 },
  },
} as const satisfies Record<ProviderName, Record<string, Record<ModelTier, number>>>;

export type PricedCapability = keyof (typeof PRICE_TABLE)['local'];

export function priceOf(provider: ProviderName, capability: PricedCapability, tier: ModelTier) {
  return PRICE_TABLE[provider][capability][tier];
}

/** Rounds money to 1/10000 of a dollar, as stored. */
export const roundUsd = (usd: number) => Math.round(usd * 10_000) / 10_000;

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
}): Quote {
  const p = (c: PricedCapability) => priceOf(input.provider, c, input.tier);
  const planner = 2 * p('planner');
  const images = input.imageCount * p('image');
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
