import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '../core/errors';

/**
 * Doors every route shares: a cap on request bodies (read before anything else, so a huge body
 * never reaches memory or a JSON parser) and security headers with a strict CSP.
 */

/** The largest JSON body any route takes: the biggest human action is a few kilobytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Paths that cap their own bodies (product photo uploads allow 10 MB, see routes/uploads.ts). */
const OWN_LIMIT = new Set(['/api/uploads']);

export function bodyLimits() {
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('PAYLOAD_TOO_LARGE', 'The request is too large.');
    },
  });
  return createMiddleware(async (c, next) => {
    if (OWN_LIMIT.has(c.req.path)) return next();
    return limit(c, next);
  });
}

/**
 * Headers for every API answer. The API serves JSON, media and one docs page whose scripts and
 * styles are its own files, so nothing may frame it and it loads nothing from elsewhere.
 */
export function apiSecurityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      // Swagger UI sets inline styles on its elements.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      mediaSrc: ["'self'"],
      fontSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'no-referrer',
    // Media links are followed from the studio's pages on the same origin.
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    strictTransportSecurity: false,
  });
}
