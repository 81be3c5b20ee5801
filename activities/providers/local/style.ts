import type { ProductSpec, StyleSpec } from '../types';
import { hexToHsl, hslToHex } from './colour';
import { createRandom, pick, subSeed } from './random';

/**
 * Chooses the session look from the seed and the product. A "look" ties lighting, mood, grade
 * and backdrop together so the random choices stay coherent (a moody grade never lands on a
 * pastel high-key set). The palette is derived from the product colour so the set harmonises.
 *
 * Palette order (most prominent first): [backdrop, backdrop shade, accent, product, highlight].
 * The local image renderer reads it in that order.
 */

type Scheme = 'tonal' | 'analogous' | 'complementary' | 'neutral' | 'dark';

interface Look {
  scheme: Scheme;
  lighting: string;
  mood: string;
  grade: string;
  backdrop: string;
}

const LOOKS: readonly Look[] = [
  {
    scheme: 'tonal',
    lighting: 'large softbox key light from the {side}, soft fill, gentle rim light',
    mood: 'fresh and uplifting',
    grade: 'clean bright grade with soft pastel highlights',
    backdrop: 'seamless paper sweep in a tonal shade of the product colour',
  },
  {
    scheme: 'analogous',
    lighting: 'soft key light from the upper {side} with a warm bounce fill',
    mood: 'playful and confident',
    grade: 'warm shadows and creamy highlights',
    backdrop: 'pastel podium set with geometric props',
  },
  {
    scheme: 'complementary',
    lighting: 'crisp key light from the {side}, bright rim light separating the product',
    mood: 'bold and energetic',
    grade: 'punchy saturated grade with clean whites',
    backdrop: 'soft gradient studio wall in a complementary colour',
  },
  {
    scheme: 'neutral',
    lighting: 'natural window light from the {side}, long soft shadows',
    mood: 'calm and premium',
    grade: 'neutral true-to-life grade with gentle contrast',
    backdrop: 'warm stone concrete floor and wall',
  },
  {
    scheme: 'dark',
    lighting: 'dramatic spotlight from the upper {side}, strong rim light, deep falloff',
    mood: 'cinematic and luxurious',
    grade: 'high-contrast grade with rich blacks and glowing highlights',
    backdrop: 'dark glossy reflective floor under a single pool of light',
  },
];

const CAMERAS = [
  '85mm product lens at eye level, f/8, tack-sharp',
  '100mm lens, slight high angle, f/11, crisp edges',
  '50mm lens, low hero angle, f/5.6, shallow background falloff',
  '70mm lens, three-quarter height, f/8, even focus',
];

function backdropColours(
  scheme: Scheme,
  productHex: string,
  random: () => number,
): [string, string, string] {
  const p = hexToHsl(productHex);
  // Greys and black/white carry no usable hue, so the set gets one from the seed instead.
  const hue = p.s < 0.1 ? pick(random, [20, 35, 200, 215, 330, 160]) : p.h;
  // Keep the backdrop clearly lighter or darker than the product so its silhouette reads.
  const light = p.l > 0.78 ? 0.7 : 0.87;
  switch (scheme) {
    case 'tonal':
      return [
        hslToHex({ h: hue, s: 0.45, l: light }),
        hslToHex({ h: hue, s: 0.35, l: light - 0.2 }),
        hslToHex({ h: hue + 20, s: 0.55, l: 0.62 }),
      ];
    case 'analogous': {
      const shift = random() < 0.5 ? -40 : 40;
      return [
        hslToHex({ h: hue + shift, s: 0.45, l: light - 0.02 }),
        hslToHex({ h: hue + shift, s: 0.35, l: light - 0.22 }),
        hslToHex({ h: hue - shift, s: 0.5, l: 0.68 }),
      ];
    }
    case 'complementary':
      return [
        hslToHex({ h: hue + 180, s: 0.35, l: light - 0.03 }),
        hslToHex({ h: hue + 180, s: 0.3, l: light - 0.25 }),
        hslToHex({ h: hue + 150, s: 0.45, l: 0.6 }),
      ];
    case 'neutral':
      return [
        hslToHex({ h: 35, s: 0.18, l: light - 0.02 }),
        hslToHex({ h: 30, s: 0.12, l: light - 0.22 }),
        hslToHex({ h: hue, s: 0.35, l: 0.7 }),
      ];
    case 'dark':
      return [
        hslToHex({ h: hue, s: 0.3, l: 0.2 }),
        hslToHex({ h: hue, s: 0.3, l: 0.07 }),
        hslToHex({ h: hue, s: 0.6, l: 0.55 }),
      ];
  }
}

export function chooseStyle(seed: number, product: ProductSpec): StyleSpec {
  const random = createRandom(subSeed(seed, `style:${product.kind}`));
  const productLightness = hexToHsl(product.colourHex).l;
  // A near-black product disappears on the dark set, so it is not offered one.
  const looks = productLightness < 0.22 ? LOOKS.filter((l) => l.scheme !== 'dark') : LOOKS;
  const look = pick(random, looks);
  const side = random() < 0.5 ? 'left' : 'right';
  const [backdrop, shade, accent] = backdropColours(look.scheme, product.colourHex, random);
  return {
    lighting: look.lighting.replace('{side}', side),
    camera: pick(random, CAMERAS),
    palette: [backdrop, shade, accent, product.colourHex, '#ffffff'],
    mood: look.mood,
    grade: look.grade,
    backdrop: look.backdrop,
  };
}
