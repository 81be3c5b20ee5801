import type { CutoutHints } from '../../core/cutout-quality';
import { ON, labelRegions, type Box } from './mask-ops';
import { boxMean } from './refine';

/**
 * A person's hints applied to a cutout, pure. A box says where the product is: the model looks
 * only inside it (pipeline.ts crops before it runs) and nothing outside it is kept. A tap on
 * something to drop removes it: a separate piece as a whole, or, inside the product's own piece,
 * the stretch of similar colour around the tap. A tap on something to keep adds the stretch of
 * similar colour around it.
 */

/** How far (RGB distance) a grown region's colour may stray from the colour around the tap. */
const REGION_TOLERANCE = 48;
/** Step between neighbours while growing, so a region stops at a real edge. */
const STEP_TOLERANCE = 24;

/** The hint's box in pixels, widened by `pad` of its size on every side, inside the frame. */
export function hintBox(
  box: NonNullable<CutoutHints['box']>,
  width: number,
  height: number,
  pad = 0,
): Box {
  const x0 = Math.max(0, Math.floor((box.x - box.w * pad) * width));
  const y0 = Math.max(0, Math.floor((box.y - box.h * pad) * height));
  const x1 = Math.min(width, Math.ceil((box.x + box.w * (1 + pad)) * width));
  const y1 = Math.min(height, Math.ceil((box.y + box.h * (1 + pad)) * height));
  return { left: x0, top: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/** Clears everything outside `box`. */
export function keepInside(alpha: Uint8Array, width: number, height: number, box: Box) {
  const out = Uint8Array.from(alpha);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside =
        x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height;
      if (!inside) out[y * width + x] = 0;
    }
  }
  return out;
}

/** Each channel box-averaged over a (2r+1)^2 window (3 bytes a pixel out). */
function smooth(src: Uint8Array, channels: number, width: number, height: number, r: number) {
  const out = new Uint8Array(width * height * 3);
  for (let c = 0; c < 3; c++) {
    const plane = new Float32Array(width * height);
    for (let i = 0; i < plane.length; i++) plane[i] = src[i * channels + c]!;
    const mean = boxMean(plane, width, height, r);
    for (let i = 0; i < plane.length; i++) out[i * 3 + c] = Math.round(mean[i]!);
  }
  return out;
}

const pixelAt = (p: { x: number; y: number }, width: number, height: number) =>
  Math.min(height - 1, Math.max(0, Math.floor(p.y * height))) * width +
  Math.min(width - 1, Math.max(0, Math.floor(p.x * width)));

/**
 * The pixels of similar colour connected to `seed` among those `allowed`: a region grown while the
 * colour stays near the seed's neighbourhood and changes little from pixel to pixel.
 */
export function growRegion(
  rgb: Uint8Array,
  channels: number,
  width: number,
  height: number,
  seed: number,
  allowed: (i: number) => boolean,
): Uint8Array {
  const region = new Uint8Array(width * height);
  if (!allowed(seed)) return region;
  // The reference colour: the mean of the allowed pixels in a 5 x 5 window around the tap, so one
  // odd pixel (a speck, a reflection) does not decide what the tap meant.
  const ref = [0, 0, 0];
  let n = 0;
  const sx = seed % width;
  const sy = (seed - sx) / width;
  for (let y = Math.max(0, sy - 2); y <= Math.min(height - 1, sy + 2); y++) {
    for (let x = Math.max(0, sx - 2); x <= Math.min(width - 1, sx + 2); x++) {
      const i = y * width + x;
      if (!allowed(i)) continue;
      for (let c = 0; c < 3; c++) ref[c]! += rgb[i * channels + c]!;
      n++;
    }
  }
  for (let c = 0; c < 3; c++) ref[c]! /= n;
  const dist = (i: number, r: ArrayLike<number>, at = 0) =>
    Math.hypot(
      rgb[i * channels]! - r[at]!,
      rgb[i * channels + 1]! - r[at + 1]!,
      rgb[i * channels + 2]! - r[at + 2]!,
    );
  const stack = [seed];
  region[seed] = 1;
  while (stack.length) {
    const p = stack.pop()!;
    const x = p % width;
    const near = [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width];
    for (const q of near) {
      if (q < 0 || q >= region.length || region[q] || !allowed(q)) continue;
      if (dist(q, rgb, p * channels) > STEP_TOLERANCE || dist(q, ref) > REGION_TOLERANCE) continue;
      region[q] = 1;
      stack.push(q);
    }
  }
  return region;
}

/**
 * The alpha with the taps applied, and a mask of what the person asked to keep (so cleaning
 * afterwards does not drop a small kept piece).
 */
export function applyTaps(
  photo: Uint8Array,
  channels: number,
  alpha: Uint8Array,
  width: number,
  height: number,
  hints: Pick<CutoutHints, 'keep' | 'drop'>,
): { alpha: Uint8Array; kept: Uint8Array } {
  let out = Uint8Array.from(alpha);
  if (!hints.keep?.length && !hints.drop?.length) return { alpha: out, kept: new Uint8Array(0) };
  // Regions grow on a lightly smoothed copy, so a texture's grain (wood, fabric) does not stop them.
  const rgb = smooth(
    photo,
    channels,
    width,
    height,
    Math.max(1, Math.round(Math.max(width, height) / 300)),
  );
  const kept = new Uint8Array(width * height);
  for (const tap of hints.drop ?? []) {
    const seed = pixelAt(tap, width, height);
    if (out[seed]! < ON) continue;
    const pieces = labelRegions(width, height, (i) => out[i]! >= ON);
    const label = pieces.labels[seed]!;
    const largest = pieces.sizes.indexOf(Math.max(...pieces.sizes.slice(1)));
    const drop =
      label !== largest
        ? Uint8Array.from(pieces.labels, (l) => (l === label ? 1 : 0))
        : growRegion(rgb, 3, width, height, seed, (i) => out[i]! >= ON);
    out = out.map((a, i) => (drop[i] ? 0 : a));
  }
  for (const tap of hints.keep ?? []) {
    const seed = pixelAt(tap, width, height);
    let add: Uint8Array;
    if (out[seed]! >= ON) {
      // Already kept: protect the piece it belongs to from the cleaning that follows.
      const { labels } = labelRegions(width, height, (i) => out[i]! >= ON);
      add = Uint8Array.from(labels, (l) => (l === labels[seed] ? 1 : 0));
    } else {
      add = growRegion(rgb, 3, width, height, seed, (i) => out[i]! < ON);
    }
    for (let i = 0; i < out.length; i++) {
      if (!add[i]) continue;
      out[i] = 255;
      kept[i] = 1;
    }
  }
  return { alpha: out, kept };
}
