import type { Pixels } from './ssim';

/** Pure pixel helpers for the fidelity check: crops, a moved and scaled copy, and alignment. */

export interface PixelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A still-to-frame mapping: frame = scale * still + offset, in pixels. */
export interface Placement {
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

/** The part of `box` inside a width x height frame, in whole pixels. */
export function clampBox(box: PixelBox, width: number, height: number): PixelBox {
  const left = Math.max(0, Math.floor(box.left));
  const top = Math.max(0, Math.floor(box.top));
  const right = Math.min(width, Math.ceil(box.left + box.width));
  const bottom = Math.min(height, Math.ceil(box.top + box.height));
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

export function crop(picture: Pixels, box: PixelBox): Pixels {
  const { channels } = picture;
  const data = new Uint8Array(box.width * box.height * channels);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * picture.width + box.left) * channels;
    data.set(picture.data.subarray(from, from + box.width * channels), y * box.width * channels);
  }
  return { data, width: box.width, height: box.height, channels };
}

/**
 * The region `box` of a frame as it would look if `layer` (an RGBA picture in still coordinates)
 * were placed by `placement`: bilinear samples at pixel centres, transparent outside the layer.
 */
export function placeLayer(layer: Pixels, placement: Placement, box: PixelBox): Pixels {
  const out = new Uint8Array(box.width * box.height * 4);
  const { width: lw, height: lh } = layer;
  for (let y = 0; y < box.height; y++) {
    const v = (box.top + y + 0.5 - placement.offsetY) / placement.scaleY - 0.5;
    const v0 = Math.floor(v);
    const fv = v - v0;
    for (let x = 0; x < box.width; x++) {
      const u = (box.left + x + 0.5 - placement.offsetX) / placement.scaleX - 0.5;
      const u0 = Math.floor(u);
      const fu = u - u0;
      const o = (y * box.width + x) * 4;
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < 2; dy++) {
          for (let dx = 0; dx < 2; dx++) {
            const sx = u0 + dx;
            const sy = v0 + dy;
            if (sx < 0 || sy < 0 || sx >= lw || sy >= lh) continue;
            const weight = (dx ? fu : 1 - fu) * (dy ? fv : 1 - fv);
            sum += weight * layer.data[(sy * lw + sx) * 4 + c]!;
          }
        }
        out[o + c] = Math.round(sum);
      }
    }
  }
  return { data: out, width: box.width, height: box.height, channels: 4 };
}

/**
 * The whole-pixel shift (within ±reach) at which the reference's opaque pixels best match the
 * frame, by the mean squared luma difference. FFmpeg snaps crops and overlays to even pixels and
 * may evaluate a move's position one frame apart from the frame's index (up to ~6 px mid-move),
 * so a predicted placement can be a few pixels off.
 */
export function bestShift(
  frame: Pixels,
  reference: Pixels,
  box: PixelBox,
  reach = 8,
): { dx: number; dy: number } {
  const luma = (d: Uint8Array, i: number) => 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
  let best = { dx: 0, dy: 0 };
  let bestError = Infinity;
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      let error = 0;
      let count = 0;
      for (let y = 0; y < box.height; y += 2) {
        const fy = box.top + y + dy;
        if (fy < 0 || fy >= frame.height) continue;
        for (let x = 0; x < box.width; x += 2) {
          const fx = box.left + x + dx;
          if (fx < 0 || fx >= frame.width) continue;
          const r = (y * box.width + x) * 4;
          if (reference.data[r + 3]! < 250) continue;
          const diff =
            luma(reference.data, r) - luma(frame.data, (fy * frame.width + fx) * frame.channels);
          error += diff * diff;
          count++;
        }
      }
      const mean = count ? error / count : Infinity;
      if (mean < bestError) {
        bestError = mean;
        best = { dx, dy };
      }
    }
  }
  return best;
}

/**
 * Where a product box of the still lies over all the given frames of a clip (their union), as
 * fractions of the frame, clamped to it: the region a reframe must keep.
 */
export function boxThroughFrames(
  box: { x: number; y: number; w: number; h: number },
  placements: readonly Placement[],
  width: number,
  height: number,
): { x: number; y: number; w: number; h: number } {
  let [x0, y0, x1, y1] = [1, 1, 0, 0];
  for (const p of placements) {
    x0 = Math.min(x0, (p.scaleX * box.x * width + p.offsetX) / width);
    y0 = Math.min(y0, (p.scaleY * box.y * height + p.offsetY) / height);
    x1 = Math.max(x1, (p.scaleX * (box.x + box.w) * width + p.offsetX) / width);
    y1 = Math.max(y1, (p.scaleY * (box.y + box.h) * height + p.offsetY) / height);
  }
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const r = (v: number) => Math.round(v * 10_000) / 10_000;
  return {
    x: r(clamp(x0)),
    y: r(clamp(y0)),
    w: r(clamp(x1) - clamp(x0)),
    h: r(clamp(y1) - clamp(y0)),
  };
}

/**
 * Box-averages a picture by `factor` (each channel, alpha included). SSIM's authors downsample
 * large images this way before comparing (by about min(width, height) / 256), so the score
 * reflects structure a viewer sees rather than codec noise a pixel wide.
 */
export function downsample(picture: Pixels, factor: number): Pixels {
  if (factor <= 1) return picture;
  const width = Math.max(1, Math.floor(picture.width / factor));
  const height = Math.max(1, Math.floor(picture.height / factor));
  const { channels } = picture;
  const data = new Uint8Array(width * height * channels);
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = (y * factor + dy) * picture.width;
          for (let dx = 0; dx < factor; dx++)
            sum += picture.data[(row + x * factor + dx) * channels + c]!;
        }
        data[(y * width + x) * channels + c] = Math.round(sum / area);
      }
    }
  }
  return { data, width, height, channels };
}

/** The downsampling factor for a frame of this size (SSIM's usual rule: 4 at 1080p). */
export function comparisonScale(width: number, height: number): number {
  return Math.max(1, Math.round(Math.min(width, height) / 256));
}
