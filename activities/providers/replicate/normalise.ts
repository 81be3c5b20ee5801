import sharp from 'sharp';
import { CLIP_VIDEO_OUTPUT, MUSIC_AUDIO_OUTPUT } from '../../media/encoders';
import { ffprobe, runFfmpeg } from '../../media/ffmpeg';

/**
 * Models return their own sizes, frame rates and lengths (seedance 720p at 24 fps, wan 480p at
 * 16 fps for 5 s, SVD 1024x576 at 6 fps). Everything is brought to the session's format here, so
 * the render and the previews see one shape. Argument builders are pure; only `run*` spawn.
 */

export interface ClipFormat {
  width: number;
  height: number;
  fps: number;
  /** Longer outputs are cut to this. */
  maxSeconds: number;
}

/** Scales to cover the frame, crops the centre, resamples to the fps; numbers only in filters. */
export function buildClipNormaliseArgs(
  input: string,
  output: string,
  format: ClipFormat,
): string[] {
  const { width, height, fps } = format;
  return [
    '-y',
    '-i',
    input,
    '-t',
    format.maxSeconds.toFixed(3),
    '-vf',
    `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},fps=${fps},setsar=1,format=yuv420p`,
    '-an',
    ...CLIP_VIDEO_OUTPUT,
    output,
  ];
}

export function buildAudioNormaliseArgs(input: string, output: string, maxSeconds: number) {
  return ['-y', '-i', input, '-t', maxSeconds.toFixed(3), '-vn', ...MUSIC_AUDIO_OUTPUT, output];
}

export async function normaliseClip(
  input: string,
  output: string,
  format: ClipFormat,
  signal?: AbortSignal,
) {
  await runFfmpeg(buildClipNormaliseArgs(input, output, format), { signal });
  const probe = await ffprobe(output, signal);
  const video = probe.streams.find((s) => s.codec_type === 'video');
  return {
    width: video?.width ?? format.width,
    height: video?.height ?? format.height,
    durationSeconds: Number(probe.format.duration ?? video?.duration ?? format.maxSeconds),
  };
}

export async function normaliseAudio(
  input: string,
  output: string,
  maxSeconds: number,
  signal?: AbortSignal,
) {
  await runFfmpeg(buildAudioNormaliseArgs(input, output, maxSeconds), { signal });
  const probe = await ffprobe(output, signal);
  return { durationSeconds: Number(probe.format.duration ?? maxSeconds) };
}

/** Any image the model returned, as a PNG covering the session's frame. */
export async function normaliseImage(input: string, output: string, width: number, height: number) {
  await sharp(input).rotate().resize(width, height, { fit: 'cover' }).png().toFile(output);
  return { width, height };
}

/** An image as a data: URI small enough to send inline (Replicate caps inline files at 10 MB). */
export async function imageDataUri(path: string, maxSide = 1536): Promise<string> {
  const image = sharp(path).rotate();
  const meta = await image.metadata();
  const alpha = meta.hasAlpha === true;
  const resized = image.resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true });
  const buffer = alpha
    ? await resized.png().toBuffer()
    : await resized.jpeg({ quality: 92 }).toBuffer();
  return `data:${alpha ? 'image/png' : 'image/jpeg'};base64,${buffer.toString('base64')}`;
}
