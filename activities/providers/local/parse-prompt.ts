import type { ProductSpec } from '../types';
import { createRandom, pick } from './random';

/**
 * Reads a product prompt with keyword tables (no language model): which colour, which kind of
 * product the local studio should draw, and what it is made of.
 */

export const PRODUCT_KINDS = [
  'shoe',
  'bottle',
  'watch',
  'headphones',
  'bag',
  'mug',
  'phone',
  'lipstick',
  'jar',
  'box',
] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** Multi-word names come first so "navy blue" wins over "blue". */
export const COLOURS: ReadonlyArray<readonly [string, string]> = [
  ['rose gold', '#b76e79'],
  ['navy blue', '#1f2f5c'],
  ['sky blue', '#7ec4ef'],
  ['forest green', '#2f5d3a'],
  ['off white', '#f2efe6'],
  ['pink', '#f06ba8'],
  ['red', '#d8262f'],
  ['crimson', '#b3122f'],
  ['orange', '#f47b20'],
  ['coral', '#ff7f66'],
  ['yellow', '#f6c931'],
  ['gold', '#d4a838'],
  ['green', '#2fa55a'],
  ['mint', '#98e0c0'],
  ['olive', '#7a7d3a'],
  ['teal', '#14897f'],
  ['turquoise', '#2ec4c4'],
  ['blue', '#2d6fd6'],
  ['navy', '#1f2f5c'],
  ['purple', '#7a3fc2'],
  ['lavender', '#b9a4e6'],
  ['burgundy', '#7a1f36'],
  ['brown', '#7b4a2c'],
  ['tan', '#c89b6d'],
  ['beige', '#dccbb0'],
  ['cream', '#f3e9d2'],
  ['silver', '#c4c9cf'],
  ['grey', '#8a8f96'],
  ['gray', '#8a8f96'],
  ['black', '#1d1d20'],
  ['white', '#f7f7f5'],
];

/** Kind keywords; the last one found in the prompt wins because English puts the head noun last. */
const KIND_WORDS: ReadonlyArray<readonly [ProductKind, readonly string[]]> = [
  [
    'shoe',
    [
      'shoe',
      'shoes',
      'sneaker',
      'sneakers',
      'trainer',
      'trainers',
      'boot',
      'boots',
      'heels',
      'loafers',
      'runners',
    ],
  ],
  [
    'bottle',
    ['bottle', 'bottles', 'perfume', 'fragrance', 'serum', 'water', 'flask', 'tumbler', 'cologne'],
  ],
  ['watch', ['watch', 'watches', 'smartwatch', 'wristwatch', 'timepiece']],
  ['headphones', ['headphones', 'headphone', 'earbuds', 'earphones', 'headset']],
  ['bag', ['bag', 'bags', 'backpack', 'handbag', 'tote', 'purse', 'satchel', 'rucksack']],
  ['mug', ['mug', 'mugs', 'cup', 'cups']],
  ['phone', ['phone', 'phones', 'smartphone', 'iphone', 'mobile']],
  ['lipstick', ['lipstick', 'lipsticks', 'lipgloss']],
  ['jar', ['jar', 'jars', 'cream', 'moisturiser', 'moisturizer', 'balm', 'cosmetic', 'cosmetics']],
];

const MATERIAL_WORDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['leather', ['leather']],
  ['suede', ['suede']],
  ['canvas', ['canvas']],
  ['mesh', ['mesh', 'knit']],
  ['metal', ['metal', 'metallic', 'steel', 'aluminium', 'aluminum', 'chrome', 'titanium']],
  ['glass', ['glass', 'crystal']],
  ['matte', ['matte', 'matt']],
  ['glossy', ['glossy', 'gloss', 'shiny', 'lacquered']],
  ['ceramic', ['ceramic', 'porcelain', 'stoneware']],
  ['plastic', ['plastic']],
  ['wood', ['wood', 'wooden', 'bamboo']],
];

const DEFAULT_MATERIAL: Record<ProductKind, string> = {
  shoe: 'mesh',
  bottle: 'matte',
  watch: 'metal',
  headphones: 'matte',
  bag: 'leather',
  mug: 'ceramic',
  phone: 'glossy',
  lipstick: 'glossy',
  jar: 'glass',
  box: 'matte',
};

/** Colours picked when the prompt names none: ones that read well on the studio backdrops. */
const FALLBACK_COLOURS = ['pink', 'teal', 'navy', 'coral', 'gold', 'black', 'white', 'red'];

const FILLER = new Set(['a', 'an', 'the', 'of', 'with', 'and', 'in', 'for', 'my', 'our', 'new']);

export function normalisePrompt(prompt: string): string {
  return prompt
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function isProductKind(kind: string): kind is ProductKind {
  return (PRODUCT_KINDS as readonly string[]).includes(kind);
}

/** Understands a product prompt; `seed` only decides the colour when the prompt names none. */
export function parseProductPrompt(prompt: string, seed: number): ProductSpec {
  const text = normalisePrompt(prompt);
  let rest = ` ${text} `;

  let colourName: string | undefined;
  for (const [name] of COLOURS) {
    if (rest.includes(` ${name} `)) {
      colourName = name;
      rest = rest.replace(` ${name} `, ' ');
      break;
    }
  }

  const words = rest.trim().split(' ').filter(Boolean);
  let kind: ProductKind = 'box';
  let material: string | undefined;
  const materialWords = new Set<string>();
  for (const word of words) {
    for (const [k, keys] of KIND_WORDS) if (keys.includes(word)) kind = k;
    for (const [m, keys] of MATERIAL_WORDS) {
      if (keys.includes(word)) {
        material ??= m;
        materialWords.add(word);
      }
    }
  }

  colourName ??= pick(createRandom(seed), FALLBACK_COLOURS);
  const colourHex = COLOURS.find(([name]) => name === colourName)?.[1] ?? '#888888';
  const nameWords = words.filter((w) => !materialWords.has(w) && !FILLER.has(w));
  const name = nameWords.slice(-4).join(' ') || 'product';

  return { name, kind, colourName, colourHex, material: material ?? DEFAULT_MATERIAL[kind] };
}
