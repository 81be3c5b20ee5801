import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ProductBox } from '../../core/session';
import { runFfmpeg } from '../media/ffmpeg';
import { appearance, compare } from './appearance';
import type { Pixels } from './ssim';
import { bestShift, clampBox, crop, placeLayer } from './warp';
import type { Placement, PixelBox } from './warp';

/**
 * The product fidelity check: how much of the product photo's cutout survives in an image or in
 * sampled frames of a clip. Scores are masked SSIM (ssim.ts), 0..1, rounded to 4 places.
 */

async function readPixels(path: string, alpha: boolean): Promise<Pixels> {
  const image = sharp(path);
  const { data, info } = await (alpha ? image.ensureAlpha() : image.removeAlpha())
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

export function toPixelBox(box: ProductBox, width: number, height: number): PixelBox {
  return {
    left: Math.round(box.x * width),
    top: Math.round(box.y * height),
    width: Math.round(box.w * width),
    height: Math.round(box.h * height),
  };
}

/** The image's product region against the cutout scaled to the box it was placed in. */
export async function imageFidelity(
  imagePath: string,
  cutoutPath: string,
  box: ProductBox,
): Promise<number> {
  const image = await readPixels(imagePath, false);
  return round(await appearance(image, cutoutPath, toPixelBox(box, image.width, image.height)));
}

/** Pulls the given frames of a video out as PNGs, in one FFmpeg run. */
export async function extractFrames(videoPath: string, frames: number[], dir: string) {
  const select = frames.map((n) => `eq(n\\,${Math.round(n)})`).join('+');
  await runFfmpeg([
    '-y',
    '-i',
    videoPath,
    '-vf',
    `select=${select}`,
    '-fps_mode',
    'passthrough',
    join(dir, 'fidelity-%03d.png'),
  ]);
  const files = (await readdir(dir)).filter((f) => /^fidelity-\d+\.png$/.test(f)).sort();
  return files.map((f) => join(dir, f));
}

/**
 * Sampled clip frames against the product layer (the cutout exactly as the still placed it), moved
 * by each frame's predicted placement and aligned within two pixels. Returns the lowest score and
 * each frame's score. `onFrame` is called after each frame is scored (an activity heartbeats
 * there: scoring a long clip takes longer than its heartbeat timeout) and may throw to stop.
 */
export async function clipFidelity(
  clipPath: string,
  layerPath: string,
  box: ProductBox,
  samples: Array<{ frame: number; placement: Placement }>,
  workDir: string,
  onFrame: (scored: number, total: number) => void = () => undefined,
): Promise<{ lowest: number; scores: number[] }> {
  const layer = await readPixels(layerPath, true);
  const files = await extractFrames(
    clipPath,
    samples.map((s) => s.frame),
    workDir,
  );
  if (files.length !== samples.length) {
    throw new Error(`Expected ${samples.length} sampled frames, got ${files.length}`);
  }
  const still = toPixelBox(box, layer.width, layer.height);
  const scores: number[] = [];
  for (const [i, file] of files.entries()) {
    const frame = await readPixels(file, false);
    const p = samples[i]!.placement;
    const mapped = clampBox(
      {
        left: p.scaleX * still.left + p.offsetX,
        top: p.scaleY * still.top + p.offsetY,
        width: p.scaleX * still.width,
        height: p.scaleY * still.height,
      },
      frame.width,
      frame.height,
    );
    const guess = placeLayer(layer, p, mapped);
    const { dx, dy } = bestShift(frame, guess, mapped);
    const aligned = { ...p, offsetX: p.offsetX + dx, offsetY: p.offsetY + dy };
    const reference = placeLayer(layer, aligned, mapped);
    scores.push(round(compare(crop(frame, mapped), reference, frame)));
    onFrame(scores.length, files.length);
  }
  return { lowest: Math.min(...scores), scores };
}
