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

/**
 * A text layer as a stream: its one decoded frame repeated in memory (the loop filter), in the
 * planar YUV-with-alpha the overlay blends natively, faded in. Repeating the decoded frame instead
 * of looping the PNG input spares a PNG decode, an RGBA fade and a colour conversion per frame,
 * which cost about 1.3 s of CPU per 8 s of lower third (bench/render.ts).
 */
export function stillLayer(
  layer: Pick<PlacedLayer, 'inputIndex'>,
  frames: number,
  fps: number,
  fadeIn?: { start: number; seconds: number },
): string {
  const steps = [
    `[${layer.inputIndex}:v]format=yuva420p`,
    'loop=loop=-1:size=1',
    `setpts=N/${fps}/TB`,
    `trim=end_frame=${Math.max(1, frames)}`,
  ];
  if (fadeIn) steps.push(`fade=t=in:st=${sec(fadeIn.start)}:d=${sec(fadeIn.seconds)}:alpha=1`);
  return steps.join(',');
}

function fadedLayer(
  layer: PlacedLayer,
  segment: TimelineSegment,
  fps: number,
  fadeIn: { start: number; seconds: number },
): string {
  return stillLayer(layer, Math.round(segment.shownSeconds * fps), fps, fadeIn);
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
    fadedLayer(style.layers.introTitle, segment, style.frame.fps, { start: 0, seconds: 0.6 }) +
      `[${text}]`,
    // Eases out: fast at first, settling into place as the fade completes.
    `[${base}][${text}]overlay=x=${title.x}:y='${title.y}+${rise}*pow(max(0,1-t/0.7),2)'` +
      `:eval=frame:format=yuv420,setsar=1[${label}]`,
  ].join(';\n');
}

/** Product name above the call to action on its accent plate. */
export function outroCard(segment: TimelineSegment, style: CardStyle, label: string): string {
  const at = layerPositions(style);
  const fps = style.frame.fps;
  return [
    colourCard(segment, style) + `[${label}_card]`,
    fadedLayer(style.layers.outroName, segment, fps, { start: 0, seconds: 0.5 }) +
      `[${label}_name]`,
    fadedLayer(style.layers.outroCta, segment, fps, { start: 0.25, seconds: 0.5 }) +
      `[${label}_cta]`,
    `[${label}_card][${label}_name]overlay=x=${at.outroName.x}:y=${at.outroName.y}:format=yuv420[${label}_named]`,
    `[${label}_named][${label}_cta]overlay=x=${at.outroCta.x}:y=${at.outroCta.y}:format=yuv420,setsar=1[${label}]`,
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
  const fps = style.frame.fps;
  const frames = Math.max(1, Math.round((end - start) * fps));
  return [
    stillLayer(style.layers.lowerThird, frames, fps) +
      `,fade=t=in:st=0:d=${d}:alpha=1` +
      `,fade=t=out:st=${sec(Math.max(0, end - start - d))}:d=${d}:alpha=1` +
      `,setpts=PTS+${sec(start)}/TB[lower_text]`,
    `[${input}][lower_text]overlay=x=${at.x}:y=${at.y}:eof_action=pass:format=yuv420` +
      `:enable='between(t,${sec(start)},${sec(end)})'[${label}]`,
  ].join(';\n');
}
