import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import type { ProductView } from '../../../core/options';
import type { ImageGenerator } from '../types';
import type { ProductBox } from '../../../core/session';
import { composeScene } from './draw/scene';
import { matchLight, silhouetteShadow } from './composite';

/**
 * Offline image generator: draws the product as SVG on a styled set and renders it with sharp.
 * No model and no network; the same inputs give a byte-identical PNG.
 */

const MODEL = 'local/studio-image-v1';

/** PNG settings are fixed so the encoder, like the drawing, is deterministic. */
const PNG_OPTIONS = { compressionLevel: 6, adaptiveFiltering: false, palette: false } as const;

/** How much of the frame a cut-out product fills in each view (a close-up for details). */
const CUTOUT_FILL: Record<ProductView, number> = {
  front: 0.56,
  side: 0.56,
  back: 0.56,
  top: 0.62,
  detail: 0.78,
  lifestyle: 0.46,
};

/**
 * Reads an uploaded photo. A cutout (with transparency) is scaled to fit the shot, the same for
 * every image of a view; a plain photo is only shrunk when it does not fit the canvas.
 */
async function loadPhoto(path: string, width: number, height: number, view: ProductView) {
  const image = sharp(path).rotate();
  const meta = await image.metadata();
  const pw = meta.autoOrient.width;
  const ph = meta.autoOrient.height;
  const fill = meta.hasAlpha ? CUTOUT_FILL[view] : 1;
  const box = { width: Math.round(width * fill), height: Math.round(height * fill) };
  const fits = pw <= box.width && ph <= box.height;
  const pipeline =
    fits && !meta.hasAlpha ? image : image.resize({ ...box, fit: 'inside', kernel: 'lanczos3' });
  const { data, info } = await pipeline.png().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, cutout: meta.hasAlpha };
}

export function createLocalImageGenerator(): ImageGenerator {
  return {
    async generateImage(input, ctx) {
      const { width, height, outputPath } = input;
      ctx?.signal?.throwIfAborted();
      const photo = input.productPhotoPath
        ? await loadPhoto(input.productPhotoPath, width, height, input.view)
        : undefined;
      const scene = composeScene({
        view: input.view,
        prompt: input.prompt,
        seed: input.seed,
        style: input.style,
        product: input.product,
        width,
        height,
        photo: photo && { width: photo.width, height: photo.height },
      });
      ctx?.onProgress?.(0.3);
      let image = sharp(Buffer.from(scene.svg), { density: 72 }).resize(width, height, {
        fit: 'fill',
      });
      await mkdir(dirname(outputPath), { recursive: true });
      let placed: { productBox: ProductBox; productLayerPath: string } | undefined;
      if (photo && scene.photoAt) {
        // Composite on a flattened render so the photo's pixels land unchanged but for the mild
        // light match; the product is scaled and moved, never re-drawn or warped.
        const backdrop = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const at = scene.photoAt;
        // A photo without transparency (its own backdrop box) is pasted exactly as it is.
        const product = photo.cutout
          ? await matchLight(photo, backdrop.data, width, height, at)
          : { png: photo.data, width: photo.width, height: photo.height };
        const layers: OverlayOptions[] = [];
        if (scene.photoShadow && photo.cutout) {
          layers.push(...(await silhouetteShadow(product, at, scene.photoShadow, width, height)));
        }
        layers.push({ input: product.png, left: at.left, top: at.top });
        image = sharp(backdrop.data, { raw: { width, height, channels: 3 } }).composite(layers);
        const productLayerPath = `${outputPath}.product.png`;
        await sharp({
          create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
        })
          .composite([{ input: product.png, left: at.left, top: at.top }])
          .png()
          .toFile(productLayerPath);
        placed = {
          productLayerPath,
          productBox: {
            x: at.left / width,
            y: at.top / height,
            w: photo.width / width,
            h: photo.height / height,
          },
        };
      }
      ctx?.signal?.throwIfAborted();
      await image.removeAlpha().png(PNG_OPTIONS).toFile(outputPath);
      ctx?.onProgress?.(1);
      return {
        path: outputPath,
        mime: 'image/png',
        width,
        height,
        model: MODEL,
        costUsd: 0,
        ...placed,
      };
    },
  };
}
