/**
 * The output settings every intermediate file shares (clips and music before the render): one
 * place, so a local clip and a normalised model clip are encoded alike.
 */

/** H.264 at a visually lossless quality for clips that are encoded again by the render. */
export const CLIP_VIDEO_OUTPUT = [
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-crf',
  '20',
  '-pix_fmt',
  'yuv420p',
  '-movflags',
  '+faststart',
] as const;

/** AAC music beds. */
export const MUSIC_AUDIO_OUTPUT = [
  '-c:a',
  'aac',
  '-b:a',
  '192k',
  '-movflags',
  '+faststart',
] as const;
