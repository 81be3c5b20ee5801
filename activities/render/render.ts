import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobe, runFfmpeg } from '../media/ffmpeg';
import type { FfmpegProgress } from '../media/ffmpeg';
import { buildRenderArgs } from './args';
import type { RenderArgsInput } from './args';
import { defaultFonts } from './fonts';

export interface RenderAdInput extends Omit<RenderArgsInput, 'clips' | 'workDir' | 'fonts'> {
  /** Clips in display order; durations are probed when not given. */
  clips: ReadonlyArray<{ path: string; durationSeconds?: number | undefined }>;
  fonts?: RenderArgsInput['fonts'] | undefined;
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
  durationSeconds: number;
  bytes: number;
  width: number;
  height: number;
}

/**
 * Renders the ad in one FFmpeg run. The work directory only holds the text files drawtext reads,
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
      path: clip.path,
      durationSeconds: clip.durationSeconds ?? (await probeDuration(clip.path, signal)),
    })),
  );

  const workDir = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'render-'));
  try {
    const built = buildRenderArgs({
      ...input,
      clips,
      fonts: input.fonts ?? defaultFonts(),
      workDir,
    });
    await Promise.all(built.textFiles.map((file) => writeFile(file.path, file.content, 'utf8')));
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
      return await describeOutput(input.outputPath, signal);
    } catch (error) {
      await rm(input.outputPath, { force: true });
      throw error;
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function describeOutput(path: string, signal: AbortSignal | undefined): Promise<RenderedAd> {
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
