import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { FIDELITY_WARNING_BELOW, type AssetView, type ProductBox } from '../../core/session';
import type { CallContext } from '../providers/types';
import { opaqueBox } from '../providers/alpha';
import { locateInWorker } from '../segmentation/runner';
import { extractFrames } from './score';

/**
 * The product check of a generated image or clip, on the activity's side: the work itself runs
 * in the segmentation worker thread (locate.ts). Images the studio composited are checked where
 * the cutout was placed; images and clips a model made (Replicate) are searched whole, and the
 * box found becomes their product box.
 */

export interface ProductCheck {
  fidelity: number;
  productBox: ProductBox;
}

/** Checks one image; `placedBox` when the studio placed the cutout itself. */
export async function checkImage(
  imagePath: string,
  cutoutPath: string,
  placedBox: ProductBox | undefined,
  ctx?: CallContext,
): Promise<ProductCheck & { found: boolean }> {
  const located = await locateInWorker({ imagePath, cutoutPath, placedBox }, ctx);
  return {
    fidelity: located.fidelity,
    productBox: located.productBox,
    found: Boolean(placedBox) || located.found,
  };
}

/**
 * The cutout on a transparent frame of the image's size, fitted into the product box (aspect
 * kept, centred): the product layer clips are checked against when a model placed the product.
 */
export async function productLayerFor(
  cutoutPath: string,
  box: ProductBox,
  width: number,
  height: number,
  outputPath: string,
): Promise<string> {
  const meta = await sharp(cutoutPath).metadata();
  const bw = Math.max(1, Math.round(box.w * width));
  const bh = Math.max(1, Math.round(box.h * height));
  const scale = Math.min(bw / meta.width, bh / meta.height);
  const w = Math.max(1, Math.round(meta.width * scale));
  const h = Math.max(1, Math.round(meta.height * scale));
  const product = await sharp(cutoutPath).resize(w, h, { fit: 'fill' }).png().toBuffer();
  await sharp({
    create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .composite([
      {
        input: product,
        left: Math.max(0, Math.round(box.x * width + (bw - w) / 2)),
        top: Math.max(0, Math.round(box.y * height + (bh - h) / 2)),
      },
    ])
    .png()
    .toFile(outputPath);
  return outputPath;
}

/** The product layer (a cutout on a transparent frame) trimmed back to the cutout. */
async function trimToProduct(layerPath: string, outputPath: string) {
  const { data, info } = await sharp(layerPath)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const box = opaqueBox(data, info.width, info.height);
  await sharp(layerPath).extract(box).png().toFile(outputPath);
}

/**
 * A clip whose motion the studio does not know (a model made it): the product is searched in its
 * first, middle and last frames. Returns the lowest score and the union of the boxes (the region a
 * reframe must keep), or undefined when no frame shows it.
 */
export async function checkClip(
  clipPath: string,
  layerPath: string,
  frameCount: number,
  workDir: string,
  ctx?: CallContext,
): Promise<ProductCheck | undefined> {
  const cutout = join(workDir, 'product-cutout.png');
  await trimToProduct(layerPath, cutout);
  const last = Math.max(0, frameCount - 1);
  const frames = [...new Set([0, Math.floor(last / 2), last])];
  const files = await extractFrames(clipPath, frames, workDir);
  const checks: ProductCheck[] = [];
  for (const file of files) {
    const check = await checkImage(file, cutout, undefined, ctx);
    if (check.found) checks.push(check);
  }
  if (checks.length === 0) return undefined;
  const x0 = Math.min(...checks.map((c) => c.productBox.x));
  const y0 = Math.min(...checks.map((c) => c.productBox.y));
  const x1 = Math.max(...checks.map((c) => c.productBox.x + c.productBox.w));
  const y1 = Math.max(...checks.map((c) => c.productBox.y + c.productBox.h));
  const r = (v: number) => Math.round(v * 10_000) / 10_000;
  return {
    fidelity: Math.min(...checks.map((c) => c.fidelity)),
    productBox: { x: r(x0), y: r(y0), w: r(x1 - x0), h: r(y1 - y0) },
  };
}

/**
 * A model's clip (the model animated the still) checked for the product in sampled frames, as the
 * clip's fidelity fields; none when the product is nowhere to be found.
 */
export async function modelClipFidelity(
  clipPath: string,
  layerPath: string,
  durationSeconds: number,
  workDir: string,
  fps: number,
  ctx?: CallContext,
): Promise<Pick<AssetView, 'fidelity' | 'fidelityWarning' | 'productBox'>> {
  const frames = join(workDir, 'frames');
  await mkdir(frames);
  const check = await checkClip(
    clipPath,
    layerPath,
    Math.round(durationSeconds * fps),
    frames,
    ctx,
  );
  if (!check) return {};
  return {
    fidelity: check.fidelity,
    fidelityWarning: check.fidelity < FIDELITY_WARNING_BELOW,
    productBox: check.productBox,
  };
}
