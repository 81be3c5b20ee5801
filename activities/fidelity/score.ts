import { mkdir, readdir } from 'node:fs/promises';
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

/** How sure a clip's first scored frame must be before the others are left unscored. */
export const CLEAR_MARGIN = 0.03;

/**
 * Pure: how far a placement moves the still's product box, in pixels (its farthest corner).
 * The frame a move carries furthest is where the product is likeliest to drift.
 */
export function travelOf(placement: Placement, box: PixelBox): number {
  const xs = [box.left, box.left + box.width];
  const ys = [box.top, box.top + box.height];
  return Math.max(
    ...xs.map((x) => Math.abs(placement.scaleX * x + placement.offsetX - x)),
    ...ys.map((y) => Math.abs(placement.scaleY * y + placement.offsetY - y)),
  );
}

/** Pure: the samples' indexes in scoring order, the most moved first (ties keep their order). */
export function scoringOrder(samples: ReadonlyArray<{ placement: Placement }>, box: PixelBox) {
  return samples
    .map((sample, index) => ({ index, travel: travelOf(sample.placement, box) }))
    .sort((a, b) => b.travel - a.travel || a.index - b.index)
    .map((entry) => entry.index);
}

/**
 * Sampled clip frames against the product layer (the cutout exactly as the still placed it), moved
 * by each frame's predicted placement and aligned within a few pixels.
 *
 * Scored where it can change the decision: the frame the move carries furthest is scored first;
 * when it clears `decideAt` (the warning line) by CLEAR_MARGIN, the clip is judged on it, since
 * the frames nearer the still drift less. Otherwise every sample is scored and the lowest counts.
 * Without `decideAt` every sample is scored. Returns the lowest score and each scored frame's,
 * in scoring order. `onFrame` is called after each frame is scored (an activity heartbeats
 * there: scoring a long clip takes longer than its heartbeat timeout) and may throw to stop.
 */
export async function clipFidelity(
  clipPath: string,
  layerPath: string,
  box: ProductBox,
  samples: Array<{ frame: number; placement: Placement }>,
  workDir: string,
  onFrame: (scored: number, total: number) => void = () => undefined,
  decideAt?: number,
): Promise<{ lowest: number; scores: number[] }> {
  const layer = await readPixels(layerPath, true);
  const still = toPixelBox(box, layer.width, layer.height);
  const order = scoringOrder(samples, still);
  const scores: number[] = [];
  const score = async (indexes: number[], dir: string) => {
    await mkdir(dir, { recursive: true });
    const files = await extractFrames(
      clipPath,
      indexes.map((i) => samples[i]!.frame),
      dir,
    );
    if (files.length !== indexes.length) {
      throw new Error(`Expected ${indexes.length} sampled frames, got ${files.length}`);
    }
    // Frames come out in the clip's order, so they are matched to their samples by frame number.
    const byFrame = [...indexes].sort((a, b) => samples[a]!.frame - samples[b]!.frame);
    const fileOf = new Map(byFrame.map((index, i) => [index, files[i]!]));
    for (const index of indexes) {
      scores.push(await scoreFrame(fileOf.get(index)!, layer, still, samples[index]!.placement));
      onFrame(scores.length, samples.length);
    }
  };
  const [first, ...rest] = order;
  if (decideAt === undefined || first === undefined) {
    await score(order, workDir);
  } else {
    await score([first], join(workDir, 'first'));
    if (scores[0]! < decideAt + CLEAR_MARGIN && rest.length > 0) {
      await score(rest, join(workDir, 'rest'));
    }
  }
  if (scores.length === 0) throw new Error('A clip needs at least one sampled frame');
  return { lowest: Math.min(...scores), scores };
}

/** One frame's product region against the layer placed where the move put it. */
async function scoreFrame(file: string, layer: Pixels, still: PixelBox, p: Placement) {
  const frame = await readPixels(file, false);
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
  return round(compare(crop(frame, mapped), reference, frame));
}
