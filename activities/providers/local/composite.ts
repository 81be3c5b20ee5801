import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';

/**
 * Compositing a product cutout into a rendered scene: light matched mildly to the set, and a
 * shadow cast from its own silhouette. The cutout is only scaled, moved and lightly re-balanced;
 * never re-drawn or warped, so the product fidelity check (activities/fidelity) stays near 1.
 */

export interface Cutout {
  /** PNG bytes (RGBA) at the size it is placed. */
  data: Buffer;
  width: number;
  height: number;
}

export interface PlacedCutout {
  png: Buffer;
  width: number;
  height: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Brightness follows the set by at most this much either way (a gentle grade, not a relight). */
const MAX_BRIGHTNESS = 0.06;
/** Each channel leans towards the set's colour temperature by at most this much. */
const MAX_TINT = 0.04;

interface Means {
  r: number;
  g: number;
  b: number;
}

/** Mean colour of the set in a ring around the product's box (where its light comes from). */
function ringMean(
  rgb: Buffer,
  width: number,
  height: number,
  at: { left: number; top: number },
  size: { width: number; height: number },
): Means {
  const padX = Math.round(size.width * 0.25);
  const padY = Math.round(size.height * 0.25);
  const x0 = Math.max(0, at.left - padX);
  const y0 = Math.max(0, at.top - padY);
  const x1 = Math.min(width, at.left + size.width + padX);
  const y1 = Math.min(height, at.top + size.height + padY);
  const sum = { r: 0, g: 0, b: 0 };
  let count = 0;
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0; x < x1; x += 2) {
      const inside =
        x >= at.left && x < at.left + size.width && y >= at.top && y < at.top + size.height;
      if (inside) continue;
      const i = (y * width + x) * 3;
      sum.r += rgb[i]!;
      sum.g += rgb[i + 1]!;
      sum.b += rgb[i + 2]!;
      count++;
    }
  }
  const n = Math.max(1, count);
  return { r: sum.r / n, g: sum.g / n, b: sum.b / n };
}

/**
 * Pure: per-channel gains that move the product's light mildly towards the set's: its brightness
 * a little towards the set's, its colour temperature a little towards the set's tint.
 */
export function lightGains(product: Means, set: Means): [number, number, number] {
  const luma = (m: Means) => 0.299 * m.r + 0.587 * m.g + 0.114 * m.b;
  const brightness = clamp(
    Math.pow(Math.max(1, luma(set)) / Math.max(1, luma(product)), 0.15),
    1 - MAX_BRIGHTNESS,
    1 + MAX_BRIGHTNESS,
  );
  const setMean = Math.max(1, (set.r + set.g + set.b) / 3);
  const productMean = Math.max(1, (product.r + product.g + product.b) / 3);
  const tint = (s: number, p: number) =>
    clamp(1 + 0.1 * (s / setMean - p / productMean), 1 - MAX_TINT, 1 + MAX_TINT);
  return [
    brightness * tint(set.r, product.r),
    brightness * tint(set.g, product.g),
    brightness * tint(set.b, product.b),
  ];
}

/** The cutout with its light matched to the set around where it will stand. */
export async function matchLight(
  cutout: Cutout,
  backdrop: Buffer,
  width: number,
  height: number,
  at: { left: number; top: number },
): Promise<PlacedCutout> {
  const { data, info } = await sharp(cutout.data)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sum = { r: 0, g: 0, b: 0 };
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3]! < 128) continue;
    sum.r += data[i]!;
    sum.g += data[i + 1]!;
    sum.b += data[i + 2]!;
    count++;
  }
  const n = Math.max(1, count);
  const gains = lightGains(
    { r: sum.r / n, g: sum.g / n, b: sum.b / n },
    ringMean(backdrop, width, height, at, info),
  );
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c++) data[i + c] = clamp(Math.round(data[i + c]! * gains[c]!), 0, 255);
  }
  const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
    .png()
    .toBuffer();
  return { png, width: info.width, height: info.height };
}

/**
 * A shadow made from the product's own alpha: squashed flat under its base (standing views), or
 * the whole silhouette offset away from the light (top view). Returned as overlays to lay under
 * the product, cropped to the frame.
 */
export async function silhouetteShadow(
  product: PlacedCutout,
  at: { left: number; top: number },
  shadow: {
    kind: 'contact' | 'drop';
    lightSide: number;
    dark: boolean;
    /** 0 light from overhead (a short shadow) .. 1 grazing light (a long one); default 0. */
    reach?: number | undefined;
  },
  width: number,
  height: number,
): Promise<OverlayOptions[]> {
  const unit = Math.min(width, height);
  const { data, info } = await sharp(product.png).raw().toBuffer({ resolveWithObject: true });
  const opacity = shadow.kind === 'contact' ? (shadow.dark ? 0.8 : 0.6) : shadow.dark ? 0.6 : 0.32;
  const black = Buffer.alloc(data.length);
  for (let i = 3; i < data.length; i += 4) black[i] = Math.round(data[i]! * opacity);
  const flat = shadow.kind === 'contact';
  const sw = info.width;
  const reach = Math.max(0, Math.min(1, shadow.reach ?? 0));
  const sh = flat ? Math.max(4, Math.round(info.height * (0.07 + reach * 0.1))) : info.height;
  const pad = Math.round(unit * (flat ? 0.02 : 0.03));
  const blurred = await sharp(black, {
    raw: { width: info.width, height: info.height, channels: 4 },
  })
    .resize(sw, sh, { fit: 'fill' })
    .extend({
      top: pad,
      bottom: pad,
      left: pad,
      right: pad,
      background: { r: 0, g: 0, b: 0, alpha: 0 },
    })
    .blur(Math.max(0.5, pad / 3))
    .raw()
    .toBuffer({ resolveWithObject: true });
  const cast = -shadow.lightSide * unit * (flat ? 0.01 + reach * 0.06 : 0.02);
  const left = Math.round(at.left - pad + cast);
  const top = Math.round(flat ? at.top + info.height - sh * 0.6 - pad : at.top + unit * 0.02 - pad);
  // Crop what falls outside the frame: sharp composites only inside the base image.
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const x1 = Math.min(width, left + blurred.info.width);
  const y1 = Math.min(height, top + blurred.info.height);
  if (x1 <= x0 || y1 <= y0) return [];
  const input = await sharp(blurred.data, {
    raw: { width: blurred.info.width, height: blurred.info.height, channels: 4 },
  })
    .extract({ left: x0 - left, top: y0 - top, width: x1 - x0, height: y1 - y0 })
    .png()
    .toBuffer();
  return [{ input, left: x0, top: y0 }];
}
