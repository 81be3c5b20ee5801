import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFile } from '../../storage/hash';
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

/**
 * What was sampled, by clip content and place, for this process's life: a re-render of the same
 * clips (a new call to action, an export) does not decode their frames again. Bounded, oldest out.
 */
const seen = new Map<string, string[]>();
const SEEN_LIMIT = 512;

function remember(key: string, colours: string[]) {
  seen.set(key, colours);
  if (seen.size > SEEN_LIMIT) seen.delete(seen.keys().next().value!);
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
  const left = Math.max(0, Math.min(frame.width - 1, Math.round(box.x)));
  const top = Math.max(0, Math.min(frame.height - 1, Math.round(box.y)));
  const crop = {
    left,
    top,
    width: Math.max(1, Math.min(frame.width - left, Math.round(box.width))),
    height: Math.max(1, Math.min(frame.height - top, Math.round(box.height))),
  };
  for (const clip of clips) {
    const { sha256 } = await hashFile(clip.path);
    for (const share of [0.25, 0.75]) {
      const key = JSON.stringify([sha256, clip.durationSeconds, share, frame, crop]);
      let sampled = seen.get(key);
      if (!sampled) {
        const raw = join(workDir, `behind-${index++}.rgb`);
        await runFfmpeg(behindArgs(clip, share, frame, crop, raw), { signal });
        sampled = extremeColours(await readFile(raw));
        remember(key, sampled);
      }
      for (const colour of sampled) colours.add(colour);
    }
  }
  return [...colours];
}

/**
 * Pure: one frame of the clip, scaled to the ad's frame, converted to RGB and cropped to the box
 * there, as raw pixels: only the box's bytes are written and read back, never a whole frame.
 */
export function behindArgs(
  clip: SampledClip,
  share: number,
  frame: { width: number; height: number },
  crop: { left: number; top: number; width: number; height: number },
  output: string,
): string[] {
  const numbers = [frame.width, frame.height, crop.left, crop.top, crop.width, crop.height];
  if (!numbers.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new Error('Frame and crop sizes must be whole numbers');
  }
  return [
    '-y',
    '-ss',
    (clip.durationSeconds * share).toFixed(3),
    '-i',
    `file:${clip.path}`,
    '-frames:v',
    '1',
    '-vf',
    `scale=${frame.width}:${frame.height},format=rgb24,` +
      `crop=${crop.width}:${crop.height}:${crop.left}:${crop.top}:exact=1`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    `file:${output}`,
  ];
}
