import sharp from 'sharp';
import { businessFailure } from '../../../core/errors';
import type { BackgroundRemover } from '../types';
import { opaqueBox } from '../alpha';
import { matte } from './matte';

/**
 * The product cut out of an uploaded photo, offline: a PNG whose alpha already frees the product
 * is kept as it is; any other photo is matted from its plain or studio backdrop (see matte.ts for
 * the limits). The result is trimmed to the product, so scenes can place and scale it.
 */

const MODEL_KEPT = 'local/alpha-kept';
const MODEL_MATTE = 'local/matte-v1';
/**
 * A matte that leaves less than this share of the photo, or more, did not find a product: on a
 * real studio shot the backdrop is at least a tenth of the frame, while a busy photo loses only a
 * thin rim at its border.
 */
const MIN_PRODUCT_SHARE = 0.02;
const MAX_PRODUCT_SHARE = 0.9;

export function createLocalCutter(): BackgroundRemover {
  return {
    async removeBackground(input, ctx) {
      ctx?.signal?.throwIfAborted();
      const { data, info } = await sharp(input.imagePath)
        .rotate()
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const { width, height } = info;
      const pixels = width * height;
      const transparent = countAlpha(data, (a) => a < 250);
      const keepsAlpha = transparent > pixels * 0.01;
      if (!keepsAlpha) {
        const alpha = matte(data, width, height);
        for (let i = 0; i < pixels; i++) data[i * 4 + 3] = alpha[i]!;
      }
      ctx?.onProgress?.(0.6);
      const share = countAlpha(data, (a) => a >= 128) / pixels;
      if (share < MIN_PRODUCT_SHARE || (!keepsAlpha && share > MAX_PRODUCT_SHARE)) {
        throw businessFailure(
          'MEDIA_INVALID',
          'The studio could not tell the product from its background. Upload a photo on a plain ' +
            'backdrop, or a PNG with a transparent background.',
        );
      }
      const box = opaqueBox(data, width, height);
      const info2 = await sharp(data, { raw: { width, height, channels: 4 } })
        .extract(box)
        .png()
        .toFile(input.outputPath);
      ctx?.onProgress?.(1);
      return {
        path: input.outputPath,
        mime: 'image/png',
        width: info2.width,
        height: info2.height,
        model: keepsAlpha ? MODEL_KEPT : MODEL_MATTE,
        costUsd: 0,
      };
    },
  };
}

function countAlpha(data: Uint8Array, test: (alpha: number) => boolean) {
  let count = 0;
  for (let i = 3; i < data.length; i += 4) if (test(data[i]!)) count++;
  return count;
}
