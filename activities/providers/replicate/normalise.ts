import sharp from 'sharp';
import { MUSIC_AUDIO_OUTPUT } from '../../media/encoders';
import { ffprobe, runFfmpeg } from '../../media/ffmpeg';

/**
 * A model's music and images, brought to the session's format (its clips: media/clip-format.ts).
 * Argument builders are pure; only `run*` spawn.
 */

export function buildAudioNormaliseArgs(input: string, output: string, maxSeconds: number) {
  return ['-y', '-i', input, '-t', maxSeconds.toFixed(3), '-vn', ...MUSIC_AUDIO_OUTPUT, output];
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
