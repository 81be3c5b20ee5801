import sharp from 'sharp';
import { CLIP_VIDEO_OUTPUT, MUSIC_AUDIO_OUTPUT } from '../../media/encoders';
import { ffprobe, runFfmpeg, type ProbeResult } from '../../media/ffmpeg';

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

/**
 * Pure: whether a model's clip is already what `buildClipNormaliseArgs` would make (H.264 in
 * yuv420p, the session's size with square pixels, its frame rate, no longer than allowed), so it
 * is only remuxed: a second encode would cost a core for seconds and lose quality for nothing.
 */
export function isConformantClip(probe: ProbeResult, format: ClipFormat): boolean {
  const video = probe.streams.filter((s) => s.codec_type === 'video');
  if (video.length !== 1) return false;
  const [stream] = video as [ProbeResult['streams'][number]];
  const duration = Number(probe.format.duration ?? stream.duration);
  return (
    stream.codec_name === 'h264' &&
    stream.pix_fmt === 'yuv420p' &&
    stream.width === format.width &&
    stream.height === format.height &&
    (stream.sample_aspect_ratio === undefined ||
      stream.sample_aspect_ratio === '1:1' ||
      stream.sample_aspect_ratio === '0:1') &&
    frameRate(stream.r_frame_rate) === format.fps &&
    frameRate(stream.avg_frame_rate) === format.fps &&
    Number.isFinite(duration) &&
    duration <= format.maxSeconds + 0.5 / format.fps
  );
}

/** "30000/1001" → 29.97; undefined for what is not a rate. */
function frameRate(rate: string | undefined): number | undefined {
  const [num, den = '1'] = (rate ?? '').split('/');
  const value = Number(num) / Number(den);
  return Number.isFinite(value) && value > 0 ? Math.round(value * 1000) / 1000 : undefined;
}

/** Pure: the video stream copied as it is into an MP4 that starts playing at once; no sound. */
export function buildClipRemuxArgs(input: string, output: string): string[] {
  return [
    '-y',
    '-i',
    input,
    '-map',
    '0:v:0',
    '-c:v',
    'copy',
    '-an',
    '-movflags',
    '+faststart',
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
  const conformant = isConformantClip(await ffprobe(input, signal), format);
  await runFfmpeg(
    conformant ? buildClipRemuxArgs(input, output) : buildClipNormaliseArgs(input, output, format),
    { signal },
  );
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
