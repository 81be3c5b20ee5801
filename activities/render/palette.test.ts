import { describe, expect, it } from 'vitest';
import {
  MIN_TEXT_CONTRAST,
  contrastOnPlate,
  contrastRatio,
  defaultCardColours,
} from '../../core/contrast';
import { createLocalPlanner } from '../providers/local/planner';
import { layoutAd } from '../../core/render/layout';
import { planTextLayers } from '../../core/render/text-plan';

const TEXTS = { productName: 'Aero', callToAction: 'Shop now', lowerThird: 'Light.' };

const PRODUCTS = [
  'white running shoes, light and breathable',
  'a pastel pink perfume bottle',
  'cream leather handbag',
  'yellow wireless headphones',
  'silver minimalist watch',
  'black matte phone case',
  'a mint green ceramic mug',
  'red lipstick in a gold tube',
  'glass jar of honey face cream',
  'a beige cardboard gift box',
];

describe('default card colours', () => {
  it('gives readable default card colours for ten products from the local planner', async () => {
    const planner = createLocalPlanner();
    const seen = new Set<string>();
    for (const [index, prompt] of PRODUCTS.entries()) {
      const plan = await planner.planShots({
        prompt,
        count: 3,
        aspectRatio: '9:16',
        seed: 1000 + index,
      });
      const colours = defaultCardColours(plan.style.palette, plan.product.colourHex);
      seen.add(colours.primary);
      expect(contrastRatio(colours.text, colours.primary), prompt).toBeGreaterThanOrEqual(
        MIN_TEXT_CONTRAST,
      );
      expect(contrastRatio(colours.text, colours.accent), prompt).toBeGreaterThanOrEqual(
        MIN_TEXT_CONTRAST,
      );
      // What the render draws: every layer's colour against what is behind it.
      const specs = planTextLayers(layoutAd(1080, 1920), TEXTS, colours);
      for (const spec of specs) {
        const behind = spec.plate?.colour ?? colours.primary;
        const opacity = spec.plate?.opacity ?? 1;
        expect(contrastOnPlate(spec.colour, behind, opacity), spec.name).toBeGreaterThanOrEqual(
          MIN_TEXT_CONTRAST,
        );
      }
      // The person's own text colour is kept wherever it already reads.
      expect(specs[0]?.colour).toBe(colours.text);
    }
    // The palettes really differ, so this is ten checks and not one.
    expect(seen.size).toBeGreaterThan(5);
  });
});
