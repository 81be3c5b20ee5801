import { describe, expect, it } from 'vitest';
import { ASPECT_RATIOS } from '../options';
import { frameSize } from '../sizes';
import { introRulePosition, layerPositions, type PlacedLayer } from './positions';
import { contains, layoutAd, safeZone } from './layout';
import { LINE_HEIGHT_EM, fitText, textWidthEm, wrapText } from './text';
import { LAYER_NAMES, planTextLayers } from './text-plan';
import type { LayerName, TextLayerSpec } from './text-plan';

const COLOURS = { primary: '#14213d', accent: '#fca311', text: '#ffffff' };

const TEXTS = {
  short: { productName: 'Aero', callToAction: 'Shop now', lowerThird: 'Light.' },
  long: {
    productName: 'The AirRun Pro Ultralight Trail Running Shoe, Limited Edition 2026',
    callToAction:
      'Order today at airrun.example and get free shipping plus a thirty day no-questions return',
    lowerThird: 'Lighter than ever, faster than before, made from recycled ocean plastic — really',
  },
  cjk: {
    productName: '超轻跑鞋专业版限量款',
    callToAction: '立即购买，全场包邮，三十天无理由退货，先到先得，售完即止',
    lowerThird: '更轻更快更环保',
  },
  mixed: {
    productName: 'سماعات 🎧 Café',
    callToAction: 'اشترِ الآن 🔥 واحصل على شحن مجاني لكل الطلبات اليوم فقط',
    lowerThird: '你好 مرحبا 🎧',
  },
} as const;

/** The largest block a spec can produce by the plan's own estimate, plate included. */
function estimatedSize(spec: TextLayerSpec) {
  const pad = spec.plate?.padding ?? 0;
  const widest = Math.max(...spec.lines.map((line) => textWidthEm(line)));
  return {
    width: Math.ceil(widest * spec.fontSize + 2 * pad),
    height: Math.ceil(spec.lines.length * spec.fontSize * LINE_HEIGHT_EM + 2 * pad),
  };
}

describe('safe zones', () => {
  it('keeps the 9:16 text clear of the platform bands and the action column', () => {
    const zone = safeZone(1080, 1920);
    expect(zone.y).toBeGreaterThanOrEqual(Math.round(1920 * 0.14));
    expect(zone.y + zone.height).toBeLessThanOrEqual(Math.round(1920 * 0.65));
    expect(zone.x).toBeGreaterThanOrEqual(Math.round(1080 * 0.06));
    expect(zone.x + zone.width).toBeLessThanOrEqual(1080 - 130);
  });

  it('puts the 9:16 line over the clips at the top, above the middle of the product', () => {
    const layout = layoutAd(1080, 1920);
    const box = layout.lowerThird.box;
    expect(box.y).toBe(layout.safe.y);
    // The studio stands products on a floor at 80 % of the height, at most 62 % tall: a short
    // product is well below this line, and a tall one is crossed at most near its top.
    expect(box.y + box.height).toBeLessThanOrEqual(1920 * (0.8 - 0.62 / 2));
  });

  it.each(ASPECT_RATIOS)('puts every text slot of a %s ad inside its safe zone', (aspect) => {
    const { width, height } = frameSize(aspect);
    const layout = layoutAd(width, height);
    for (const name of LAYER_NAMES) expect(contains(layout.safe, layout[name].box)).toBe(true);
  });

  for (const aspect of ASPECT_RATIOS) {
    for (const [kind, texts] of Object.entries(TEXTS)) {
      it(`places ${kind} text of a ${aspect} ad inside the safe zone`, () => {
        const { width, height } = frameSize(aspect);
        const layout = layoutAd(width, height);
        const specs = planTextLayers(layout, texts, COLOURS);
        const layers = Object.fromEntries(
          specs.map((spec, inputIndex) => {
            // Whatever the drawing's size, the rasteriser caps it at the box; use both bounds.
            const size = estimatedSize(spec);
            const placed: PlacedLayer = {
              name: spec.name,
              inputIndex,
              width: Math.min(size.width, spec.box.width),
              height: Math.min(size.height, spec.box.height),
            };
            return [spec.name, placed];
          }),
        ) as Record<LayerName, PlacedLayer>;
        const positions = layerPositions({ layout, layers });
        for (const name of LAYER_NAMES) {
          expect(contains(layout.safe, positions[name]), name).toBe(true);
          expect(contains(layout[name].box, positions[name]), name).toBe(true);
        }
        expect(contains(layout.safe, introRulePosition({ layout, layers }))).toBe(true);
        for (const spec of specs) {
          expect(spec.lines.length).toBeGreaterThan(0);
          expect(spec.fontSize).toBeGreaterThanOrEqual(layout[spec.name].minSize);
        }
      });
    }
  }
});

describe('fitText', () => {
  const box = { width: 800, height: 400 };
  const sizes = { preferred: 80, min: 32, maxLines: 2 };

  it('keeps a short line on one line at the preferred size', () => {
    expect(fitText('Shop now', box, sizes)).toEqual({ fontSize: 80, lines: ['Shop now'] });
  });

  it('wraps a long line to two lines before it shrinks', () => {
    const text = 'Shop the whole new summer range';
    const oneLine = Math.floor(box.width / textWidthEm(text));
    const fitted = fitText(text, box, sizes);
    expect(fitted.lines).toHaveLength(2);
    expect(fitted.fontSize).toBeGreaterThan(oneLine);
    expect(fitted.lines.join(' ')).toBe(text);
  });

  it('never goes below the floor, even for an 80-character call to action', () => {
    const text = 'Order today and get free shipping plus a thirty day no-questions-asked return!!!';
    expect(text).toHaveLength(80);
    const fitted = fitText(text, { width: 600, height: 200 }, sizes);
    expect(fitted.fontSize).toBe(32);
    expect(fitted.lines.length).toBeGreaterThan(2);
  });

  it('breaks CJK between any two characters and keeps words whole elsewhere', () => {
    const lines = wrapText('立即购买全场包邮三十天无理由退货', 8);
    expect(lines.length).toBe(2);
    expect(lines.join('')).toBe('立即购买全场包邮三十天无理由退货');
    expect(wrapText('alpha beta gamma', 5)).toEqual(['alpha', 'beta', 'gamma']);
  });
});
