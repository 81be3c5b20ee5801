import type { AdLayout, Box } from './layout';
import { formatKind } from './layout';

/**
 * Keeps the lower third off the product. The layout's own place for it comes first; when the
 * product (in any clip shown while the line is up) would sit under it, the line moves to another
 * place inside the safe area, and when every place touches the product, to the one that covers
 * least of it. Pure: boxes in pixels of the ad's frame.
 */

/** How far text keeps from the product's box, as a share of the frame's short side. */
export const PRODUCT_MARGIN = 0.02;

export function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function grow(box: Box, by: number): Box {
  return { x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by };
}

/** The places a lower third may take in this format, the layout's own first. */
export function lowerThirdCandidates(layout: AdLayout): Box[] {
  const { safe } = layout;
  const own = layout.lowerThird.box;
  const top = safe.y;
  const bottom = safe.y + safe.height - own.height;
  const middle = Math.round(safe.y + (safe.height - own.height) / 2);
  const right = safe.x + safe.width - own.width;
  const at = (x: number, y: number): Box => ({ ...own, x: Math.round(x), y: Math.round(y) });
  const kind = formatKind(layout.frame.width, layout.frame.height);
  const places =
    kind === 'landscape'
      ? [at(own.x, own.y), at(right, bottom), at(own.x, top), at(right, top)]
      : [at(own.x, own.y), at(own.x, top), at(own.x, bottom), at(own.x, middle)];
  return places.filter(
    (box, i) => places.findIndex((other) => other.x === box.x && other.y === box.y) === i,
  );
}

/** The lower third's box: the first place clear of every product box, else the least covering. */
export function lowerThirdClearOf(layout: AdLayout, products: readonly Box[]): Box {
  const margin = Math.round(Math.min(layout.frame.width, layout.frame.height) * PRODUCT_MARGIN);
  const grown = products.map((p) => grow(p, margin));
  const covered = (box: Box) => grown.reduce((sum, p) => sum + overlapArea(p, box), 0);
  let best = layout.lowerThird.box;
  let bestCovered = Infinity;
  for (const box of lowerThirdCandidates(layout)) {
    const c = covered(box);
    if (c === 0) return box;
    if (c < bestCovered) {
      best = box;
      bestCovered = c;
    }
  }
  return best;
}

/** The layout with its lower third moved clear of the product's boxes. */
export function layoutClearOf(layout: AdLayout, products: readonly Box[]): AdLayout {
  if (products.length === 0) return layout;
  const box = lowerThirdClearOf(layout, products);
  return { ...layout, lowerThird: { ...layout.lowerThird, box } };
}
