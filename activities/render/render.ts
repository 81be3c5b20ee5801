import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobe } from '../media/ffmpeg';
import { VIDEO_FPS, VIDEO_HEIGHT, VIDEO_WIDTH } from '../../core/options';
import type { Cue } from '../../core/voice-timing';
import { buildVideoGraph, lowerThirdWindow, timelineOf } from './args';
import type { RenderArgsInput, RenderClip, TextBoxes } from './args';
import type { Timeline } from '../../core/render/timeline';
import { defaultFonts, type RenderFonts } from '../../graphics/fonts';
import { introRulePosition, layerPositions, type PlacedLayer } from '../../core/render/positions';
import { drawCaptions, type PlacedCaption } from './captions';
import { layoutAd } from '../../core/render/layout';
import { mixAudio, type AudioReadout } from './mix';
import { productBoxInFrame, screenObstacles } from './obstacles';
import { sampleBehind } from './behind-text';
import { layoutClearOf } from '../../core/render/clear-of-product';
import { drawLayers } from '../../graphics/text-layers';
import type { LayerName } from '../../core/render/text-plan';
import { adTexts, planTextLayers } from '../../core/render/text-plan';
import { renderInParts } from './parts-render';
import type { PartCache, RenderedPart } from './parts-render';

export interface RenderAdInput extends Omit<
  RenderArgsInput,
  'clips' | 'layers' | 'audioPath' | 'captions'
> {
  /** Clips in display order; durations are probed when not given. */
  clips: ReadonlyArray<
    Omit<RenderClip, 'durationSeconds'> & { durationSeconds?: number | undefined }
  >;
  productName: string;
  callToAction: string;
  /** Lower-third text over the clips; the product name when absent. */
  tagline?: string | null | undefined;
  fonts?: RenderFonts | undefined;
  /** The music bed; null for none. */
  musicPath: string | null;
  /** The voiceover track (as long as the ad) and its phrases' times; captions follow them. */
  voice?: { path: string; cues: readonly Cue[] } | null | undefined;
  /** Burn the voice's captions in (default: yes, when there is a voice). */
  burnCaptions?: boolean | undefined;
}

export interface RenderProgress {
  /** 0..1 share of the frames this render encodes (1 once the MP4 is written). */
  fraction: number;
  /** Seconds of video encoded so far by this render. */
  outTimeSeconds: number;
  speed: number | null;
}

export interface RenderAdOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: RenderProgress) => void) | undefined;
  /** Parent of the per-render work directory; the system temp directory by default. */
  tempRoot?: string | undefined;
  /** Parts of earlier renders, reused when their signature matches; without it all are encoded. */
  parts?: PartCache | undefined;
}

export interface RenderedAd {
  path: string;
  /** Where the text layers were placed, for checks against the safe zone. */
  textBoxes: TextBoxes;
  /** When each card and clip shows, for checks on sampled frames. */
  timeline: Timeline;
  /** The captions drawn into the ad, where and when. */
  captions: PlacedCaption[];
  /** The loudness the sound landed on; null for a silent ad. */
  audio: AudioReadout | null;
  /** The video's parts in order, and which of them came from the cache. */
  parts: RenderedPart[];
  durationSeconds: number;
  bytes: number;
  width: number;
  height: number;
}

/**
 * Renders the ad after its sound has been mixed to its loudness: its video in parts, encoding
 * only those the cache does not hold (parts-render.ts), then joined with the sound. The work
 * directory holds the drawn text layers, the captions, the mixed sound and the parts, and it goes
 * away however the render ends; a partial output is removed on failure so nothing downstream
 * mistakes it for a finished ad.
 */
export async function renderAd(
  input: RenderAdInput,
  options: RenderAdOptions = {},
): Promise<RenderedAd> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const clips = await Promise.all(
    input.clips.map(async (clip) => ({
      ...clip,
      durationSeconds: clip.durationSeconds ?? (await probeDuration(clip.path, signal)),
    })),
  );

  const texts = adTexts(input);
  const width = input.width ?? VIDEO_WIDTH;
  const height = input.height ?? VIDEO_HEIGHT;
  const frame = { width, height };
  // The lower third shows over the clips: it keeps off the product in every one of them, and
  // reads against what they actually show where it lands.
  const productBoxes = clips.flatMap((clip) => productBoxInFrame(clip, frame) ?? []);
  const layout = layoutClearOf(layoutAd(width, height), productBoxes);
  const timeline = timelineOf({ ...input, clips, fps: input.fps ?? VIDEO_FPS });
  const voice = input.voice ?? null;
  const workDir = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'render-'));
  try {
    const behind = await sampleBehind(clips, layout.lowerThird.box, frame, workDir, signal);
    const specs = planTextLayers(layout, texts, input.colors, { lowerThird: behind });
    const fonts = input.fonts ?? defaultFonts();
    const audioPath = input.musicPath || voice ? join(workDir, 'sound.wav') : null;
    // The sound is mixed (and measured) while the text is drawn: both are short, apart from FFmpeg.
    const [layers, audio] = await Promise.all([
      drawLayers(specs, fonts, workDir),
      audioPath
        ? mixAudio(
            {
              totalSeconds: timeline.totalSeconds,
              musicPath: input.musicPath,
              voice,
              outputPath: audioPath,
              workDir,
            },
            signal,
          )
        : null,
    ]);
    signal?.throwIfAborted();
    let captions: PlacedCaption[] = [];
    if (voice && voice.cues.length > 0 && input.burnCaptions !== false) {
      const placed = {} as Record<LayerName, PlacedLayer>;
      for (const layer of layers) placed[layer.name] = { ...layer, inputIndex: 0 };
      const style = { layout, layers: placed };
      const obstacles = screenObstacles({
        timeline,
        clips,
        frame: { width, height },
        textBoxes: { ...layerPositions(style), introRule: introRulePosition(style) },
        lowerThird: lowerThirdWindow(timeline, input.beatGrid),
      });
      captions = await drawCaptions(voice.cues, layout, input.colors, obstacles, fonts, workDir);
    }
    const graph = buildVideoGraph({ ...input, clips, layers, audioPath, captions, layout });
    try {
      const parts = await renderInParts({
        graph,
        audioPath,
        outputPath: input.outputPath,
        workDir,
        cache: options.parts,
        signal,
        onProgress: (progress) =>
          onProgress?.({
            fraction: progress.fraction,
            outTimeSeconds: progress.frame / graph.fps,
            speed: null,
          }),
      });
      return {
        ...(await describeOutput(input.outputPath, signal)),
        textBoxes: graph.textBoxes,
        timeline: graph.timeline,
        captions,
        audio,
        parts,
      };
    } catch (error) {
      await rm(input.outputPath, { force: true });
      throw error;
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function describeOutput(
  path: string,
  signal: AbortSignal | undefined,
): Promise<Omit<RenderedAd, 'textBoxes' | 'timeline' | 'captions' | 'audio' | 'parts'>> {
  const [probe, file] = await Promise.all([ffprobe(path, signal), stat(path)]);
  const video = probe.streams.find((stream) => stream.codec_type === 'video');
  return {
    path,
    durationSeconds: Number(probe.format.duration ?? NaN),
    bytes: file.size,
    width: video?.width ?? 0,
    height: video?.height ?? 0,
  };
}

async function probeDuration(path: string, signal: AbortSignal | undefined): Promise<number> {
  const probe = await ffprobe(path, signal);
  const video = probe.streams.find((stream) => stream.codec_type === 'video');
  const seconds = Number(video?.duration ?? probe.format.duration);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`No duration for ${path}`);
  return seconds;
}
