import { describe, expect, it } from 'vitest';
import { MIN_TEXT_CONTRAST, blend, contrastRatio } from '../../core/contrast';
import { ASPECT_RATIOS } from '../../core/options';
import { frameSize } from '../../core/sizes';
import { activeDuring, captionSpec, captionStyle, placeCaption, type Obstacle } from './captions';
import { contains, layoutAd } from '../../core/render/layout';

describe('caption colours', () => {
  it.each([
    { primary: '#14213d', text: '#ffffff' },
    { primary: '#808080', text: '#ffffff' },
    { primary: '#ffcc00', text: '#ffffff' },
    { primary: '#f5f5f5', text: '#111111' },
    { primary: '#3366cc', text: '#ff5fa2' },
  ])('read at 4.5:1 over black and white footage alike: %o', (colours) => {
    const style = captionStyle(colours);
    for (const footage of ['#000000', '#ffffff']) {
      const plate = blend(style.plate, footage, style.opacity);
      expect(contrastRatio(style.text, plate)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    }
  });
});

describe('caption placement', () => {
  const size = { width: 600, height: 110 };

  it.each(ASPECT_RATIOS)('%s: bottom of the safe zone when nothing is in the way', (aspect) => {
    const { width, height } = frameSize(aspect);
    const layout = layoutAd(width, height);
    const at = placeCaption(layout, size, []);
    expect(at.overlaps).toEqual([]);
    expect(contains(layout.safe, { ...at, ...size })).toBe(true);
    expect(at.y + size.height).toBe(layout.safe.y + layout.safe.height);
  });

  it.each(ASPECT_RATIOS)('%s: moves off the product and the lower third', (aspect) => {
    const { width, height } = frameSize(aspect);
    const layout = layoutAd(width, height);
    const { safe } = layout;
    const obstacles: Obstacle[] = [
      // The product stands over the lower half of the safe zone, the lower third sits on top.
      {
        box: {
          x: 0,
          y: safe.y + safe.height / 2,
          width,
          height: height - safe.y - safe.height / 2,
        },
        startSeconds: 0,
        endSeconds: 10,
        what: 'the product',
      },
      {
        box: { x: safe.x, y: safe.y, width: safe.width, height: Math.round(safe.height * 0.15) },
        startSeconds: 2,
        endSeconds: 9,
        what: 'the lower third',
      },
    ];
    const cue = { text: 'Light as air.', startSeconds: 3, endSeconds: 4 };
    const at = placeCaption(layout, size, activeDuring(obstacles, cue));
    expect(at.overlaps).toEqual([]);
    const box = { ...at, ...size };
    expect(contains(safe, box)).toBe(true);
    // Between the lower third and the product.
    expect(box.y).toBeGreaterThanOrEqual(safe.y + Math.round(safe.height * 0.15));
    expect(box.y + box.height).toBeLessThanOrEqual(safe.y + safe.height / 2);
    // Outside the lower third's window the top is free again.
    expect(activeDuring(obstacles, { ...cue, startSeconds: 0.2, endSeconds: 1.5 })).toHaveLength(1);
  });

  it('says what it could not avoid when every row is taken', () => {
    const layout = layoutAd(1920, 1080);
    const everywhere: Obstacle = {
      box: { x: 0, y: 0, width: 1920, height: 1080 },
      startSeconds: 0,
      endSeconds: 10,
      what: 'the product',
    };
    expect(placeCaption(layout, size, [everywhere]).overlaps).toEqual(['the product']);
  });

  it('fits long phrases in two lines of the slot without shrinking below the floor', () => {
    const layout = layoutAd(1080, 1920);
    const spec = captionSpec(
      'Our lightest running shoe ever, with a recycled upper',
      layout,
      captionStyle({ primary: '#14213d', text: '#ffffff' }),
    );
    expect(spec.lines.length).toBeLessThanOrEqual(2);
    expect(spec.fontSize).toBeGreaterThanOrEqual(Math.round(1080 * 0.032));
    expect(spec.plate?.opacity).toBeGreaterThan(0.5);
  });
});
