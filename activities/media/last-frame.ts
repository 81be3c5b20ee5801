/**
 * FFmpeg arguments that write the last frame of a video as a PNG. The input is sought to shortly
 * before its end and every remaining frame overwrites the one before (`-update 1`), so what is
 * left is the very last frame whatever the clip's length or frame rate.
 */
export function lastFrameArgs(videoPath: string, outputPath: string): string[] {
  return [
    '-y',
    '-sseof',
    '-0.5',
    '-i',
    videoPath,
    '-map',
    '0:v:0',
    '-an',
    '-update',
    '1',
    '-f',
    'image2',
    '-c:v',
    'png',
    outputPath,
  ];
}
