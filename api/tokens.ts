import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import type { Db } from '../db/client';
import type { AuthUser } from './deps';
import type { Revocation } from './revocations';

/**
 * Sign-ins as revocable token families. A sign-in gets a family id, a short-lived access token
 * (a JWT naming the user and the family) and an opaque refresh token stored only as its hash.
 * Each refresh rotates the refresh token. A rotated token may be presented once more within a
 * short grace period (a second request of a page load that raced the first, on another API
 * instance); any other use of a rotated token (a stolen copy) revokes the family. Access tokens are checked against their family on use, so sign-out, a password
 * change or a deleted user ends them at once rather than when they expire.
 */

/** How long after its rotation a refresh token may be used once more. */
const REUSE_GRACE_MS = 30_000;

/**
 * Refreshes of one token now in progress in this process. Requests that arrive together with the
 * same token (a page firing its reads at once after its access cookie expired) share the one
 * rotation instead of each using the token again; the entry goes as soon as the rotation ends.
 */
const inFlight = new Map<string, Promise<SignedIn | null>>();

export interface SignedIn {
  user: AuthUser;
  familyId: string;
  accessToken: string;
  /** Absent when a concurrent refresh already rotated the token (its answer sets the new one). */
  refreshToken?: string | undefined;
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');
const newRefreshToken = () => randomBytes(32).toString('base64url');

export function createTokens(options: {
  db: Db;
  secret: string;
  accessTtlMs: number;
  refreshTtlMs: number;
  /** Told of every sign-in that ends, so what outlives a token check (sockets) can end too. */
  onRevoked?: (revocation: Revocation) => void;
}) {
  const { db, secret } = options;

  const accessToken = (user: AuthUser, familyId: string) => {
    const now = Math.floor(Date.now() / 1000);
    return sign(
      {
        sub: user.id,
        sid: familyId,
        typ: 'access',
        email: user.email,
        name: user.name,
        iat: now,
        exp: now + Math.max(1, Math.floor(options.accessTtlMs / 1000)),
      },
      secret,
      'HS256',
    );
  };

  const storeRefresh = async (userId: string, familyId: string) => {
    const token = newRefreshToken();
    await db.refreshToken.create({
      data: {
        userId,
        familyId,
        tokenHash: digest(token),
        expiresAt: new Date(Date.now() + options.refreshTtlMs),
      },
    });
    return token;
  };

  const revokeFamily = async (familyId: string) => {
    await db.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    options.onRevoked?.({ kind: 'sign-in', familyId });
  };

  const refreshOnce = async (tokenHash: string): Promise<SignedIn | null> => {
    const row = await db.refreshToken.findUnique({
      where: { tokenHash },
      include: { user: { select: { id: true, email: true, name: true } } },
    });
    const now = Date.now();
    if (!row || row.revokedAt || row.expiresAt.getTime() <= now) return null;
    const access = async () => ({
      user: row.user,
      familyId: row.familyId,
      accessToken: await accessToken(row.user, row.familyId),
    });
    if (row.rotatedAt) {
      // Within the grace period, one use; claimed atomically, so two copies cannot both have it.
      const inGrace = now - row.rotatedAt.getTime() <= REUSE_GRACE_MS;
      const claimed = inGrace
        ? await db.refreshToken.updateMany({
            where: { id: row.id, graceUsedAt: null, revokedAt: null },
            data: { graceUsedAt: new Date(now) },
          })
        : { count: 0 };
      if (claimed.count === 1) return access();
      // A rotated token used again: someone holds a copy. End the sign-in.
      await revokeFamily(row.familyId);
      return null;
    }
    const claimed = await db.refreshToken.updateMany({
      where: { id: row.id, rotatedAt: null },
      data: { rotatedAt: new Date(now) },
    });
    // Another instance rotated it a moment ago: this is that race's grace use, if still free.
    if (claimed.count !== 1) return refreshOnce(tokenHash);
    return { ...(await access()), refreshToken: await storeRefresh(row.userId, row.familyId) };
  };

  return {
    /** A new sign-in for the user. */
    async signIn(user: AuthUser): Promise<SignedIn> {
      const familyId = randomUUID();
      const refreshToken = await storeRefresh(user.id, familyId);
      return { user, familyId, accessToken: await accessToken(user, familyId), refreshToken };
    },

    /** The user of a valid access token whose sign-in is still live and whose account exists. */
    async authenticate(token: string): Promise<{ user: AuthUser; familyId: string } | null> {
      let claims: Record<string, unknown>;
      try {
        claims = await verify(token, secret, 'HS256');
      } catch {
        return null;
      }
      const { sub, sid, typ } = claims;
      if (typ !== 'access' || typeof sub !== 'string' || typeof sid !== 'string') return null;
      const live = await db.refreshToken.findFirst({
        where: { familyId: sid, userId: sub, revokedAt: null, expiresAt: { gt: new Date() } },
        select: { user: { select: { id: true, email: true, name: true } } },
      });
      return live ? { user: live.user, familyId: sid } : null;
    },

    /** A fresh access token and a rotated refresh token, or null when the token is not valid. */
    refresh(token: string): Promise<SignedIn | null> {
      const key = digest(token);
      const running = inFlight.get(key);
      if (running) return running;
      const rotation = refreshOnce(key).finally(() => inFlight.delete(key));
      inFlight.set(key, rotation);
      return rotation;
    },

    revokeFamily,

    /** Another access token of a live sign-in (for socket.io, which reads it from /api/me). */
    accessTokenFor: accessToken,

    /** Ends every sign-in of the user but the given one (after a password change). */
    async revokeOthers(userId: string, keepFamilyId: string) {
      await db.refreshToken.updateMany({
        where: { userId, familyId: { not: keepFamilyId }, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      options.onRevoked?.({ kind: 'all-but', userId, keepFamilyId });
    },

    /** Whether a sign-in is still live: neither ended nor expired, its user still there. */
    async signInLive(familyId: string): Promise<boolean> {
      const live = await db.refreshToken.findFirst({
        where: { familyId, revokedAt: null, expiresAt: { gt: new Date() } },
        select: { id: true },
      });
      return live !== null;
    },

    /** The family of a refresh token, if it is one of ours (for sign-out). */
    async familyOf(token: string): Promise<string | null> {
      const row = await db.refreshToken.findUnique({
        where: { tokenHash: digest(token) },
        select: { familyId: true },
      });
      return row?.familyId ?? null;
    },
  };
}

export type Tokens = ReturnType<typeof createTokens>;
