import { CLIP_VIDEO_OUTPUT } from './encoders';
import { ffprobe, runFfmpeg, type ProbeResult } from './ffmpeg';

/**
 * Models return their own sizes, frame rates and lengths (seedance 720p at 24 fps, wan 480p at
 * 16 fps for 5 s, SVD 1024x576 at 6 fps). Every clip is brought to the session's format here,
 * on the clip-finishing queue, so the render and the previews see one shape. Argument builders
 * are pure; only `normaliseClip` spawns.
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
