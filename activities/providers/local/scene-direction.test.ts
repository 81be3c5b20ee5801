import { describe, expect, it } from 'vitest';
import { offlineNotice, readSceneDirection } from './scene-direction';
import { writeShotPrompt } from './shots';
import { parseProductPrompt } from './parse-prompt';

describe('reading what a prompt asks of the set', () => {
  it('takes colours, a material, a mood and props as set direction', () => {
    const d = readSceneDirection('espresso cup on a green marble table with flowers, bright', {
      name: 'espresso cup',
    });
    expect(d.colours.map((c) => c.name)).toEqual(['green']);
    expect(d.material).toBe('marble');
    expect(d.mood).toBe('bright');
    expect(d.props).toEqual(['flowers']);
    expect(d.productAsks).toEqual([]);
    expect(offlineNotice(d)).toBeUndefined();
  });

  it('reads materials and moods by their other names', () => {
    const d = readSceneDirection('moody shot on oak with lemons and candles beside it');
    expect(d).toMatchObject({ material: 'wood', mood: 'dark', props: ['fruit', 'candle'] });
  });

  it('names what only a re-drawing of the product could change, and says so plainly', () => {
    const bamboo = readSceneDirection('serum bottle with a bamboo cap on a linen cloth', {
      name: 'serum bottle',
    });
    expect(bamboo.productAsks).toEqual(['bamboo cap']);
    expect(bamboo.material).toBe('linen');
    const amber = readSceneDirection('an amber bottle with a cork, warm terracotta backdrop', {
      name: 'serum bottle',
    });
    expect(amber.productAsks).toEqual(['amber bottle', 'cork']);
    // The terracotta is asked of the backdrop, so the set takes it.
    expect(amber.colours.map((c) => c.name)).toEqual(['terracotta']);
    expect(amber.mood).toBe('warm');
    const notice = offlineNotice(amber)!;
    expect(notice).toContain('cannot re-draw the product');
    expect(notice).toContain('“amber bottle”');
    expect(notice).toContain('“cork”');
  });

  it('does not take the planner’s own description of the product as an ask', () => {
    const product = parseProductPrompt('red espresso cup', 7);
    const prompt = writeShotPrompt(product, 'front', 0, 'hook');
    const d = readSceneDirection(prompt, product);
    expect(d.productAsks).toEqual([]);
    expect(d.colours.map((c) => c.name)).not.toContain(product.colourName);
  });

  it('is deterministic', () => {
    const prompt = 'cool blue concrete set with pebbles and a plant';
    expect(readSceneDirection(prompt)).toEqual(readSceneDirection(prompt));
  });
});
