import { join } from 'node:path';
import { VIDEO_FPS, VIDEO_HEIGHT, VIDEO_WIDTH } from '../../core/options';
import { escapeFilterValue } from './escape';
import { fitFontSize, prepareText, textBlockHeight } from './text';
import { planTimeline } from './timeline';
import type { Timeline, TimelineSegment } from './timeline';

/**
 * Builds the single FFmpeg invocation that renders the whole ad: intro card, normalised clips
 * joined by crossfades, a lower third, outro card and the music bed, encoded once.
 *
 * User text never appears in the returned arguments. It is returned as files to write under
 * `workDir`, and drawtext reads them via `textfile=` with `expansion=none`, so quotes, colons,
 * backslashes, `%` and newlines have no meaning to FFmpeg.
 */

export interface RenderClip {
  path: string;
  durationSeconds: number;
}

export interface RenderColors {
  primary: string;
  accent: string;
  text: string;
}

export interface RenderFonts {
  regular: string;
  bold: string;
}

export const X264_PRESETS = [
  'ultrafast',
  'superfast',
  'veryfast',
  'faster',
  'fast',
  'medium',
] as const;
export type X264Preset = (typeof X264_PRESETS)[number];

export interface EncoderSettings {
  preset: X264Preset;
  crf: number;
  /** Video bitrate ceiling; keeps a 12 s ad under 15 MB even for noisy footage. */
  maxrateKbps: number;
  audioKbps: number;
}

/**
 * veryfast measured best on 2 cores: superfast saves ~25 % time but costs ~30 % more bytes at the
 * same CRF, faster and fast roughly double the encode time for a few percent.
 */
export const DEFAULT_ENCODER: EncoderSettings = {
  preset: 'veryfast',
  crf: 23,
  maxrateKbps: 8000,
  audioKbps: 160,
};

export interface RenderArgsInput {
  clips: readonly RenderClip[];
  productName: string;
  callToAction: string;
  /** Lower-third text over the clips; the product name when absent. */
  tagline?: string | null | undefined;
  colors: RenderColors;
  musicPath: string | null;
  fonts: RenderFonts;
  /** Directory for the text files; must exist before FFmpeg runs. */
  workDir: string;
  outputPath: string;
  width?: number;
  height?: number;
  fps?: number;
  introSeconds?: number;
  outroSeconds?: number;
  crossfadeSeconds?: number;
  encoder?: Partial<EncoderSettings>;
}

export interface TextFile {
  path: string;
  content: string;
}

export interface RenderArgs {
  args: string[];
  textFiles: TextFile[];
  durationSeconds: number;
  timeline: Timeline;
}

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** '#RRGGBB' to FFmpeg's 0xRRGGBB; anything else throws, since it lands in the filter graph. */
export function toFfmpegColour(value: string, label: string): string {
  if (!HEX_COLOUR.test(value)) throw new Error(`${label} colour must be #RRGGBB`);
  return `0x${value.slice(1).toUpperCase()}`;
}

/** Seconds with microsecond precision, the resolution FFmpeg keeps for durations anyway. */
const sec = (value: number) => String(Math.round(value * 1e6) / 1e6);

const TEXT_FADE_SECONDS = 0.4;

export function buildRenderArgs(input: RenderArgsInput): RenderArgs {
  const width = input.width ?? VIDEO_WIDTH;
  const height = input.height ?? VIDEO_HEIGHT;
  const fps = input.fps ?? VIDEO_FPS;
  const encoder = { ...DEFAULT_ENCODER, ...input.encoder };
  if (!X264_PRESETS.includes(encoder.preset)) throw new Error('Unknown x264 preset');
  for (const value of [width, height, fps, encoder.crf, encoder.maxrateKbps, encoder.audioKbps]) {
    if (!Number.isInteger(value) || value <= 0) throw new Error('Sizes and rates must be integers');
  }
  const colours = {
    primary: toFfmpegColour(input.colors.primary, 'Primary'),
    accent: toFfmpegColour(input.colors.accent, 'Accent'),
    text: toFfmpegColour(input.colors.text, 'Text'),
  };
  const fonts = {
    regular: escapeFilterValue(input.fonts.regular),
    bold: escapeFilterValue(input.fonts.bold),
  };

  const productName = prepareText(input.productName, 'Product name');
  const callToAction = prepareText(input.callToAction, 'Call to action');
  const lowerThird =
    input.tagline && input.tagline.trim() ? prepareText(input.tagline, 'Tagline') : productName;
  // Fixed names: nothing about the file name comes from the user.
  const textFiles: TextFile[] = [
    { path: join(input.workDir, 'product-name.txt'), content: productName },
    { path: join(input.workDir, 'call-to-action.txt'), content: callToAction },
    { path: join(input.workDir, 'lower-third.txt'), content: lowerThird },
  ];
  const [nameFile, ctaFile, lowerFile] = textFiles.map((file) => escapeFilterValue(file.path));

  const timeline = planTimeline({
    clipDurations: input.clips.map((clip) => clip.durationSeconds),
    introSeconds: input.introSeconds ?? 1.5,
    outroSeconds: input.outroSeconds ?? 2,
    crossfadeSeconds: input.crossfadeSeconds ?? 0.5,
    minTotal: 8,
    maxTotal: 12,
    fps,
  });
  const total = timeline.totalSeconds;
  const frame = { width, height, fps };

  const chains: string[] = [];
  timeline.segments.forEach((segment, index) => {
    const label = `[s${index}]`;
    if (segment.kind === 'intro') {
      chains.push(introCard(segment, frame, colours, fonts.bold, nameFile!, productName) + label);
    } else if (segment.kind === 'outro') {
      chains.push(
        outroCard(
          segment,
          frame,
          colours,
          fonts,
          { nameFile: nameFile!, ctaFile: ctaFile! },
          {
            productName,
            callToAction,
          },
        ) + label,
      );
    } else {
      chains.push(clipChain(segment, frame) + label);
    }
  });

  chains.push(joinSegments(timeline) + '[joined]');

  const firstClip = timeline.segments[1];
  const outro = timeline.segments.at(-1);
  const lowerStart = (firstClip?.startSeconds ?? 0) + timeline.crossfadeSeconds + 0.2;
  const lowerEnd = outro?.startSeconds ?? total;
  const lowerSize = fitFontSize(lowerThird, {
    preferred: Math.round(height * 0.052),
    maxWidth: width * 0.8,
    maxHeight: height * 0.3,
    min: 18,
  });
  const margin = Math.round(height * 0.09);
  chains.push(
    '[joined]' +
      drawtext({
        font: fonts.bold,
        file: lowerFile!,
        colour: colours.text,
        size: lowerSize,
        x: String(margin),
        y: `h-text_h-${Math.round(height * 0.11)}`,
        alpha: fadeInOut(lowerStart, lowerEnd),
        extra: [
          'box=1',
          `boxcolor=${colours.primary}@0.82`,
          `boxborderw=${Math.round(lowerSize * 0.45)}`,
          `enable='between(t,${sec(lowerStart)},${sec(lowerEnd)})'`,
        ],
      }) +
      '[vout]',
  );

  const musicIndex = input.clips.length;
  chains.push((input.musicPath === null ? silence(total) : musicBed(musicIndex, total)) + '[aout]');

  const args = ['-y'];
  for (const clip of input.clips) args.push('-i', fileUrl(clip.path));
  if (input.musicPath !== null) args.push('-i', fileUrl(input.musicPath));
  args.push(
    '-filter_complex',
    chains.join(';\n'),
    '-map',
    '[vout]',
    '-map',
    '[aout]',
    '-c:v',
    'libx264',
    '-preset',
    encoder.preset,
    '-crf',
    String(encoder.crf),
    '-maxrate',
    `${encoder.maxrateKbps}k`,
    // A buffer of 1.5 s at the ceiling bounds how far the whole file can overshoot it.
    '-bufsize',
    `${Math.round(encoder.maxrateKbps * 1.5)}k`,
    '-profile:v',
    'high',
    '-pix_fmt',
    'yuv420p',
    '-r',
    String(fps),
    '-g',
    String(fps * 2),
    '-c:a',
    'aac',
    '-b:a',
    `${encoder.audioKbps}k`,
    '-ar',
    '48000',
    '-ac',
    '2',
    '-movflags',
    '+faststart',
    '-t',
    sec(total),
    '-f',
    'mp4',
    fileUrl(input.outputPath),
  );

  return { args, textFiles, durationSeconds: total, timeline };
}

interface Frame {
  width: number;
  height: number;
  fps: number;
}

type Colours = { primary: string; accent: string; text: string };

/**
 * `file:` stops FFmpeg from reading a path as another protocol or an option (a name starting
 * with '-', 'concat:', 'http:').
 */
function fileUrl(path: string): string {
  return `file:${path}`;
}

function clipChain(segment: TimelineSegment, frame: Frame): string {
  const frames = Math.round(segment.shownSeconds * frame.fps);
  const filters = [
    `[${segment.clipIndex}:v:0]trim=duration=${sec(segment.sourceSeconds)}`,
    'setpts=PTS-STARTPTS',
  ];
  if (segment.slowdown > 1) filters.push(`setpts=${sec(segment.slowdown)}*PTS`);
  filters.push(
    // Frame rate first so the scaler only sees frames that will be kept.
    `fps=${frame.fps}`,
    `scale=${frame.width}:${frame.height}:force_original_aspect_ratio=increase`,
    `crop=${frame.width}:${frame.height}`,
    'setsar=1',
    'format=yuv420p',
    // A few spare frames beyond the planned hold absorb rounding in fps; trim cuts them exactly.
    `tpad=stop_mode=clone:stop_duration=${sec(segment.holdSeconds + 0.2)}`,
    `trim=end_frame=${frames}`,
    'setpts=PTS-STARTPTS',
  );
  return filters.join(',');
}

function colourCard(segment: TimelineSegment, frame: Frame, colour: string): string {
  return [
    `color=c=${colour}:s=${frame.width}x${frame.height}:r=${frame.fps}:d=${sec(segment.shownSeconds)}`,
    'format=yuv420p',
    'setsar=1',
  ].join(',');
}

function introCard(
  segment: TimelineSegment,
  frame: Frame,
  colours: Colours,
  boldFont: string,
  nameFile: string,
  productName: string,
): string {
  const size = fitFontSize(productName, {
    preferred: Math.round(frame.height * 0.11),
    maxWidth: frame.width * 0.8,
    maxHeight: frame.height * 0.5,
    min: 24,
  });
  const rise = Math.round(frame.height * 0.05);
  const barWidth = Math.round(frame.width * 0.16);
  const barY = Math.round(frame.height / 2 + textBlockHeight(productName, size) / 2 + size * 0.35);
  return [
    colourCard(segment, frame, colours.primary),
    `drawbox=x=${Math.round((frame.width - barWidth) / 2)}:y=${barY}:w=${barWidth}:h=${Math.max(
      2,
      Math.round(frame.height * 0.008),
    )}:color=${colours.accent}:t=fill:enable='gte(t,0.5)'`,
    // Slides up into place while fading in, easing out.
    drawtext({
      font: boldFont,
      file: nameFile,
      colour: colours.text,
      size,
      x: '(w-text_w)/2',
      y: `(h-text_h)/2+${rise}*pow(max(0,1-t/0.7),2)`,
      alpha: 'min(1,t/0.6)',
    }),
  ].join(',');
}

function outroCard(
  segment: TimelineSegment,
  frame: Frame,
  colours: Colours,
  fonts: { regular: string; bold: string },
  files: { nameFile: string; ctaFile: string },
  text: { productName: string; callToAction: string },
): string {
  const nameSize = fitFontSize(text.productName, {
    preferred: Math.round(frame.height * 0.055),
    maxWidth: frame.width * 0.8,
    maxHeight: frame.height * 0.2,
    min: 18,
  });
  const ctaSize = fitFontSize(text.callToAction, {
    preferred: Math.round(frame.height * 0.085),
    maxWidth: frame.width * 0.72,
    maxHeight: frame.height * 0.4,
    min: 24,
  });
  return [
    colourCard(segment, frame, colours.primary),
    drawtext({
      font: fonts.regular,
      file: files.nameFile,
      colour: colours.text,
      size: nameSize,
      x: '(w-text_w)/2',
      y: `h*0.27-text_h/2`,
      alpha: 'min(1,t/0.5)',
    }),
    drawtext({
      font: fonts.bold,
      file: files.ctaFile,
      colour: colours.text,
      size: ctaSize,
      x: '(w-text_w)/2',
      y: '(h-text_h)/2+h*0.05',
      alpha: 'clip((t-0.25)/0.5,0,1)',
      extra: ['box=1', `boxcolor=${colours.accent}`, `boxborderw=${Math.round(ctaSize * 0.5)}`],
    }),
  ].join(',');
}

/** Crossfades every segment into the next; a plain concat when fades are switched off. */
function joinSegments(timeline: Timeline): string {
  const count = timeline.segments.length;
  if (timeline.crossfadeSeconds === 0) {
    const inputs = timeline.segments.map((_, i) => `[s${i}]`).join('');
    return `${inputs}concat=n=${count}:v=1:a=0`;
  }
  const steps: string[] = [];
  let previous = '[s0]';
  for (let i = 1; i < count; i++) {
    const offset = timeline.segments[i]?.startSeconds ?? 0;
    const fade = `xfade=transition=fade:duration=${sec(timeline.crossfadeSeconds)}:offset=${sec(offset)}`;
    const isLast = i === count - 1;
    steps.push(`${previous}[s${i}]${fade}${isLast ? '' : `[x${i}]`}`);
    previous = `[x${i}]`;
  }
  return steps.join(';\n');
}

function fadeInOut(start: number, end: number): string {
  const d = TEXT_FADE_SECONDS;
  return `clip(min((t-${sec(start)})/${d},(${sec(end)}-t)/${d}),0,1)`;
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

/**
 * Music trimmed to the ad, brought to a consistent loudness, then faded. The fades come after
 * loudnorm, which would otherwise lift them back up.
 */
function musicBed(inputIndex: number, total: number): string {
  const fadeOut = Math.min(1.5, total / 4);
  return [
    `[${inputIndex}:a:0]atrim=duration=${sec(total)}`,
    'asetpts=PTS-STARTPTS',
    'loudnorm=I=-16:TP=-1.5:LRA=11',
    'aresample=48000',
    'aformat=sample_fmts=fltp:channel_layouts=stereo',
    // Music shorter than the ad ends in silence rather than cutting the video short.
    `apad=whole_dur=${sec(total)}`,
    'afade=t=in:d=0.5',
    `afade=t=out:st=${sec(total - fadeOut)}:d=${sec(fadeOut)}`,
  ].join(',');
}

/** A silent track so players that expect audio (and autoplay rules) behave. */
function silence(total: number): string {
  return `anullsrc=r=48000:cl=stereo,atrim=duration=${sec(total)}`;
}
