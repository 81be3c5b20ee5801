/** Product photos the studio takes: checked by the browser before sending, and by the API. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

/** Why a chosen file cannot be the product photo, or '' when it can be sent. */
export function photoProblem(file: { size: number; type: string }): string {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type))
    return 'This file is not a PNG, JPEG or WebP image. Choose a photo in one of those formats.';
  if (file.size > MAX_PHOTO_BYTES) {
    const mb = (file.size / 1024 / 1024).toFixed(1);
    return `This photo is ${mb} MB; the studio takes photos up to 10 MB. Choose a smaller one.`;
  }
  return '';
}
