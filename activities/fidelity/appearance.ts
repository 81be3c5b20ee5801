import sharp from 'sharp';
import { maskedSsim } from './ssim';
import type { Pixels } from './ssim';
import { clampBox, comparisonScale, crop, downsample } from './warp';
import type { PixelBox } from './warp';

/** The appearance half of the fidelity check: masked SSIM of a product region against the cutout. */

/** Masked SSIM at the scale a viewer sees the whole frame at (see `comparisonScale`). */
export function compare(region: Pixels, reference: Pixels, frame: Pixels): number {
  const factor = comparisonScale(frame.width, frame.height);
  return maskedSsim(downsample(region, factor), downsample(reference, factor));
}

/**
 * Masked SSIM of a picture's region `placed` against the cutout scaled to fill it (the product as
 * the cutout shows it). Parts of the box outside the picture do not count.
 */
export async function appearance(
  image: Pixels,
  cutoutPath: string,
  placed: PixelBox,
): Promise<number> {
  const cutout = await sharp(cutoutPath)
    .rotate()
    .ensureAlpha()
    .resize(placed.width, placed.height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const inside = clampBox(placed, image.width, image.height);
  const reference = crop(
    { data: cutout.data, width: placed.width, height: placed.height, channels: 4 },
    { ...inside, left: inside.left - placed.left, top: inside.top - placed.top },
  );
  return compare(crop(image, inside), reference, image);
}
