import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobe, runFfmpeg } from '../media/ffmpeg';
import type { FfmpegProgress } from '../media/ffmpeg';
import { VIDEO_HEIGHT, VIDEO_WIDTH } from '../../core/options';
import { buildRenderArgs } from './args';
import type { RenderArgs, RenderArgsInput, RenderClip } from './args';
import { defaultFonts, type RenderFonts } from '../../graphics/fonts';
import { layoutAd } from '../../core/render/layout';
import { drawLayers } from '../../graphics/text-layers';
import { adTexts, planTextLayers } from '../../core/render/text-plan';

export interface RenderAdInput extends Omit<RenderArgsInput, 'clips' | 'layers'> {
  /** Clips in display order; durations are probed when not given. */
  clips: ReadonlyArray<
    Omit<RenderClip, 'durationSeconds'> & { durationSeconds?: number | undefined }
  >;
  productName: string;
  callToAction: string;
  /** Lower-third text over the clips; the product name when absent. */
  tagline?: string | null | undefined;
  fonts?: RenderFonts | undefined;
}

export interface RenderProgress {
  /** 0..1 share of the ad written so far. */
  fraction: number;
  outTimeSeconds: number;
  speed: number | null;
}

export interface RenderAdOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: RenderProgress) => void) | undefined;
  /** Parent of the per-render work directory; the system temp directory by default. */
  tempRoot?: string | undefined;
}

export interface RenderedAd {
  path: string;
  /** Where the text layers were placed, for checks against the safe zone. */
  textBoxes: RenderArgs['textBoxes'];
  /** When each card and clip shows, for checks on sampled frames. */
  timeline: RenderArgs['timeline'];
  durationSeconds: number;
  bytes: number;
  width: number;
  height: number;
}

/**
 * Renders the ad in one FFmpeg run. The work directory only holds the drawn text layers,
 * and it goes away however the render ends; a partial output is removed on failure so nothing
 * downstream mistakes it for a finished ad.
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
  const layout = layoutAd(input.width ?? VIDEO_WIDTH, input.height ?? VIDEO_HEIGHT);
  const specs = planTextLayers(layout, texts, input.colors);
  const workDir = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'render-'));
  try {
    const layers = await drawLayers(specs, input.fonts ?? defaultFonts(), workDir);
    signal?.throwIfAborted();
    const built = buildRenderArgs({ ...input, clips, layers });
    const totalFrames = Math.round(built.durationSeconds * built.timeline.fps);
    try {
      await runFfmpeg(built.args, {
        signal,
        onProgress: (progress) =>
          onProgress?.({
            fraction: progress.done
              ? 1
              : fractionDone(progress, built.durationSeconds, totalFrames),
            outTimeSeconds: progress.outTimeSeconds,
            speed: progress.speed,
          }),
      });
      return {
        ...(await describeOutput(input.outputPath, signal)),
        textBoxes: built.textBoxes,
        timeline: built.timeline,
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
): Promise<Omit<RenderedAd, 'textBoxes' | 'timeline'>> {
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

/**
 * FFmpeg's out_time follows the furthest stream, and the audio jumps to the end while x264 still
 * holds its lookahead frames; the video frame count keeps the bar honest over that stretch.
 */
function fractionDone(progress: FfmpegProgress, durationSeconds: number, frames: number): number {
  const byTime = progress.outTimeSeconds / durationSeconds;
  const byFrames = progress.frame / frames;
  return Math.max(0, Math.min(1, byTime, byFrames));
}
