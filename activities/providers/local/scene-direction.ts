/**
 * What a shot's prompt asks of the set, read word by word (no model): colours, a surface material,
 * a mood and props the offline studio can draw around a product photo, and the asks it cannot
 * honour because they are about the product itself ("a bamboo cap", "an amber bottle"): the
 * offline studio composites the photo's pixels and never re-draws the product. Pure and
 * deterministic: the same prompt always gives the same direction.
 */

export type SetMaterial = 'wood' | 'marble' | 'concrete' | 'linen' | 'stone' | 'paper' | 'velvet';
export type SetMood = 'warm' | 'cool' | 'dark' | 'bright';
export type PropKind = 'plant' | 'flowers' | 'pebbles' | 'books' | 'candle' | 'fruit' | 'spheres';

export interface SceneDirection {
  /** Colours asked for the set, in the order they were written. */
  colours: Array<{ name: string; hex: string }>;
  material?: SetMaterial | undefined;
  mood?: SetMood | undefined;
  props: PropKind[];
  /** Phrases about the product itself, which only a model that re-draws it could change. */
  productAsks: string[];
}

export const SET_COLOURS: Readonly<Record<string, string>> = {
  red: '#b8322c',
  crimson: '#9e1b32',
  orange: '#e07b39',
  terracotta: '#c0643f',
  amber: '#d18f2a',
  yellow: '#e9c84a',
  mustard: '#c9a227',
  gold: '#c8a24a',
  golden: '#c8a24a',
  green: '#4f8a5b',
  sage: '#9caf88',
  olive: '#7a7a3a',
  emerald: '#2f7d5b',
  teal: '#2f8585',
  turquoise: '#3fb0b0',
  blue: '#3a6ea5',
  navy: '#22355e',
  sky: '#8cc2e6',
  purple: '#6f4a8e',
  lavender: '#b7a6d6',
  lilac: '#c3a8d1',
  pink: '#e79bb6',
  blush: '#efc4c4',
  white: '#f4f2ee',
  ivory: '#f1ead8',
  cream: '#efe4cc',
  beige: '#d8c7a8',
  sand: '#d9c49c',
  grey: '#8d8f93',
  gray: '#8d8f93',
  silver: '#b9bcc0',
  charcoal: '#3a3b3e',
  black: '#1b1b1d',
  brown: '#6e4a32',
  chocolate: '#4a2f22',
};

const MATERIALS: Readonly<Record<string, SetMaterial>> = {
  wood: 'wood',
  wooden: 'wood',
  oak: 'wood',
  walnut: 'wood',
  timber: 'wood',
  marble: 'marble',
  marbled: 'marble',
  concrete: 'concrete',
  cement: 'concrete',
  linen: 'linen',
  cotton: 'linen',
  fabric: 'linen',
  cloth: 'linen',
  stone: 'stone',
  slate: 'stone',
  granite: 'stone',
  travertine: 'stone',
  paper: 'paper',
  velvet: 'velvet',
};

const MOODS: Readonly<Record<string, SetMood>> = {
  warm: 'warm',
  cosy: 'warm',
  cozy: 'warm',
  sunset: 'warm',
  golden: 'warm',
  autumn: 'warm',
  cool: 'cool',
  cold: 'cool',
  icy: 'cool',
  winter: 'cool',
  fresh: 'cool',
  dark: 'dark',
  moody: 'dark',
  night: 'dark',
  dramatic: 'dark',
  noir: 'dark',
  bright: 'bright',
  airy: 'bright',
  sunny: 'bright',
  summer: 'bright',
};

const PROPS: Readonly<Record<string, PropKind>> = {
  plant: 'plant',
  plants: 'plant',
  leaf: 'plant',
  leaves: 'plant',
  eucalyptus: 'plant',
  monstera: 'plant',
  fern: 'plant',
  flower: 'flowers',
  flowers: 'flowers',
  petals: 'flowers',
  roses: 'flowers',
  bouquet: 'flowers',
  pebble: 'pebbles',
  pebbles: 'pebbles',
  stones: 'pebbles',
  rocks: 'pebbles',
  book: 'books',
  books: 'books',
  magazine: 'books',
  candle: 'candle',
  candles: 'candle',
  fruit: 'fruit',
  lemon: 'fruit',
  lemons: 'fruit',
  oranges: 'fruit',
  citrus: 'fruit',
  apples: 'fruit',
  sphere: 'spheres',
  spheres: 'spheres',
  geometric: 'spheres',
};

/** Nouns of the set: a colour or material written before one of these is asked of the set. */
const SET_NOUNS = new Set([
  'backdrop',
  'background',
  'wall',
  'walls',
  'floor',
  'table',
  'tabletop',
  'surface',
  'counter',
  'set',
  'scene',
  'studio',
  'sweep',
  'paper',
  'cloth',
  'tablecloth',
  'plinth',
  'pedestal',
  'podium',
  'shelf',
  'tray',
  'light',
  'lighting',
  'tones',
  'tone',
  'palette',
  'mood',
  'setting',
]);

/** Parts a product has: a colour or material written before one of these is asked of it. */
const PRODUCT_PARTS = new Set([
  'cap',
  'lid',
  'cork',
  'stopper',
  'label',
  'bottle',
  'jar',
  'cup',
  'mug',
  'handle',
  'strap',
  'straps',
  'sole',
  'soles',
  'laces',
  'heel',
  'dial',
  'case',
  'band',
  'buckle',
  'zip',
  'zipper',
  'screen',
  'body',
  'nozzle',
  'pump',
  'logo',
  'finish',
  'glass',
]);

/** Words that only join a phrase, skipped when looking for the noun a word describes. */
const JOINERS = new Set([
  'a',
  'an',
  'the',
  'and',
  'with',
  'of',
  'in',
  'on',
  'its',
  'light',
  'dark',
]);

function words(prompt: string): string[] {
  return prompt
    .toLowerCase()
    .replace(/#[0-9a-f]{3,8}\b/g, ' ')
    .split(/[^a-z]+/)
    .filter(Boolean);
}

/** The first noun after `index` that says what the word at `index` describes, if any. */
function describedNoun(list: readonly string[], index: number, productWords: ReadonlySet<string>) {
  for (let i = index + 1; i < Math.min(list.length, index + 4); i++) {
    const word = list[i]!;
    if (SET_NOUNS.has(word) && word !== 'light') return 'set';
    if (PRODUCT_PARTS.has(word) || productWords.has(word)) return 'product';
    if (word === 'light' && i === index + 1) return 'set';
    if (!JOINERS.has(word) && !(word in SET_COLOURS) && !(word in MATERIALS)) return undefined;
  }
  return undefined;
}

/**
 * Reads the direction. `product` names what the shot is of (its name, colour and material as the
 * planner wrote them), so the planner's own description of the product is not taken as an ask.
 */
export function readSceneDirection(
  prompt: string,
  product?: { name: string; colourName?: string; material?: string },
): SceneDirection {
  const list = words(prompt);
  const own = new Set(words(`${product?.colourName ?? ''} ${product?.material ?? ''}`));
  const productWords = new Set(words(product?.name ?? ''));
  const direction: SceneDirection = { colours: [], props: [], productAsks: [] };
  list.forEach((word, i) => {
    const colour = SET_COLOURS[word];
    const material = MATERIALS[word];
    const about =
      colour || material || word === 'bamboo' ? describedNoun(list, i, productWords) : undefined;
    if ((colour || material || word === 'bamboo') && about === 'product') {
      if (own.has(word)) return;
      const noun = list.slice(i + 1).find((w) => PRODUCT_PARTS.has(w) || productWords.has(w));
      const ask = `${word} ${noun ?? ''}`.trim();
      if (!direction.productAsks.includes(ask)) direction.productAsks.push(ask);
      return;
    }
    // A part given to the product on its own ("with a cork"): only a re-drawing could add it.
    const given = list[i - 1] === 'with' || (list[i - 2] === 'with' && JOINERS.has(list[i - 1]!));
    if (PRODUCT_PARTS.has(word) && given) {
      if (!direction.productAsks.some((a) => a.endsWith(word))) direction.productAsks.push(word);
      return;
    }
    if (colour && !own.has(word) && !direction.colours.some((c) => c.hex === colour)) {
      direction.colours.push({ name: word, hex: colour });
    }
    if (material && !own.has(word)) direction.material ??= material;
    const mood = MOODS[word];
    if (mood) direction.mood ??= mood;
    const prop = PROPS[word];
    if (prop && !direction.props.includes(prop)) direction.props.push(prop);
  });
  return direction;
}

/**
 * The plain notice shown beside a variant when its prompt asked for something about the product
 * that the offline studio cannot do; undefined when every ask could be honoured.
 */
export function offlineNotice(direction: SceneDirection): string | undefined {
  if (direction.productAsks.length === 0) return undefined;
  const asks = direction.productAsks.map((a) => `“${a}”`).join(', ');
  return (
    `The offline studio uses your photo as it is and cannot re-draw the product, so ${asks} ` +
    `${direction.productAsks.length > 1 ? 'were' : 'was'} not applied; the set, light and props ` +
    'follow your prompt. A model provider can change the product itself.'
  );
}

/** A short account of what the prompt changed in the set, for the shot's name. */
export function directionSummary(direction: SceneDirection): string {
  const parts: string[] = [];
  if (direction.mood) parts.push(direction.mood);
  const colours = direction.colours.slice(0, 2).map((c) => c.name);
  if (colours.length > 0) parts.push(colours.join(' and '));
  if (direction.material) parts.push(direction.material);
  if (direction.props.length > 0) parts.push(`with ${direction.props.slice(0, 2).join(' and ')}`);
  return parts.join(', ');
}
