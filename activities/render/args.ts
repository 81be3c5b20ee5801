import { HEX_COLOUR } from '../../core/colour';
import { AD_TIMING } from '../../core/ad-timing';
import type { ProductBox } from '../../core/session';
import { VIDEO_FPS, VIDEO_HEIGHT, VIDEO_WIDTH } from '../../core/options';
import type { PlacedCaption } from './captions';
import { introCard, lowerThird, outroCard } from './cards';
import { introRulePosition, layerPositions } from '../../core/render/positions';
import type { CardStyle } from './cards';
import type { PlacedLayer } from '../../core/render/positions';
import { snapToBeats } from '../media/beats';
import { clipChain, joinSegments } from './clips';
import { sec } from './filter-values';
import { layoutAd } from '../../core/render/layout';
import type { AdLayout, Box } from '../../core/render/layout';
import type { LayerName } from '../../core/render/text-plan';
import { LAYER_NAMES } from '../../core/render/text-plan';
import { planTimeline } from '../../core/render/timeline';
import type { Timeline } from '../../core/render/timeline';

/**
 * Builds the ad's FFmpeg filter graph: intro card, normalised clips joined by crossfades, a lower
 * third, the captions and outro card, at the session's frame size, with the encoder settings for
 * its video and for the finished sound track (mix.ts). The render encodes it in parts and joins
 * them with the sound (parts-args.ts, parts-render.ts).
 *
 * User text never appears in the returned arguments: it arrives already drawn as PNG layers
 * (graphics/text-layers.ts), and the graph only overlays those files at the layout's positions.
 */

export interface RenderClip {
  path: string;
  durationSeconds: number;
  /** The clip's own size, when known: a clip of another shape than the ad is reframed. */
  width?: number | undefined;
  height?: number | undefined;
  /** Where the product is in the clip (fractions), the centre of a reframe. */
  productBox?: ProductBox | undefined;
}

/** A clip whose shape differs from the ad's (beyond rounding) is reframed around its product. */
function reframeOf(clip: RenderClip | undefined, width: number, height: number) {
  if (!clip?.width || !clip.height) return undefined;
  if (Math.abs(clip.width / clip.height - width / height) < 0.01) return undefined;
  return { source: { width: clip.width, height: clip.height }, box: clip.productBox };
}

export interface RenderColors {
  primary: string;
  accent: string;
  text: string;
}

/** A drawn text layer: a transparent PNG whose size the layout needs to place it. */
export interface RenderLayer {
  name: LayerName;
  path: string;
  width: number;
  height: number;
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
 * veryfast, from measurements on 2 cores (bench/render.ts): superfast used about a third less CPU
 * but made ~50 % larger files at the same CRF; faster took ~50 % longer for the whole render.
 */
export const DEFAULT_ENCODER: EncoderSettings = {
  preset: 'veryfast',
  crf: 23,
  maxrateKbps: 8000,
  audioKbps: 160,
};

export interface RenderArgsInput {
  clips: readonly RenderClip[];
  /** One drawn layer per name in LAYER_NAMES. */
  layers: readonly RenderLayer[];
  colors: RenderColors;
  /** The ad's finished sound (mix.ts: music, voice, loudness), as long as the ad; null: silent. */
  audioPath: string | null;
  /** Drawn captions, each overlaid while its phrase is heard. */
  captions?: readonly PlacedCaption[] | undefined;
  outputPath: string;
  width?: number;
  height?: number;
  fps?: number;
  /** The text's places when they were moved clear of the product (default: layoutAd's). */
  layout?: AdLayout | undefined;
  introSeconds?: number;
  outroSeconds?: number;
  crossfadeSeconds?: number;
  /** The ad's chosen length; the timeline fits clips and cards to it (absent: 8 to 12 s). */
  durationSeconds?: number | undefined;
  encoder?: Partial<EncoderSettings>;
  /**
   * The music's beat grid (media/beats.ts): cuts and the lower third's entrance move to the
   * nearest beat within the tolerance. Absent: timing as planned.
   */
  beatGrid?: { beats: readonly number[]; toleranceSeconds: number } | undefined;
}

/** Where each text layer (and the intro's accent rule) lands in the frame. */
export type TextBoxes = Record<LayerName | 'introRule', Box>;

/** '#RRGGBB' to FFmpeg's 0xRRGGBB; anything else throws, since it lands in the filter graph. */
export function toFfmpegColour(value: string, label: string): string {
  if (!HEX_COLOUR.test(value)) throw new Error(`${label} colour must be #RRGGBB`);
  return `0x${value.slice(1).toUpperCase()}`;
}

/** The ad's timeline, as the render will build it (pure: the mix needs the length first). */
export function timelineOf(
  input: Pick<
    RenderArgsInput,
    | 'clips'
    | 'fps'
    | 'introSeconds'
    | 'outroSeconds'
    | 'crossfadeSeconds'
    | 'durationSeconds'
    | 'beatGrid'
  >,
): Timeline {
  return planTimeline({
    clipDurations: input.clips.map((clip) => clip.durationSeconds),
    introSeconds: input.introSeconds ?? AD_TIMING.introSeconds,
    outroSeconds: input.outroSeconds ?? AD_TIMING.outroSeconds,
    crossfadeSeconds: input.crossfadeSeconds ?? AD_TIMING.crossfadeSeconds,
    minTotal: input.durationSeconds ?? AD_TIMING.minTotal,
    maxTotal: input.durationSeconds ?? AD_TIMING.maxTotal,
    fps: input.fps ?? VIDEO_FPS,
    beatGrid: input.beatGrid,
  });
}

/**
 * When the lower third shows: once the first clip is fully in (on a beat when one is close),
 * until the outro comes in.
 */
export function lowerThirdWindow(
  timeline: Timeline,
  beatGrid: RenderArgsInput['beatGrid'],
): { start: number; end: number } {
  const firstClip = timeline.segments[1];
  const fadedIn = (firstClip?.startSeconds ?? 0) + timeline.crossfadeSeconds;
  const planned = fadedIn + 0.2;
  const start = beatGrid
    ? Math.max(fadedIn, snapToBeats([planned], beatGrid.beats, beatGrid.toleranceSeconds)[0]!)
    : planned;
  return { start, end: timeline.segments.at(-1)?.startSeconds ?? timeline.totalSeconds };
}

/** One chain of the video graph and the stretch of the ad whose frames it can change. */
export interface GraphChain {
  text: string;
  /** Seconds of the ad this chain shows in; null when it shapes every frame (the join). */
  window: { start: number; end: number } | null;
}

/**
 * The ad's video as a filter graph over numbered inputs, ending in `[vout]`, with what the
 * encoder needs to know about the frames. The chains carry their time windows so a render in
 * parts (parts.ts) can tell which of them, and which inputs, shape a given stretch of frames.
 */
export interface VideoGraph {
  /** The `-i` files in order: clips, the sound when there is one, the layers, the captions. */
  inputs: string[];
  chains: GraphChain[];
  /** The sound's input index; null for a silent ad. */
  audioIndex: number | null;
  width: number;
  height: number;
  fps: number;
  encoder: EncoderSettings;
  timeline: Timeline;
  totalFrames: number;
  durationSeconds: number;
  textBoxes: TextBoxes;
}

export function buildVideoGraph(input: Omit<RenderArgsInput, 'outputPath'>): VideoGraph {
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
  const audioIndex = input.clips.length;
  const firstLayerIndex = audioIndex + (input.audioPath === null ? 0 : 1);
  const layers = Object.fromEntries(
    LAYER_NAMES.map((name, offset) => {
      const drawn = input.layers.find((layer) => layer.name === name);
      if (!drawn) throw new Error(`The ${name} text layer is missing`);
      const placed: PlacedLayer = {
        name,
        inputIndex: firstLayerIndex + offset,
        width: drawn.width,
        height: drawn.height,
      };
      return [name, placed];
    }),
  ) as Record<LayerName, PlacedLayer>;
  const style: CardStyle = {
    frame: { width, height, fps },
    layout: input.layout ?? layoutAd(width, height),
    colours: { primary: colours.primary, accent: colours.accent },
    layers,
  };

  const timeline = timelineOf({ ...input, fps });
  const total = timeline.totalSeconds;

  const chains: GraphChain[] = timeline.segments.map((segment, index) => {
    const label = `s${index}`;
    const window = {
      start: segment.startSeconds,
      end: segment.startSeconds + segment.shownSeconds,
    };
    if (segment.kind === 'intro') return { text: introCard(segment, style, label), window };
    if (segment.kind === 'outro') return { text: outroCard(segment, style, label), window };
    const clipIndex = segment.clipIndex ?? 0;
    const reframe = reframeOf(input.clips[clipIndex], width, height);
    return { text: clipChain(clipIndex, segment, style.frame, reframe) + `[${label}]`, window };
  });
  chains.push({ text: joinSegments(timeline) + '[joined]', window: null });

  // The lower third waits for the first clip to be fully in and leaves as the outro fades in.
  const lower = lowerThirdWindow(timeline, input.beatGrid);
  const captions = input.captions ?? [];
  chains.push({
    text: lowerThird('joined', lower.start, lower.end, style, captions.length ? 'lowered' : 'vout'),
    window: lower,
  });
  // Each caption is one still (its decoded frame is repeated by the overlay), shown while heard.
  const firstCaptionIndex = firstLayerIndex + LAYER_NAMES.length;
  captions.forEach((caption, i) => {
    const from = i === 0 ? 'lowered' : `cap${i - 1}`;
    const to = i === captions.length - 1 ? 'vout' : `cap${i}`;
    const window = { start: caption.startSeconds, end: caption.endSeconds };
    chains.push(
      { text: `[${firstCaptionIndex + i}:v]format=yuva420p[capin${i}]`, window },
      {
        text:
          `[${from}][capin${i}]overlay=x=${caption.x}:y=${caption.y}:format=yuv420` +
          `:enable='between(t,${sec(caption.startSeconds)},${sec(caption.endSeconds)})'[${to}]`,
        window,
      },
    );
  });

  const inputs = input.clips.map((clip) => clip.path);
  if (input.audioPath !== null) inputs.push(input.audioPath);
  // Each text layer is one still; the graph repeats its decoded frame for as long as it shows.
  for (const name of LAYER_NAMES) {
    inputs.push(input.layers.find((layer) => layer.name === name)?.path ?? '');
  }
  for (const caption of captions) inputs.push(caption.path);

  return {
    inputs,
    chains,
    audioIndex: input.audioPath === null ? null : audioIndex,
    width,
    height,
    fps,
    encoder,
    timeline,
    totalFrames: Math.round(total * fps),
    durationSeconds: total,
    textBoxes: { ...layerPositions(style), introRule: introRulePosition(style) },
  };
}

/** `-i` for every input of the graph, in order. */
export function inputArgs(graph: Pick<VideoGraph, 'inputs'>): string[] {
  return graph.inputs.flatMap((path) => ['-i', fileUrl(path)]);
}

/** The x264 settings of the ad's video: everything that decides how its frames are coded. */
export function videoEncoderArgs(graph: Pick<VideoGraph, 'encoder' | 'fps'>): string[] {
  const { encoder, fps } = graph;
  return [
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
  ];
}

/** AAC at 48 kHz stereo, what every platform takes. */
export function audioEncoderArgs(encoder: Pick<EncoderSettings, 'audioKbps'>): string[] {
  return ['-c:a', 'aac', '-b:a', `${encoder.audioKbps}k`, '-ar', '48000', '-ac', '2'];
}

/** The chains joined into one `-filter_complex` description. */
export function graphText(chains: readonly Pick<GraphChain, 'text'>[]): string {
  return chains.map((chain) => chain.text).join(';\n');
}

/**
 * `file:` stops FFmpeg from reading a path as another protocol or an option (a name starting
 * with '-', 'concat:', 'http:').
 */
export function fileUrl(path: string): string {
  return `file:${path}`;
}
