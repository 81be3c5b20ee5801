import type { ProductView } from '../../../core/options';
import { PRODUCT_VIEWS } from '../../../core/options';
import { createRandom, hashString } from './random';
import type { SceneDirection, SetMaterial, SetMood, PropKind } from './scene-direction';
import { directionSummary } from './scene-direction';

/**
 * Shots made around one product photo. A photo shows one side of the product, so the offline
 * studio does not pretend to turn it: each shot is another set, light, props and camera around the
 * same pixels, and is named for what it is ("warm window light, close"). The plan's view only
 * chooses which of these sets a shot starts from; the seed moves it on (a "make it again" gets
 * another one) and jitters the camera; the prompt's direction (scene-direction.ts) overrides the
 * set's colours, material, mood and props. Pure.
 */

export type Backdrop = 'sweep' | 'window' | 'lowkey' | 'pedestal' | 'bokeh' | 'tabletop';

export interface PhotoShot {
  name: string;
  backdrop: Backdrop;
  material: SetMaterial | 'none';
  mood: SetMood | 'neutral';
  props: PropKind[];
  /** Where the key light comes from: -1 left .. 1 right. */
  lightSide: number;
  /** Height of the light above the floor, 0 grazing .. 1 overhead (longer shadows when low). */
  lightHeight: number;
  /** Light colour, '#rrggbb', and strength 0..1 of its pool on the set. */
  lightColour: string;
  lightStrength: number;
  /** Share of the frame's short side the product's longer side fills. */
  fill: number;
  /** Horizontal centre of the product, as a fraction of the width. */
  centreX: number;
  /** Floor line (where the product stands), as a fraction of the height. */
  floorY: number;
  /** The floor's perspective: how much narrower its far edge is (a camera tilted down). */
  tilt: number;
  /** Set colours the prompt asked for, most prominent first (empty: the session palette). */
  colours: string[];
}

/** A set as it is designed, before the prompt's colours are applied. */
type Recipe = Omit<PhotoShot, 'colours'>;

/** Eight sets, different in every respect a camera and a set designer can change. */
export const PHOTO_RECIPES: readonly Recipe[] = [
  {
    name: 'studio sweep, wide',
    backdrop: 'sweep',
    material: 'paper',
    mood: 'bright',
    props: [],
    lightSide: -0.4,
    lightHeight: 0.9,
    lightColour: '#ffffff',
    lightStrength: 0.45,
    fill: 0.46,
    centreX: 0.5,
    floorY: 0.8,
    tilt: 0.1,
  },
  {
    name: 'warm window light, close',
    backdrop: 'window',
    material: 'wood',
    mood: 'warm',
    props: ['plant'],
    lightSide: -1,
    lightHeight: 0.45,
    lightColour: '#ffd59a',
    lightStrength: 0.6,
    fill: 0.62,
    centreX: 0.56,
    floorY: 0.86,
    tilt: 0.3,
  },
  {
    name: 'low-key spotlight, rim lit',
    backdrop: 'lowkey',
    material: 'stone',
    mood: 'dark',
    props: [],
    lightSide: 0.8,
    lightHeight: 0.8,
    lightColour: '#f3f0ff',
    lightStrength: 0.55,
    fill: 0.5,
    centreX: 0.5,
    floorY: 0.78,
    tilt: 0.15,
  },
  {
    name: 'on a plinth, soft overhead light',
    backdrop: 'pedestal',
    material: 'concrete',
    mood: 'neutral',
    props: ['spheres'],
    lightSide: 0.2,
    lightHeight: 1,
    lightColour: '#fff6ea',
    lightStrength: 0.4,
    fill: 0.4,
    centreX: 0.5,
    floorY: 0.7,
    tilt: 0.05,
  },
  {
    name: 'close crop, soft bokeh',
    backdrop: 'bokeh',
    material: 'none',
    mood: 'warm',
    props: [],
    lightSide: 0.6,
    lightHeight: 0.6,
    lightColour: '#ffe2b8',
    lightStrength: 0.35,
    fill: 0.78,
    centreX: 0.5,
    floorY: 0.92,
    tilt: 0,
  },
  {
    name: 'lifestyle tabletop, left third',
    backdrop: 'tabletop',
    material: 'linen',
    mood: 'bright',
    props: ['books', 'flowers'],
    lightSide: 1,
    lightHeight: 0.55,
    lightColour: '#fff8ee',
    lightStrength: 0.5,
    fill: 0.44,
    centreX: 0.36,
    floorY: 0.84,
    tilt: 0.35,
  },
  {
    name: 'cool morning light, right third',
    backdrop: 'window',
    material: 'marble',
    mood: 'cool',
    props: ['pebbles'],
    lightSide: 1,
    lightHeight: 0.35,
    lightColour: '#cfe3ff',
    lightStrength: 0.55,
    fill: 0.48,
    centreX: 0.64,
    floorY: 0.82,
    tilt: 0.25,
  },
  {
    name: 'evening glow, candle lit',
    backdrop: 'lowkey',
    material: 'wood',
    mood: 'warm',
    props: ['candle'],
    lightSide: -0.7,
    lightHeight: 0.3,
    lightColour: '#ffb46b',
    lightStrength: 0.6,
    fill: 0.52,
    centreX: 0.56,
    floorY: 0.82,
    tilt: 0.2,
  },
];

/** Which of the eight sets a shot starts from: the plan's six views, then its two repeats. */
export function recipeIndex(view: ProductView, repeat: boolean, seed: number): number {
  // The plan's second lifestyle and second detail shots start from the last two sets.
  const base = !repeat
    ? PRODUCT_VIEWS.indexOf(view)
    : view === 'lifestyle'
      ? 6
      : view === 'detail'
        ? 7
        : PRODUCT_VIEWS.indexOf(view);
  return (Math.max(0, base) + Math.abs(Math.trunc(seed))) % PHOTO_RECIPES.length;
}

const BACKDROP_NAMES: Record<Backdrop, string> = {
  sweep: 'studio sweep',
  window: 'window light',
  lowkey: 'low-key spotlight',
  pedestal: 'on a plinth',
  bokeh: 'soft bokeh',
  tabletop: 'tabletop',
};

const MOOD_LIGHT: Record<SetMood, string> = {
  warm: '#ffcf8f',
  cool: '#cfe0ff',
  dark: '#e8e4ff',
  bright: '#ffffff',
};

/**
 * The shot for one image of a photo session. `repeat` marks the plan's second lifestyle or
 * detail shot; `seed` is the image's (a variant's is the original's plus one).
 */
export function photoShotFor(input: {
  view: ProductView;
  repeat: boolean;
  seed: number;
  prompt: string;
  direction: SceneDirection;
}): PhotoShot {
  const recipe = PHOTO_RECIPES[recipeIndex(input.view, input.repeat, input.seed)]!;
  // The camera is nudged per seed and prompt, so two variants of one set never coincide.
  const random = createRandom(hashString(`${input.seed}|${input.view}|${input.prompt}`));
  const jitter = (span: number) => (random() - 0.5) * 2 * span;
  const direction = beyondRecipe(input.direction, recipe);
  const mood = direction.mood ?? recipe.mood;
  const props = direction.props.length > 0 ? direction.props : recipe.props;
  // A mood asked for outranks the set's own: a dark ask darkens it, a light one lifts a low-key set.
  const backdrop: Backdrop =
    direction.mood === 'dark' && recipe.backdrop !== 'bokeh'
      ? 'lowkey'
      : direction.mood && direction.mood !== 'dark' && recipe.backdrop === 'lowkey'
        ? 'window'
        : direction.material && recipe.backdrop === 'bokeh'
          ? 'tabletop'
          : recipe.backdrop;
  const asked = directionSummary(direction);
  // A set the prompt changed is named for what it became.
  const base = backdrop === recipe.backdrop ? recipe.name : BACKDROP_NAMES[backdrop];
  return {
    name: asked ? `${base} · ${asked}` : base,
    backdrop,
    material: direction.material ?? recipe.material,
    mood,
    props,
    lightSide: Math.max(-1, Math.min(1, recipe.lightSide + jitter(0.2))),
    lightHeight: Math.max(0.2, Math.min(1, recipe.lightHeight + jitter(0.1))),
    lightColour: direction.mood ? MOOD_LIGHT[direction.mood] : recipe.lightColour,
    lightStrength: recipe.lightStrength,
    fill: recipe.fill * (1 + jitter(0.06)),
    centreX: recipe.centreX + jitter(0.03),
    floorY: recipe.floorY + jitter(0.015),
    tilt: recipe.tilt,
    colours: direction.colours.map((c) => c.hex),
  };
}

/**
 * The direction without what the set already is: a prompt that describes its own set (as the
 * planner writes them with a photo) neither renames the shot nor changes its light.
 */
function beyondRecipe(direction: SceneDirection, recipe: Recipe): SceneDirection {
  const props = direction.props.every((p) => recipe.props.includes(p)) ? [] : direction.props;
  return {
    ...direction,
    mood: direction.mood === recipe.mood ? undefined : direction.mood,
    material: direction.material === recipe.material ? undefined : direction.material,
    props,
  };
}
