import { runFfmpeg } from '../media/ffmpeg';

/**
 * The poster frame of a finished ad: one JPEG from a third of the way in, where the first clips
 * play under the lower third. Shown before the player starts and as the session's thumbnail.
 */
export function posterArgs(videoPath: string, durationSeconds: number, outputPath: string) {
  const at = Math.max(0, durationSeconds / 3).toFixed(2);
  // -ss before -i seeks on key frames, then decodes to the exact time: fast and exact.
  return ['-y', '-ss', at, '-i', videoPath, '-frames:v', '1', '-q:v', '3', outputPath];
}

export function grabPoster(
  videoPath: string,
  durationSeconds: number,
  outputPath: string,
  signal?: AbortSignal,
): Promise<void> {
  return runFfmpeg(posterArgs(videoPath, durationSeconds, outputPath), { signal });
}
