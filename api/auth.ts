import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../core/errors';
import { cameOverHttps } from './client-address';
import type { ApiDeps, AppEnv } from './deps';
import { createTokens, type SignedIn } from './tokens';

/** The short-lived access token (also read by socket.io's handshake). */
export const SESSION_COOKIE = 'studio_session';
/** The refresh token; only the API reads it. */
export const REFRESH_COOKIE = 'studio_refresh';

export function hashPassword(password: string): Promise<string> {
  // Algorithm.Argon2id is a const enum, which isolated modules cannot read; its value is 2.
  return hash(password, { algorithm: 2 as Algorithm.Argon2id });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** The bearer token if one is given, else the session cookie. */
export function tokenFrom(authorization: string | undefined, cookie: string | undefined) {
  return bearerOf(authorization) ?? cookie ?? null;
}

const bearerOf = (authorization: string | undefined) =>
  authorization?.match(/^Bearer\s+(.+)$/i)?.[1];

export function tokensOf(deps: ApiDeps) {
  return createTokens({
    db: deps.db,
    secret: deps.config.JWT_SECRET,
    accessTtlMs: deps.config.ACCESS_TOKEN_TTL,
    refreshTtlMs: deps.config.REFRESH_TOKEN_TTL,
    onRevoked: (revocation) => deps.revocations?.tell(revocation),
  });
}

/** Secure whenever the studio is served over HTTPS, or the request came over it. */
function secureCookies(c: Context, deps: ApiDeps) {
  const { config } = deps;
  return (
    config.COOKIE_SECURE ||
    new URL(config.PUBLIC_URL).protocol === 'https:' ||
    cameOverHttps(c, config.TRUSTED_PROXIES)
  );
}

export function setAuthCookies(c: Context, deps: ApiDeps, signedIn: SignedIn) {
  const secure = secureCookies(c, deps);
  setCookie(c, SESSION_COOKIE, signedIn.accessToken, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: Math.floor(deps.config.ACCESS_TOKEN_TTL / 1000),
  });
  if (signedIn.refreshToken) {
    setCookie(c, REFRESH_COOKIE, signedIn.refreshToken, {
      httpOnly: true,
      sameSite: 'Strict',
      secure,
      path: '/api',
      maxAge: Math.floor(deps.config.REFRESH_TOKEN_TTL / 1000),
    });
  }
}

export function clearAuthCookies(c: Context) {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  deleteCookie(c, REFRESH_COOKIE, { path: '/api' });
}

export const refreshCookie = (c: Context) => getCookie(c, REFRESH_COOKIE);

/**
 * Lets through signed-in users only. A bearer token must be valid on its own; a browser whose
 * access cookie has expired is refreshed from its refresh cookie here, transparently, so pages
 * never see a 401 while the sign-in lives.
 */
export function requireUser(deps: ApiDeps) {
  const tokens = tokensOf(deps);
  return createMiddleware<AppEnv>(async (c, next) => {
    const bearer = bearerOf(c.req.header('authorization'));
    const access = bearer ?? getCookie(c, SESSION_COOKIE);
    let found = access ? await tokens.authenticate(access) : null;
    if (!found && !bearer) {
      const refresh = refreshCookie(c);
      const renewed = refresh ? await tokens.refresh(refresh) : null;
      if (renewed) setAuthCookies(c, deps, renewed);
      found = renewed;
    }
    if (!found) throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
    c.set('user', found.user);
    c.set('signInId', found.familyId);
    await next();
  });
}
