import { PRODUCT_VIEWS } from '../../../core/options';
import type { BeatRole, ProductView } from '../../../core/options';
import type { ProductSpec } from '../types';
import type { ProductKind } from './parse-prompt';
import { isProductKind } from './parse-prompt';

/**
 * Writes the per-view image prompts. They are full sentences a real image model could use; the
 * local renderer also reads two of their keywords (detail feature, lifestyle setting), so the
 * 7th and 8th shots, which repeat a view, come out as a different picture.
 */

/** Close-up features per kind: the first for the first detail shot, the second for a repeat. */
export const DETAIL_FEATURES: Record<ProductKind, readonly [string, string]> = {
  shoe: ['laces and side stripe', 'sole and heel'],
  bottle: ['cap', 'label'],
  watch: ['dial', 'crown and strap'],
  headphones: ['ear cup', 'headband'],
  bag: ['clasp', 'strap'],
  mug: ['handle', 'rim'],
  phone: ['camera', 'screen'],
  lipstick: ['bullet', 'case'],
  jar: ['lid', 'label'],
  box: ['logo', 'edge'],
};

export const LIFESTYLE_SETTINGS = [
  'on a pedestal with sculptural props',
  'on the floor beside soft props',
];

const VIEW_PHRASES: Record<Exclude<ProductView, 'detail' | 'lifestyle'>, string> = {
  front: 'front view, straight-on, centred in frame',
  side: 'side profile view, full silhouette',
  back: 'back view, showing the rear design',
  top: 'top-down view from directly above',
};

/** Views in shot order: the six views once, then a second lifestyle and a second detail. */
export function viewsFor(count: number): ProductView[] {
  const extra: ProductView[] = ['lifestyle', 'detail'];
  return Array.from({ length: count }, (_, i) =>
    i < PRODUCT_VIEWS.length
      ? (PRODUCT_VIEWS[i] as ProductView)
      : (extra[(i - PRODUCT_VIEWS.length) % extra.length] as ProductView),
  );
}

function viewPhrase(view: ProductView, kind: ProductKind, repeat: number): string {
  if (view === 'detail') return `macro close-up of the ${DETAIL_FEATURES[kind][repeat % 2]}`;
  if (view === 'lifestyle') return `lifestyle scene, ${LIFESTYLE_SETTINGS[repeat % 2]}`;
  return VIEW_PHRASES[view];
}

/** What the shot must do for its beat (the local renderer reads none of these words). */
export const ROLE_PHRASES: Record<BeatRole, string> = {
  hook: 'an eye-catching opening frame that makes people stop scrolling',
  reveal: 'the hero reveal of the whole product',
  feature: 'one quality of the product shown clearly',
  lifestyle: 'the product at home in everyday life',
  call_to_action: 'a confident closing hero frame with calm space around the product',
};

/**
 * The shot's own prompt: subject, view and beat. The session's style (lighting, camera,
 * palette, mood, grade, backdrop) is not written in: it is applied to every prompt when the
 * image is made, so an edit of the style in the plan review reaches every shot.
 */
export function writeShotPrompt(
  product: ProductSpec,
  view: ProductView,
  repeat: number,
  role: BeatRole,
): string {
  const kind = isProductKind(product.kind) ? product.kind : 'box';
  const subject = `${product.colourName} ${product.name}`;
  return [
    `Commercial product photograph of ${subject} in ${product.material} (${product.colourHex})`,
    viewPhrase(view, kind, repeat),
    ROLE_PHRASES[role],
    'sharp focus, clean composition, advertising quality, no text, no watermark',
  ].join('; ');
}
