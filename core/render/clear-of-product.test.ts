import { describe, expect, it } from 'vitest';
import { layoutAd } from './layout';
import type { Box } from './layout';
import { contains } from './layout';
import { layoutClearOf, lowerThirdClearOf, overlapArea } from './clear-of-product';

describe('the lower third keeps off the product', () => {
  it('keeps the layout’s own place when the product is elsewhere', () => {
    const layout = layoutAd(1080, 1920);
    const product: Box = { x: 300, y: 1000, width: 500, height: 500 };
    expect(lowerThirdClearOf(layout, [product])).toEqual(layout.lowerThird.box);
  });

  it.each([
    ['9:16', 1080, 1920],
    ['16:9', 1920, 1080],
    ['1:1', 1080, 1080],
  ])('moves off a product under its place, inside the safe area (%s)', (_, w, h) => {
    const layout = layoutAd(w, h);
    const own = layout.lowerThird.box;
    // A product sitting right where the line would go.
    const product: Box = {
      x: own.x + own.width / 4,
      y: own.y,
      width: own.width / 3,
      height: own.height,
    };
    const box = lowerThirdClearOf(layout, [product]);
    expect(overlapArea(box, product)).toBe(0);
    expect(contains(layout.safe, box)).toBe(true);
    expect(layoutClearOf(layout, [product]).lowerThird.box).toEqual(box);
  });

  it('covers the least of the product when no place is clear', () => {
    const layout = layoutAd(1080, 1920);
    const everywhere: Box = { ...layout.safe };
    const small: Box = { x: layout.safe.x, y: layout.safe.y, width: 100, height: 100 };
    const box = lowerThirdClearOf(layout, [everywhere, small]);
    expect(overlapArea(box, small)).toBe(0);
  });
});
