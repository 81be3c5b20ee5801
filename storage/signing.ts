import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Expiring signatures for files served by the API from the fs driver. The signature covers the
 * key, the expiry and the download name, so none of them can be changed by the holder.
 */

/**
 * When a link is signed and when it expires, rounded to a window of a quarter of its lifetime.
 * Every link to a key signed within one window is the same string, so a browser that reloads a
 * session (or gets a state update) finds the file in its cache instead of downloading it again;
 * a link handed out still has at least three quarters of its lifetime left.
 */
export function signingWindow(expiresInSeconds: number, now = Date.now()) {
  const window = Math.max(1, Math.floor(expiresInSeconds / 4));
  const signedAt = Math.floor(now / 1000 / window) * window;
  return { signedAt, expiresAt: signedAt + expiresInSeconds };
}

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
