import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { sign, verify as verifyJwt } from 'hono/jwt';
import { AppError } from '../core/errors';
import type { AppEnv, AuthUser } from './deps';

export const SESSION_COOKIE = 'studio_session';

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

export function issueToken(user: AuthUser, secret: string, ttlHours: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign(
    { sub: user.id, email: user.email, name: user.name, iat: now, exp: now + ttlHours * 3600 },
    secret,
    'HS256',
  );
}

export async function readToken(token: string, secret: string): Promise<AuthUser | null> {
  try {
    const payload = await verifyJwt(token, secret, 'HS256');
    if (typeof payload.sub !== 'string') return null;
    return { id: payload.sub, email: String(payload.email), name: String(payload.name) };
  } catch {
    return null;
  }
}

/** The bearer token if one is given, else the session cookie. */
export function tokenFrom(authorization: string | undefined, cookie: string | undefined) {
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  return bearer ?? cookie ?? null;
}

export function requireUser(secret: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = tokenFrom(c.req.header('authorization'), getCookie(c, SESSION_COOKIE));
    const user = token ? await readToken(token, secret) : null;
    if (!user) throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
    c.set('user', user);
    await next();
  });
}
