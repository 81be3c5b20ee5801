import { MIN_TEXT_CONTRAST, blend, nearestPassing } from '../contrast';
import type { AdLayout, Box, TextSlot } from './layout';
import { PLATE_PADDING_EM } from './layout';
import { readableOverFootage } from './scrim';
import { fitText, prepareText } from './text';

/**
 * Pure plan of every text layer of the ad: the lines, the size, the colours and the box each one
 * must stay inside. The rasteriser (text-layers.ts) draws exactly this, and the FFmpeg graph
 * places the drawings inside the same boxes.
 */

export type LayerName = 'introTitle' | 'outroName' | 'outroCta' | 'lowerThird';
export const LAYER_NAMES: readonly LayerName[] = [
  'introTitle',
  'outroName',
  'outroCta',
  'lowerThird',
];

export interface TextLayerSpec {
  name: LayerName;
  lines: string[];
  fontSize: number;
  bold: boolean;
  /** '#rrggbb', already checked to read on what is behind it. */
  colour: string;
  plate: { colour: string; opacity: number; padding: number } | null;
  /** The drawing, plate included, must fit in here. */
  box: Box;
}

export interface AdTexts {
  productName: string;
  callToAction: string;
  lowerThird: string;
}

export interface AdColours {
  primary: string;
  accent: string;
  text: string;
}

/** Opacity of the lower-third plate over footage. */
export const LOWER_PLATE_OPACITY = 0.85;

/**
 * The text colour as chosen when it reads on `surfaces`, else its nearest shade that does. The
 * compose form warns about the same threshold, so a person's colour is only adjusted when they
 * kept a failing choice.
 */
export function readableOn(text: string, surfaces: readonly string[]): string {
  return nearestPassing(text, surfaces, MIN_TEXT_CONTRAST);
}

function layer(
  name: LayerName,
  text: string,
  slot: TextSlot,
  colour: string,
  bold: boolean,
  plate: { colour: string; opacity: number } | null,
): TextLayerSpec {
  const fitted = fitText(text, slot.box, {
    preferred: slot.preferredSize,
    min: slot.minSize,
    maxLines: slot.maxLines,
    padEm: plate ? PLATE_PADDING_EM : 0,
  });
  return {
    name,
    lines: fitted.lines,
    fontSize: fitted.fontSize,
    bold,
    colour,
    plate: plate && { ...plate, padding: Math.round(fitted.fontSize * PLATE_PADDING_EM) },
    box: slot.box,
  };
}

/** Colours sampled from the footage behind a text layer ('#rrggbb'), when the render knows them. */
export interface Behind {
  lowerThird?: readonly string[] | undefined;
}

export function planTextLayers(
  layout: AdLayout,
  texts: AdTexts,
  colours: AdColours,
  behind: Behind = {},
): TextLayerSpec[] {
  const onCard = readableOn(colours.text, [colours.primary]);
  const onAccent = readableOn(colours.text, [colours.accent]);
  // The lower third's plate lets footage through. Judged over what the footage shows there when
  // it was sampled (the plate thickens into a scrim until the text reads), else over both
  // extremes footage can show.
  const sampled = behind.lowerThird?.length
    ? readableOverFootage(colours.text, colours.primary, behind.lowerThird, LOWER_PLATE_OPACITY)
    : undefined;
  const plateOverDark = blend(colours.primary, '#000000', LOWER_PLATE_OPACITY);
  const plateOverLight = blend(colours.primary, '#ffffff', LOWER_PLATE_OPACITY);
  const onPlate = sampled?.colour ?? readableOn(colours.text, [plateOverDark, plateOverLight]);
  const plateOpacity = sampled?.plateOpacity ?? LOWER_PLATE_OPACITY;
  return [
    layer('introTitle', texts.productName, layout.introTitle, onCard, true, null),
    layer('outroName', texts.productName, layout.outroName, onCard, false, null),
    layer('outroCta', texts.callToAction, layout.outroCta, onAccent, true, {
      colour: colours.accent,
      opacity: 1,
    }),
    layer('lowerThird', texts.lowerThird, layout.lowerThird, onPlate, true, {
      colour: colours.primary,
      opacity: plateOpacity,
    }),
  ];
}

/** The person's text cleaned for drawing; throws when a required text is empty. */
export function adTexts(input: {
  productName: string;
  callToAction: string;
  tagline?: string | null | undefined;
}): AdTexts {
  const productName = prepareText(input.productName, 'Product name');
  return {
    productName,
    callToAction: prepareText(input.callToAction, 'Call to action'),
    lowerThird:
      input.tagline && input.tagline.trim() ? prepareText(input.tagline, 'Tagline') : productName,
  };
}
