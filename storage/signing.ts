import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Expiring signatures for files served by the API from the fs driver. The signature covers the
 * key, the expiry and the download name, so none of them can be changed by the holder.
 */

export function signFileUrl(
  secret: string,
  key: string,
  expiresAt: number,
  downloadName = '',
): string {
  return createHmac('sha256', secret)
    .update(`${key}\n${expiresAt}\n${downloadName}`)
    .digest('base64url');
}

export function verifyFileUrl(
  secret: string,
  key: string,
  expiresAt: number,
  downloadName: string,
  signature: string,
  now = Date.now(),
): boolean {
  if (!Number.isFinite(expiresAt) || expiresAt < Math.floor(now / 1000)) return false;
  const expected = Buffer.from(signFileUrl(secret, key, expiresAt, downloadName));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
