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

export const MAX_PHOTO_SIDE = 8000;

/**
 * Proves the file is a real image of a sane size by decoding all of it (a good header over
 * corrupt pixels would otherwise pass here and fail later inside a session); null when it is not.
 * The image library's own text never reaches a person.
 */
export async function photoSize(bytes: Buffer): Promise<{ width: number; height: number } | null> {
  try {
    const { width, height } = await sharp(bytes).metadata();
    if (!width || !height || width > MAX_PHOTO_SIDE || height > MAX_PHOTO_SIDE) return null;
    // A small thumbnail still reads every pixel; failOn 'warning' also refuses truncated data.
    await sharp(bytes, { failOn: 'warning' }).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
    return { width, height };
  } catch {
    return null;
  }
}
