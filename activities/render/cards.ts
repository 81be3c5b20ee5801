import type { Frame } from './clips';
import { sec } from './filter-values';
import { fitFontSize, textBlockHeight } from './text';
import type { TimelineSegment } from './timeline';

/**
 * Everything the text and card filters need. Colours are already 0xRRGGBB, fonts and files are
 * already escaped for the graph; the text itself is only used to size it, never written out.
 */
export interface CardStyle {
  frame: Frame;
  colours: { primary: string; accent: string; text: string };
  fonts: { regular: string; bold: string };
  files: { name: string; cta: string; lower: string };
  text: { productName: string; callToAction: string; lowerThird: string };
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

/** Product name sliding up and fading in over the brand colour, with an accent rule below. */
export function introCard(segment: TimelineSegment, style: CardStyle): string {
  const { width, height } = style.frame;
  const size = fitFontSize(style.text.productName, {
    preferred: Math.round(height * 0.11),
    maxWidth: width * 0.8,
    maxHeight: height * 0.5,
    min: 24,
  });
  const rise = Math.round(height * 0.05);
  const bar = {
    w: Math.round(width * 0.16),
    h: Math.max(2, Math.round(height * 0.008)),
    y: Math.round(height / 2 + textBlockHeight(style.text.productName, size) / 2 + size * 0.35),
  };
  return [
    colourCard(segment, style),
    `drawbox=x=${Math.round((width - bar.w) / 2)}:y=${bar.y}:w=${bar.w}:h=${bar.h}` +
      `:color=${style.colours.accent}:t=fill:enable='gte(t,0.5)'`,
    drawtext({
      font: style.fonts.bold,
      file: style.files.name,
      colour: style.colours.text,
      size,
      x: '(w-text_w)/2',
      // Eases out: fast at first, settling into place as the fade completes.
      y: `(h-text_h)/2+${rise}*pow(max(0,1-t/0.7),2)`,
      alpha: 'min(1,t/0.6)',
    }),
  ].join(',');
}

/** Product name above the call to action, which sits in an accent-coloured box. */
export function outroCard(segment: TimelineSegment, style: CardStyle): string {
  const { width, height } = style.frame;
  const nameSize = fitFontSize(style.text.productName, {
    preferred: Math.round(height * 0.055),
    maxWidth: width * 0.8,
    maxHeight: height * 0.2,
    min: 18,
  });
  const ctaSize = fitFontSize(style.text.callToAction, {
    preferred: Math.round(height * 0.085),
    maxWidth: width * 0.72,
    maxHeight: height * 0.4,
    min: 24,
  });
  return [
    colourCard(segment, style),
    drawtext({
      font: style.fonts.regular,
      file: style.files.name,
      colour: style.colours.text,
      size: nameSize,
      x: '(w-text_w)/2',
      y: 'h*0.27-text_h/2',
      alpha: 'min(1,t/0.5)',
    }),
    drawtext({
      font: style.fonts.bold,
      file: style.files.cta,
      colour: style.colours.text,
      size: ctaSize,
      x: '(w-text_w)/2',
      y: '(h-text_h)/2+h*0.05',
      alpha: 'clip((t-0.25)/0.5,0,1)',
      extra: [
        'box=1',
        `boxcolor=${style.colours.accent}`,
        `boxborderw=${Math.round(ctaSize * 0.5)}`,
      ],
    }),
  ].join(',');
}

/**
 * Lower third over the clips, drawn on the joined stream so it stays put across crossfades.
 * `enable` skips the filter entirely outside its window, which keeps it cheap.
 */
export function lowerThird(start: number, end: number, style: CardStyle): string {
  const { width, height } = style.frame;
  const size = fitFontSize(style.text.lowerThird, {
    preferred: Math.round(height * 0.052),
    maxWidth: width * 0.8,
    maxHeight: height * 0.3,
    min: 18,
  });
  const d = TEXT_FADE_SECONDS;
  return drawtext({
    font: style.fonts.bold,
    file: style.files.lower,
    colour: style.colours.text,
    size,
    x: String(Math.round(height * 0.09)),
    y: `h-text_h-${Math.round(height * 0.11)}`,
    alpha: `clip(min((t-${sec(start)})/${d},(${sec(end)}-t)/${d}),0,1)`,
    extra: [
      'box=1',
      `boxcolor=${style.colours.primary}@0.82`,
      `boxborderw=${Math.round(size * 0.45)}`,
      `enable='between(t,${sec(start)},${sec(end)})'`,
    ],
  });
}

function drawtext(options: {
  font: string;
  file: string;
  colour: string;
  size: number;
  x: string;
  y: string;
  alpha: string;
  extra?: string[];
}): string {
  return [
    `drawtext=fontfile=${options.font}`,
    `textfile=${options.file}`,
    // Without this, drawtext treats '%' and '\' in the file as expansion syntax.
    'expansion=none',
    `fontcolor=${options.colour}`,
    `fontsize=${options.size}`,
    `x='${options.x}'`,
    `y='${options.y}'`,
    `alpha='${options.alpha}'`,
    ...(options.extra ?? []),
  ].join(':');
}
