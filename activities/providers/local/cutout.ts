import { businessFailure } from '../../../core/errors';
import type { CutoutQuality } from '../../../core/cutout-quality';
import type { BackgroundRemover } from '../types';
import { cutoutInWorker } from '../../segmentation/runner';

/**
 * The product cut out of an uploaded photo, offline: a PNG whose alpha already frees the product
 * is kept as it is; any other photo is segmented by U²-Net (activities/segmentation), refined at
 * the photo's resolution and judged by the quality gate. All of it runs in the segmentation
 * worker thread, so a large photo never holds up the activity worker's event loop.
 *
 * A photo in which the model cannot tell what the product is gets a clear refusal
 * (`PRODUCT_UNCLEAR`, with the verdict as details) before anything is paid for.
 */

const MODEL_KEPT = 'local/alpha-kept';
const MODEL_CUTOUT = 'local/u2net-cutout-v1';

/** The refusal a person reads: what looks wrong, then what photo would work. */
export function refusal(quality: CutoutQuality) {
  return businessFailure(
    'PRODUCT_UNCLEAR',
    [quality.summary, quality.advice].filter(Boolean).join(' '),
    quality,
  );
}

export function createLocalCutter(): BackgroundRemover {
  return {
    async removeBackground(input, ctx) {
      ctx?.signal?.throwIfAborted();
      const made = await cutoutInWorker(
        { photoPath: input.imagePath, outputPath: input.outputPath, hints: input.hints },
        ctx,
      );
      if (made.quality.verdict === 'refused') throw refusal(made.quality);
      ctx?.onProgress?.(1);
      return {
        path: input.outputPath,
        mime: 'image/png',
        width: made.width,
        height: made.height,
        model: made.quality.method === 'alpha-kept' ? MODEL_KEPT : MODEL_CUTOUT,
        costUsd: 0,
        quality: made.quality,
        photoBox: made.box,
      };
    },
  };
}
