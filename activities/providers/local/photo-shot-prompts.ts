import type { ProductView } from '../../../core/options';
import type { ProductSpec } from '../types';
import { PHOTO_RECIPES, recipeIndex } from './photo-shots';

/**
 * Shot prompts for a session made from a product photo. One photo shows one side of the product,
 * so the prompt never promises a side, back or top view: it names the set the offline studio
 * starts that shot from (photo-shots.ts, the same name the image tile shows) and describes it in
 * words that read back as that same set, so the prompt the person reviews is the picture they get.
 */

/** What each set looks like around the product, keyed by the set's name. */
export const SET_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'studio sweep, wide': 'small in a wide frame on a seamless paper sweep, bright light from above',
  'warm window light, close':
    'close on a wooden table, warm window light from the left, a small plant beside it',
  'low-key spotlight, rim lit':
    'on a stone floor against a dark backdrop, one spotlight from the right tracing its edges',
  'on a plinth, soft overhead light':
    'on a concrete plinth, soft light from overhead, a few spheres beside it',
  'close crop, soft bokeh': 'filling the frame, before a warm blurred background',
  'lifestyle tabletop, left third':
    'in the left third on a linen tablecloth, bright light from the right, books and flowers beside it',
  'cool morning light, right third':
    'in the right third on a marble surface, cool morning light from the right, pebbles beside it',
  'evening glow, candle lit': 'on a wooden table in a warm evening glow, a lit candle to its left',
};

/** The name of the set a photo shot starts from: what photo-shots.ts draws for it. */
export function photoSetName(view: ProductView, repeat: boolean, seed: number): string {
  return PHOTO_RECIPES[recipeIndex(view, repeat, seed)]!.name;
}

/** Whether a photo shot's prompt names the set of its view's second shot (the plan's repeats). */
export function namesRepeatSet(prompt: string, view: ProductView, seed: number): boolean {
  const repeatSet = photoSetName(view, true, seed);
  return repeatSet !== photoSetName(view, false, seed) && prompt.startsWith(`${repeatSet}:`);
}

export function writePhotoShotPrompt(input: {
  product: ProductSpec;
  view: ProductView;
  repeat: boolean;
  seed: number;
  rolePhrase: string;
}): string {
  const set = photoSetName(input.view, input.repeat, input.seed);
  const subject = `${input.product.colourName} ${input.product.name}`;
  return [
    `${set}: the ${subject} from your photo, ${SET_DESCRIPTIONS[set] ?? 'on a set of its own'}`,
    input.rolePhrase,
    'the product exactly as photographed, sharp focus, no text, no watermark',
  ].join('; ');
}
