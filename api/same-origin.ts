import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../core/errors';
import type { ApiConfig } from './config';
import { cameOverHttps, isTrusted, peerAddress } from './client-address';

/**
 * Requests that change something must come from the studio's own pages (or from a client that is
 * not a browser). A browser says where a request comes from: `Sec-Fetch-Site` (every current
 * browser) or, failing that, `Origin`. Another site, and also a sibling subdomain or another port
 * on the same host ("same-site", which SameSite=Lax cookies do not stop), is refused. Clients
 * without a browser (a bearer token, curl, Replicate's webhook) send neither header and pass.
 * Bodies must be JSON (a photo upload, a form): the content types an HTML form can send are the
 * only ones another site can post without the browser asking the API first.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes whose body is a form by design; every other route takes JSON or nothing. */
const FORM_ROUTES = new Set(['/api/uploads']);

interface HeaderSource {
  get(name: string): string | null | undefined;
}

/**
 * Whether a browser sent this request from somewhere other than the given origins. The origins
 * are those the studio is served from (PUBLIC_URL, and the address the request itself was sent
 * to, for a studio reached under another name).
 */
export function isCrossSite(headers: HeaderSource, ownOrigins: readonly string[]): boolean {
  const site = headers.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = headers.get('origin');
  if (!origin) return false;
  return !ownOrigins.includes(origin);
}

const CROSS_SITE = 'This request came from another site. Use the studio’s own pages.';

/** The origin a browser addressed: what the trusted proxy in front saw, else this request's. */
function addressedOrigin(c: Context, config: ApiConfig) {
  const peer = peerAddress(c);
  const viaProxy = peer !== undefined && isTrusted(config.TRUSTED_PROXIES, peer);
  const host = (viaProxy && c.req.header('x-forwarded-host')) || c.req.header('host');
  if (!host) return undefined;
  return `${cameOverHttps(c, config.TRUSTED_PROXIES) ? 'https' : 'http'}://${host}`;
}

export function sameOriginWrites(config: ApiConfig) {
  const publicOrigin = new URL(config.PUBLIC_URL).origin;
  return createMiddleware(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const own = [publicOrigin, addressedOrigin(c, config)].filter((o): o is string => !!o);
    if (isCrossSite(c.req.raw.headers, own)) throw new AppError('FORBIDDEN', CROSS_SITE);
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type && type !== 'application/json' && !FORM_ROUTES.has(c.req.path)) {
      throw new AppError('VALIDATION_FAILED', 'Send the body as JSON (application/json).');
    }
    return next();
  });
}
