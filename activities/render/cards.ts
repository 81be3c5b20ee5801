import type { Frame } from './clips';
import { sec } from './filter-values';
import type { AdLayout } from '../../core/render/layout';
import { introRulePosition, layerPositions, type PlacedLayer } from '../../core/render/positions';
import type { LayerName } from '../../core/render/text-plan';
import type { TimelineSegment } from '../../core/render/timeline';

/**
 * The card and text filters. Text arrives as drawn PNG layers (inputs of the graph); these
 * functions only place them inside the layout's boxes and animate them. Colours are already
 * 0xRRGGBB.
 */

export interface CardStyle {
  frame: Frame;
  layout: AdLayout;
  colours: { primary: string; accent: string };
  layers: Record<LayerName, PlacedLayer>;
}

const TEXT_FADE_SECONDS = 0.4;

function colourCard(segment: TimelineSegment, style: CardStyle): string {
  const { width, height, fps } = style.frame;
  return [
    `color=c=${style.colours.primary}:s=${width}x${height}:r=${fps}:d=${sec(segment.shownSeconds)}`,
    'format=yuv420p',
    'setsar=1',
  ].join(',');
}

function fadedLayer(layer: PlacedLayer, fadeIn: { start: number; seconds: number }): string {
  return `[${layer.inputIndex}:v]format=rgba,fade=t=in:st=${sec(fadeIn.start)}:d=${sec(fadeIn.seconds)}:alpha=1`;
}

/** Product name rising and fading in over the brand colour, with an accent rule below. */
export function introCard(segment: TimelineSegment, style: CardStyle, label: string): string {
  const title = layerPositions(style).introTitle;
  const rule = introRulePosition(style);
  const rise = Math.round(style.frame.height * 0.03);
  const base = `${label}_card`;
  const text = `${label}_text`;
  return [
    colourCard(segment, style) +
      `,drawbox=x=${rule.x}:y=${rule.y}:w=${rule.width}:h=${rule.height}` +
      `:color=${style.colours.accent}:t=fill:enable='gte(t,0.5)'[${base}]`,
    fadedLayer(style.layers.introTitle, { start: 0, seconds: 0.6 }) + `[${text}]`,
    // Eases out: fast at first, settling into place as the fade completes.
    `[${base}][${text}]overlay=x=${title.x}:y='${title.y}+${rise}*pow(max(0,1-t/0.7),2)'` +
      `:eval=frame:format=auto,format=yuv420p,setsar=1[${label}]`,
  ].join(';\n');
}

/** Product name above the call to action on its accent plate. */
export function outroCard(segment: TimelineSegment, style: CardStyle, label: string): string {
  const at = layerPositions(style);
  return [
    colourCard(segment, style) + `[${label}_card]`,
    fadedLayer(style.layers.outroName, { start: 0, seconds: 0.5 }) + `[${label}_name]`,
    fadedLayer(style.layers.outroCta, { start: 0.25, seconds: 0.5 }) + `[${label}_cta]`,
    `[${label}_card][${label}_name]overlay=x=${at.outroName.x}:y=${at.outroName.y}:format=auto[${label}_named]`,
    `[${label}_named][${label}_cta]overlay=x=${at.outroCta.x}:y=${at.outroCta.y}:format=auto,format=yuv420p,setsar=1[${label}]`,
  ].join(';\n');
}

/**
 * Lower third over the clips, laid on the joined stream so it stays put across crossfades. The
 * layer's own timestamps are shifted to its window; `enable` skips the overlay outside it.
 */
export function lowerThird(
  input: string,
  start: number,
  end: number,
  style: CardStyle,
  label: string,
): string {
  const at = layerPositions(style).lowerThird;
  const d = TEXT_FADE_SECONDS;
  const layer = style.layers.lowerThird;
  return [
    `[${layer.inputIndex}:v]format=rgba,fade=t=in:st=0:d=${d}:alpha=1,` +
      `fade=t=out:st=${sec(Math.max(0, end - start - d))}:d=${d}:alpha=1,` +
      `setpts=PTS+${sec(start)}/TB[lower_text]`,
    `[${input}][lower_text]overlay=x=${at.x}:y=${at.y}:eof_action=pass:format=auto` +
      `:enable='between(t,${sec(start)},${sec(end)})',format=yuv420p[${label}]`,
  ].join(';\n');
}
