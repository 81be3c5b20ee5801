import { join } from 'node:path';
import sharp from 'sharp';
import { runFfmpeg } from '../media/ffmpeg';
import type { Box } from '../../core/render/layout';

/**
 * What the footage shows behind a text box: frames of each clip at a quarter and three quarters
 * of its length, cropped to the box (as fractions of the frame), and of each crop its darkest,
 * mean and lightest colours. The text's contrast is judged against all of them.
 */

interface SampledClip {
  path: string;
  durationSeconds: number;
}

const hex = (r: number, g: number, b: number) =>
  `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** Darkest (2nd percentile by luma), mean and lightest (98th) colours of raw RGB pixels. */
export function extremeColours(rgb: Buffer): string[] {
  const pixels: Array<[number, number, number, number]> = [];
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    const p: [number, number, number, number] = [
      rgb[i]!,
      rgb[i + 1]!,
      rgb[i + 2]!,
      0.2126 * rgb[i]! + 0.7152 * rgb[i + 1]! + 0.0722 * rgb[i + 2]!,
    ];
    pixels.push(p);
    r += p[0];
    g += p[1];
    b += p[2];
  }
  if (pixels.length === 0) return [];
  pixels.sort((a, c) => a[3] - c[3]);
  const at = (q: number) => pixels[Math.min(pixels.length - 1, Math.floor(q * pixels.length))]!;
  const n = pixels.length;
  const dark = at(0.02);
  const light = at(0.98);
  return [
    hex(dark[0], dark[1], dark[2]),
    hex(r / n, g / n, b / n),
    hex(light[0], light[1], light[2]),
  ];
}

export async function sampleBehind(
  clips: readonly SampledClip[],
  box: Box,
  frame: { width: number; height: number },
  workDir: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const colours = new Set<string>();
  let index = 0;
  for (const clip of clips) {
    for (const share of [0.25, 0.75]) {
      const png = join(workDir, `behind-${index++}.png`);
      await runFfmpeg(
        [
          '-y',
          '-ss',
          (clip.durationSeconds * share).toFixed(3),
          '-i',
          `file:${clip.path}`,
          '-frames:v',
          '1',
          '-vf',
          `scale=${frame.width}:${frame.height}`,
          `file:${png}`,
        ],
        { signal },
      );
      const left = Math.max(0, Math.min(frame.width - 1, box.x));
      const top = Math.max(0, Math.min(frame.height - 1, box.y));
      const { data } = await sharp(png)
        .extract({
          left,
          top,
          width: Math.max(1, Math.min(frame.width - left, box.width)),
          height: Math.max(1, Math.min(frame.height - top, box.height)),
        })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      for (const colour of extremeColours(data)) colours.add(colour);
    }
  }
  return [...colours];
}
