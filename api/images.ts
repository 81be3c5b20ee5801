import sharp from 'sharp';

/** Image types a product photo may be, recognised by their first bytes (never by name). */
const SIGNATURES = [
  {
    type: 'png',
    mime: 'image/png',
    test: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')),
  },
  {
    type: 'jpeg',
    mime: 'image/jpeg',
    test: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  {
    type: 'webp',
    mime: 'image/webp',
    test: (b: Buffer) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
] as const;

export type PhotoType = (typeof SIGNATURES)[number]['type'];

export function sniffImage(bytes: Buffer): { type: PhotoType; mime: string } | null {
  const found = SIGNATURES.find((s) => s.test(bytes));
  return found ? { type: found.type, mime: found.mime } : null;
}

/** The longest side a product photo may have. */
export const MAX_PHOTO_SIDE = 8000;
/**
 * The most pixels a product photo may have (a 24-megapixel camera's 6000 × 4000 fits). The sides
 * alone are not enough: 8000 × 8000 of one colour is a PNG of a few kilobytes that decodes to
 * 256 MB, and every later step (the check below, the cutout, each composite) decodes it again.
 */
export const MAX_PHOTO_PIXELS = 25_000_000;

export type PhotoCheck =
  { ok: true; width: number; height: number } | { ok: false; message: string };

const UNREADABLE = 'This file is not a PNG, JPEG or WebP image we can read.';
const millions = (pixels: number) => Math.round(pixels / 1_000_000);

/**
 * Proves the file is a real image of a sane size. The size comes from the header and is judged
 * before any pixel is decoded (sharp's own pixel limit holds too, should a header lie); then all
 * of it is decoded (a good header over corrupt pixels would otherwise pass here and fail later
 * inside a session). The image library's own text never reaches a person.
 */
export async function checkPhoto(bytes: Buffer): Promise<PhotoCheck> {
  try {
    const { width, height } = await sharp(bytes).metadata();
    if (!width || !height) return { ok: false, message: UNREADABLE };
    const longest = Math.max(width, height);
    if (longest > MAX_PHOTO_SIDE) {
      const side = width >= height ? `${width} pixels wide` : `${height} pixels tall`;
      return {
        ok: false,
        message: `This photo is ${side}; the studio takes up to ${MAX_PHOTO_SIDE} on a side. Make it smaller and upload it again.`,
      };
    }
    if (width * height > MAX_PHOTO_PIXELS) {
      return {
        ok: false,
        message: `This photo has ${millions(width * height)} million pixels; the studio takes up to ${millions(MAX_PHOTO_PIXELS)} million (6000 × 4000, say). Make it smaller and upload it again.`,
      };
    }
    // A small thumbnail still reads every pixel; failOn 'warning' also refuses truncated data.
    await sharp(bytes, { failOn: 'warning', limitInputPixels: MAX_PHOTO_PIXELS })
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer();
    return { ok: true, width, height };
  } catch {
    return { ok: false, message: UNREADABLE };
  }
}

/**
 * Below this share of clear pixels, or above its complement, a PNG's alpha frees nothing: it is
 * a photo with a few soft corners, or almost nothing at all. The cutter keeps the alpha of a PNG
 * with more than 1 % clear pixels (activities/segmentation/pipeline.ts); this asks for more, so
 * what a person uploads as "my cutout" really is one.
 */
export const CUTOUT_MIN_CLEAR = 0.05;
export const CUTOUT_MIN_SOLID = 0.02;

/**
 * Proves an upload meant as the product cutout is one: a PNG with an alpha channel whose clear
 * and solid pixels both cover a real share of it (read from a reduced copy of every pixel).
 */
export async function checkCutoutPng(bytes: Buffer, type: PhotoType): Promise<string | null> {
  if (type !== 'png') return 'A cutout must be a PNG with a transparent background.';
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.hasAlpha) {
      return 'This PNG has no transparency. Export the product on a transparent background.';
    }
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PHOTO_PIXELS })
      .resize(256, 256, { fit: 'inside' })
      .ensureAlpha()
      .extractChannel(3)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels = info.width * info.height;
    let clear = 0;
    let solid = 0;
    for (const a of data) {
      if (a < 16) clear++;
      else if (a > 240) solid++;
    }
    if (clear < pixels * CUTOUT_MIN_CLEAR) {
      return 'This PNG is hardly transparent anywhere, so it does not separate the product. Export the product on a transparent background.';
    }
    if (solid < pixels * CUTOUT_MIN_SOLID) {
      return 'This PNG is almost entirely transparent: no product is left in it.';
    }
    return null;
  } catch {
    return UNREADABLE;
  }
}
