import sharp from 'sharp';
import type { CutoutHints, CutoutQuality } from '../../core/cutout-quality';
import { businessFailure } from '../../core/errors';
import { matte } from '../providers/local/matte';
import { applyTaps, hintBox, keepInside } from './hints';
import { cleanMask, countOn, maskBox, type Box } from './mask-ops';
import { MODEL_SIZE, type SaliencyModel } from './model';
import { judge, measure } from './quality';
import { refineAlpha } from './refine';

/**
 * One cutout from a photo file to an RGBA PNG trimmed to the product, with its quality. Runs in
 * the segmentation worker thread (worker.ts): decoding, the model and every pixel loop stay off
 * the activity worker's event loop.
 */

/** Photos larger than this are refused before decoding (a decompression bomb, not a photo). */
export const MAX_INPUT_PIXELS = 100_000_000;
/** The longest side the cutout is made at: enough for a product filling a 1080p frame. */
export const WORK_SIDE = 2048;
/** The longest side the backdrop flood fill (the second opinion) runs at. */
const FLOOD_SIDE = 400;
/** A backdrop is plain when this share of its edge lies within this distance of its median. */
const PLAIN_SHARE = 0.9;
const PLAIN_DISTANCE = 40;
/** A PNG with at least this share of see-through pixels is a cutout already: kept as it is. */
const KEEP_ALPHA_SHARE = 0.01;

export interface CutoutJob {
  photoPath: string;
  outputPath: string;
  hints?: CutoutHints | undefined;
}

export interface CutoutResult {
  width: number;
  height: number;
  quality: CutoutQuality;
  /** Where the product is in the photo, as fractions of it. */
  box: { x: number; y: number; w: number; h: number };
}

/** Decodes a photo upright, scaled to fit `side`, with a pixel limit. */
export async function decodePhoto(path: string, side: number, keepAlpha: boolean) {
  try {
    const image = sharp(path, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(side, side, { fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' });
    const out = keepAlpha ? image.ensureAlpha() : image.removeAlpha();
    const { data, info } = await out.raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), ...info };
  } catch (error) {
    const tooLarge = /pixel limit/i.test(String(error));
    throw businessFailure(
      'MEDIA_INVALID',
      tooLarge
        ? `The photo is larger than ${MAX_INPUT_PIXELS / 1_000_000} megapixels. Use a smaller copy of it.`
        : 'The photo could not be read. Upload a JPEG, PNG or WebP photo.',
    );
  }
}

/** The model's coarse map of a region of an RGB picture (resized to the network's input). */
async function saliencyOf(
  model: SaliencyModel,
  rgb: Uint8Array,
  width: number,
  height: number,
  region: Box,
) {
  const size = MODEL_SIZE;
  const input = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .extract(region)
    .resize(size, size, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return model.predict(new Uint8Array(input.buffer, input.byteOffset, input.length));
}

/**
 * Whether the photo's edge is a plain backdrop: nearly all of its pixels close to their median
 * colour. Only there can the backdrop flood fill give an opinion worth comparing.
 */
export function plainBackdrop(rgba: Uint8Array, width: number, height: number): boolean {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(x, (height - 1) * width + x);
  for (let y = 1; y < height - 1; y++) border.push(y * width, y * width + width - 1);
  const median = [0, 1, 2].map((c) => {
    const values = border.map((p) => rgba[p * 4 + c]!).sort((a, b) => a - b);
    return values[values.length >> 1]!;
  });
  const near = border.filter(
    (p) =>
      Math.hypot(
        rgba[p * 4]! - median[0]!,
        rgba[p * 4 + 1]! - median[1]!,
        rgba[p * 4 + 2]! - median[2]!,
      ) <= PLAIN_DISTANCE,
  ).length;
  return near >= border.length * PLAIN_SHARE;
}

/** The backdrop flood fill's alpha at a small size (the second opinion), on plain backdrops. */
async function floodOpinion(rgb: Uint8Array, width: number, height: number) {
  const scale = Math.min(1, FLOOD_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const small = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(w, h, { fit: 'fill' })
    .ensureAlpha()
    .raw()
    .toBuffer();
  if (!plainBackdrop(small, w, h)) return undefined;
  return { alpha: matte(small, w, h), width: w, height: h };
}

/** The cutout of a photo that has no transparency of its own, made by the model. */
export async function modelCutout(
  model: SaliencyModel,
  photo: { data: Uint8Array; width: number; height: number },
  hints: CutoutHints | undefined,
  onProgress: (fraction: number) => void,
) {
  const { data: rgb, width, height } = photo;
  // With a box, the model looks only inside it (a little wider, so the edge is not cut).
  const region = hints?.box
    ? hintBox(hints.box, width, height, 0.04)
    : { left: 0, top: 0, width, height };
  const { map, agreement } = await saliencyOf(model, rgb, width, height, region);
  onProgress(0.6);
  const crop =
    region.width === width && region.height === height
      ? rgb
      : await sharp(rgb, { raw: { width, height, channels: 3 } })
          .extract(region)
          .raw()
          .toBuffer();
  const size = MODEL_SIZE;
  const local = refineAlpha(crop, region.width, region.height, 3, map, size, size);
  let alpha: Uint8Array = new Uint8Array(width * height);
  for (let y = 0; y < region.height; y++) {
    alpha.set(
      local.subarray(y * region.width, (y + 1) * region.width),
      (region.top + y) * width + region.left,
    );
  }
  if (hints?.box) alpha = keepInside(alpha, width, height, hintBox(hints.box, width, height));
  const taps = applyTaps(rgb, 3, alpha, width, height, hints ?? {});
  alpha = cleanMask(taps.alpha, width, height, {
    minIsland: 0.02,
    maxHole: 0.01,
    keep: taps.kept,
  });
  onProgress(0.8);
  // The quality is judged within the region the model looked at: with a box, the box is the photo.
  const inRegion = extractMask(alpha, width, region);
  const metrics = measure({
    map,
    modelAgreement: agreement,
    alpha: inRegion,
    width: region.width,
    height: region.height,
    flood: hints?.box ? undefined : await floodOpinion(rgb, width, height),
  });
  // A person who marked the product has said what it is: only an empty cutout is refused then.
  const quality = judge(metrics, 'model');
  if (hints && (hints.box || hints.keep?.length) && countOn(alpha) > 0) {
    return {
      alpha,
      quality:
        quality.verdict === 'refused' ? { ...quality, verdict: 'doubtful' as const } : quality,
    };
  }
  return { alpha, quality };
}

function extractMask(alpha: Uint8Array, width: number, box: Box): Uint8Array {
  const out = new Uint8Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const from = (box.top + y) * width + box.left;
    out.set(alpha.subarray(from, from + box.width), y * box.width);
  }
  return out;
}

/** Writes the RGBA cutout trimmed to the product. */
async function writeTrimmed(
  rgba: Uint8Array,
  width: number,
  height: number,
  alphaBox: Box,
  outputPath: string,
) {
  const info = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .extract(alphaBox)
    .png()
    .toFile(outputPath);
  return { width: info.width, height: info.height };
}

/** The whole cutout job: decode, cut out (or keep a transparent PNG), judge, write. */
export async function runCutout(
  model: () => Promise<SaliencyModel>,
  job: CutoutJob,
  onProgress: (fraction: number) => void,
): Promise<CutoutResult> {
  const photo = await decodePhoto(job.photoPath, WORK_SIDE, true);
  const { width, height } = photo;
  const rgba = photo.data;
  onProgress(0.1);
  let transparent = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! < 250) transparent++;
  let alpha: Uint8Array;
  let quality: CutoutQuality;
  if (transparent > width * height * KEEP_ALPHA_SHARE && !job.hints) {
    alpha = new Uint8Array(width * height);
    for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[i * 4 + 3]!;
    const metrics = measure({ map: Float32Array.of(1), alpha, width, height });
    quality = judge(metrics, 'alpha-kept');
  } else {
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      rgb[i * 3] = rgba[i * 4]!;
      rgb[i * 3 + 1] = rgba[i * 4 + 1]!;
      rgb[i * 3 + 2] = rgba[i * 4 + 2]!;
    }
    const made = await modelCutout(
      await model(),
      { data: rgb, width, height },
      job.hints,
      onProgress,
    );
    alpha = made.alpha;
    quality = made.quality;
    for (let i = 0; i < alpha.length; i++) rgba[i * 4 + 3] = alpha[i]!;
  }
  const box = maskBox(alpha, width, height);
  if (quality.verdict === 'refused' || box.width === 0) {
    return { width: 0, height: 0, quality, box: { x: 0, y: 0, w: 0, h: 0 } };
  }
  const size = await writeTrimmed(rgba, width, height, box, job.outputPath);
  onProgress(1);
  return {
    ...size,
    quality,
    box: {
      x: box.left / width,
      y: box.top / height,
      w: box.width / width,
      h: box.height / height,
    },
  };
}
