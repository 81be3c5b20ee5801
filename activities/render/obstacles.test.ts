import { describe, expect, it } from 'vitest';
import { layerPositions, introRulePosition, type PlacedLayer } from '../../core/render/positions';
import { layoutAd } from '../../core/render/layout';
import { USUAL_PRODUCT_ZONE, productBoxInFrame, screenObstacles } from './obstacles';
import { LAYER_NAMES, type LayerName } from '../../core/render/text-plan';
import { planTimeline } from '../../core/render/timeline';

describe('what the captions keep clear of', () => {
  const frame = { width: 1080, height: 1920 };
  const layout = layoutAd(frame.width, frame.height);
  const layers = Object.fromEntries(
    LAYER_NAMES.map((name) => [name, { name, inputIndex: 0, width: 400, height: 100 }]),
  ) as Record<LayerName, PlacedLayer>;
  const style = { layout, layers };
  const textBoxes = { ...layerPositions(style), introRule: introRulePosition(style) };
  const timeline = planTimeline({
    clipDurations: [3, 3],
    introSeconds: 1.5,
    outroSeconds: 2,
    crossfadeSeconds: 0.5,
    minTotal: 8,
    maxTotal: 8,
  });

  it('the product of each clip while it plays, carried through a reframe', () => {
    const box = { x: 0.4, y: 0.3, w: 0.2, h: 0.5 };
    const obstacles = screenObstacles({
      timeline,
      clips: [{ productBox: box }, { width: 1920, height: 1080, productBox: box }],
      frame,
      textBoxes,
      lowerThird: { start: 1.7, end: 6 },
    });
    const products = obstacles.filter((o) => o.what === 'the product');
    expect(products).toHaveLength(2);
    expect(products[0]!.box).toEqual({ x: 432, y: 576, width: 216, height: 960 });
    expect(products[0]!.startSeconds).toBe(timeline.segments[1]!.startSeconds);
    // A landscape clip in a portrait ad: the crop window centres the product in the frame.
    const reframed = products[1]!.box;
    expect(reframed.x + reframed.width / 2).toBeCloseTo(540, -1);
    expect(obstacles.map((o) => o.what)).toEqual(
      expect.arrayContaining([
        'the title',
        'the closing name',
        'the call to action',
        'the lower third',
      ]),
    );
  });

  it('where the studio stands its product, for clips that carry no box', () => {
    const obstacles = screenObstacles({
      timeline,
      clips: [{}, {}],
      frame,
      textBoxes,
      lowerThird: { start: 1.7, end: 6 },
    });
    const guessed = obstacles.filter((o) => o.what === 'where the product usually stands');
    expect(guessed).toHaveLength(2);
    expect(guessed[0]!.box).toEqual(
      productBoxInFrame({ productBox: USUAL_PRODUCT_ZONE.portrait }, frame),
    );
  });
});
