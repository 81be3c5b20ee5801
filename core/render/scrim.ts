import { MIN_TEXT_CONTRAST, blend, contrastRatio, nearestPassing } from '../contrast';

/**
 * Text over footage that reads: the colours actually sampled behind the text are what the text is
 * judged against. The text colour moves to its nearest passing shade first; if no shade reaches
 * 4.5:1 over every sample, the plate behind it (a scrim of the brand colour) grows more opaque
 * until one does. A fully opaque plate always has an answer (black or white passes against any
 * single colour). Pure.
 */

export interface ScrimChoice {
  colour: string;
  plateOpacity: number;
  /** The lowest contrast of the text over the plate over any sample. */
  contrast: number;
}

export function readableOverFootage(
  text: string,
  plate: string,
  samples: readonly string[],
  baseOpacity: number,
  min: number = MIN_TEXT_CONTRAST,
): ScrimChoice {
  const behind = samples.length > 0 ? samples : ['#000000', '#ffffff'];
  for (let step = 0; ; step++) {
    const opacity = Math.min(1, baseOpacity + step * 0.05);
    const surfaces = behind.map((s) => blend(plate, s, opacity));
    const colour = nearestPassing(text, surfaces, min);
    const contrast = Math.min(...surfaces.map((s) => contrastRatio(colour, s)));
    if (contrast >= min || opacity >= 1) return { colour, plateOpacity: opacity, contrast };
  }
}
