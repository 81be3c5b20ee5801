import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeFilterValue } from '../activities/render/filter-values';
import { ffprobe, runFfmpeg } from '../activities/media/ffmpeg';
import type { X264Preset } from '../activities/render/args';

/**
 * The seed's composition pipeline (section 3.3), kept step for step so the benchmark measures
 * the approach rather than a strawman: normalise every clip in its own run, concat with the
 * demuxer, re-encode once more for the text, then re-mux with the music.
 *
 * Two things differ on purpose. The seed splices user text into `drawtext=text='...'`; here the
 * text goes through `textfile=` with `expansion=none`, as in our render. And the seed mixes the
 * clips' own audio with the music; generated clips have none, so only the music is used.
 */

export interface BaselineInput {
  clips: readonly string[];
  musicPath: string;
  productName: string;
  callToAction: string;
  fonts: { regular: string; bold: string };
  workDir: string;
  outputPath: string;
  preset: X264Preset;
}

export async function renderBaseline(input: BaselineInput): Promise<void> {
  const { workDir, preset } = input;

  const normalised: string[] = [];
  for (const [i, clip] of input.clips.entries()) {
    const path = join(workDir, `normalized_${String(i).padStart(3, '0')}.mp4`);
    await runFfmpeg([
      '-y',
      '-i',
      clip,
      '-vf',
      'scale=1920:1080:force_original_aspect_ratio=increase,crop=1920:1080,fps=30',
      ...['-c:v', 'libx264', '-preset', preset, '-crf', '23'],
      ...['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart'],
      path,
    ]);
    normalised.push(path);
  }

  // The concat demuxer's own quoting: a quote ends the string, so it is closed, escaped, reopened.
  const list = join(workDir, 'concat_list.txt');
  await writeFile(
    list,
    normalised.map((path) => `file '${path.replace(/'/g, `'\\''`)}'\n`).join(''),
  );
  const concatenated = join(workDir, 'concatenated.mp4');
  await runFfmpeg(['-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', concatenated]);

  const duration = Number((await ffprobe(concatenated)).format.duration);
  const nameFile = join(workDir, 'product-name.txt');
  const ctaFile = join(workDir, 'call-to-action.txt');
  await writeFile(nameFile, input.productName);
  await writeFile(ctaFile, input.callToAction);
  const text = (
    font: string,
    file: string,
    size: number,
    colour: string,
    y: number,
    when: string,
  ) =>
    [
      `drawtext=textfile=${escapeFilterValue(file)}`,
      'expansion=none',
      `fontfile=${escapeFilterValue(font)}`,
      `fontsize=${size}`,
      `fontcolor=${colour}`,
      'x=(w-text_w)/2',
      `y=${y}`,
      `enable='${when}'`,
    ].join(':');
  const withText = join(workDir, 'with_text.mp4');
  await runFfmpeg([
    '-y',
    '-i',
    concatenated,
    '-vf',
    [
      text(input.fonts.bold, nameFile, 72, 'white', 100, 'between(t,1,3)'),
      text(
        input.fonts.regular,
        ctaFile,
        48,
        'yellow',
        900,
        `between(t,${duration - 2},${duration})`,
      ),
    ].join(','),
    ...['-c:v', 'libx264', '-preset', preset, '-crf', '23', '-c:a', 'copy'],
    withText,
  ]);

  await runFfmpeg([
    '-y',
    '-i',
    withText,
    '-i',
    input.musicPath,
    '-filter_complex',
    `[1:a]volume=0.3,afade=t=out:st=${duration - 1}:d=1,atrim=duration=${duration}[aout]`,
    ...['-map', '0:v', '-map', '[aout]', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '192k'],
    // Not in the seed's last step, but our output has it and it costs a rewrite of the file.
    ...['-movflags', '+faststart'],
    input.outputPath,
  ]);
}
