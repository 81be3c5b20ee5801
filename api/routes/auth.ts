import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import * as actions from '../../core/actions';
import { DEMO_USER } from '../../core/demo';
import { AppError } from '../../core/errors';
import {
  SESSION_COOKIE,
  clearAuthCookies,
  hashPassword,
  refreshCookie,
  setAuthCookies,
  tokenFrom,
  tokensOf,
  verifyPassword,
} from '../auth';
import { clientAddress } from '../client-address';
import type { ApiDeps } from '../deps';
import { passwordProblem } from '../passwords';
import { createLimiter } from '../rate-limit';
import { createSignInThrottle, pairKey } from '../sign-in-throttle';
import type { SignedIn } from '../tokens';
import { PUBLIC, createRouter } from '../router';
import { UserSchema, errorResponse, named } from './schemas';

const SignedInSchema = z
  .object({
    user: UserSchema,
    /** A short-lived access token, for `Authorization: Bearer` and socket.io. */
    token: z.string(),
    /** For clients without cookies: exchange it at POST /api/auth/refresh. */
    refreshToken: z.string().optional(),
  })
  .openapi('SignedIn');

const ok = {
  content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } },
  description: 'Done',
};

/**
 * Sign-up answers every address alike, whether it already has an account or not, so it cannot be
 * used to learn who has one (a local studio sends no e-mail that could tell the owner instead).
 * A new account is made; an existing one is left as it was. Either way the person signs in next.
 */
const SIGNED_UP =
  'Thank you. Now sign in with this e-mail address and password. If the address already had an account, sign in with its own password.';
const SignedUpSchema = z.object({ ok: z.literal(true), message: z.string() }).openapi('SignedUp');
const signedIn = (description: string) => ({
  content: { 'application/json': { schema: SignedInSchema } },
  description,
});
const body = <S extends z.ZodType>(schema: S) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

const routes = {
  login: createRoute({
    method: 'post',
    path: '/auth/login',
    security: PUBLIC,
    summary: 'Sign in with email and password',
    request: body(named(actions.signIn, 'Login')),
    responses: {
      200: signedIn('Signed in; the cookies are set'),
      400: errorResponse('Invalid input'),
      401: errorResponse('Wrong email or password'),
      429: errorResponse('Too many attempts'),
    },
  }),
  signup: createRoute({
    method: 'post',
    path: '/auth/signup',
    security: PUBLIC,
    summary: 'Create an account (the same answer whether or not the address has one); then sign in',
    request: body(named(actions.signUp, 'SignUp')),
    responses: {
      202: {
        content: { 'application/json': { schema: SignedUpSchema } },
        description: 'Noted; sign in next',
      },
      400: errorResponse('Invalid input, a common password or the e-mail as the password'),
      403: errorResponse('Sign-up is turned off'),
      429: errorResponse('Too many attempts'),
    },
  }),
  refresh: createRoute({
    method: 'post',
    path: '/auth/refresh',
    security: PUBLIC,
    summary: 'A new access token from the refresh cookie (or a refresh token in the body)',
    request: {
      body: {
        content: {
          'application/json': {
            schema: z.object({ refreshToken: z.string().max(200).optional() }),
          },
        },
        required: false,
      },
    },
    responses: {
      200: signedIn('Refreshed; the refresh token was rotated'),
      401: errorResponse('Not signed in'),
    },
  }),
  logout: createRoute({
    method: 'post',
    path: '/auth/logout',
    security: PUBLIC,
    summary: 'Sign out: ends this sign-in everywhere its tokens are used',
    responses: { 200: ok },
  }),
  password: createRoute({
    method: 'post',
    path: '/auth/password',
    summary: 'Change the password; ends every other sign-in of the account',
    request: body(named(actions.changePassword, 'ChangePassword')),
    responses: {
      200: ok,
      400: errorResponse('Invalid input, a common password or the e-mail as the password'),
      401: errorResponse('Not signed in, or the current password is wrong'),
      429: errorResponse('Too many wrong passwords'),
    },
  }),
  options: createRoute({
    method: 'get',
    path: '/auth/options',
    security: PUBLIC,
    summary: 'What the sign-in page may offer',
    responses: {
      200: {
        content: {
          'application/json': {
            schema: z
              .object({
                signupEnabled: z.boolean(),
                demo: z.object({ email: z.string(), password: z.string() }).nullable(),
              })
              .openapi('AuthOptions'),
          },
        },
        description: 'Sign-up availability, and the demo user when the embedded default has it',
      },
    },
  }),
  me: createRoute({
    method: 'get',
    path: '/me',
    summary: 'The signed-in user',
    responses: {
      200: signedIn('The user and a short-lived token for socket.io'),
      401: errorResponse('Not signed in'),
    },
  }),
};

export function authRoutes(deps: ApiDeps) {
  const { config, db } = deps;
  const tokens = tokensOf(deps);
  // Per address, however many accounts it tries; and per address and account, a growing wait
  // after a few wrong passwords (see sign-in-throttle.ts), which never makes the owner wait.
  const byAddress = createLimiter({ limit: config.LOGIN_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 });
  const guesses = createSignInThrottle();
  const address = (c: Context) => clientAddress(c, config.TRUSTED_PROXIES);
  const refuseWeak = (password: string, email: string) => {
    const problem = passwordProblem(password, email);
    if (problem) {
      throw new AppError('VALIDATION_FAILED', problem, [{ path: 'password', message: problem }]);
    }
  };

  const answer = (c: Context, result: SignedIn) => {
    setAuthCookies(c, deps, result);
    return { user: result.user, token: result.accessToken, refreshToken: result.refreshToken };
  };

  // Checking the demo password costs an argon2 verify: answer from a copy at most a minute old.
  let demoCache: { at: number; value: Promise<DemoHint> } | undefined;
  const demo = () => {
    if (!demoCache || Date.now() - demoCache.at > 60_000)
      demoCache = { at: Date.now(), value: demoHint(deps) };
    return demoCache.value;
  };

  const app = createRouter(deps);
  return app
    .openapi(routes.login, async (c) => {
      byAddress.hit(address(c));
      const { email, password } = c.req.valid('json');
      const pair = pairKey(address(c), email);
      guesses.check(pair);
      const found = await db.user.findUnique({ where: { email } });
      // Verify against a real hash even for unknown emails, so timing does not reveal accounts.
      const good = await verifyPassword(found?.passwordHash ?? (await unknownUserHash()), password);
      if (!found || !good) {
        guesses.fail(pair);
        throw new AppError('UNAUTHORIZED', 'Wrong email or password.');
      }
      guesses.succeed(pair);
      const user = { id: found.id, email: found.email, name: found.name };
      return c.json(answer(c, await tokens.signIn(user)), 200);
    })
    .openapi(routes.signup, async (c) => {
      if (!config.SIGNUP_ENABLED) {
        throw new AppError(
          'FORBIDDEN',
          'Sign-up is turned off on this studio. Ask for an account.',
        );
      }
      byAddress.hit(address(c));
      const { email, name, password } = c.req.valid('json');
      refuseWeak(password, email);
      // The same work on both paths: a hash, then one insert that a known address refuses.
      const passwordHash = await hashPassword(password);
      await db.user.create({ data: { email, name, passwordHash } }).catch((error: unknown) => {
        if (!isUniqueViolation(error)) throw error;
      });
      return c.json({ ok: true as const, message: SIGNED_UP }, 202);
    })
    .openapi(routes.refresh, async (c) => {
      const given = (c.req.valid('json') as { refreshToken?: string } | undefined)?.refreshToken;
      const token = given ?? refreshCookie(c);
      const renewed = token ? await tokens.refresh(token) : null;
      if (!renewed) {
        clearAuthCookies(c);
        throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
      }
      return c.json(answer(c, renewed), 200);
    })
    .openapi(routes.logout, async (c) => {
      // Whatever this browser or client holds: its refresh token's family and its access token's.
      const refresh = refreshCookie(c);
      const families = [refresh ? await tokens.familyOf(refresh) : null];
      const access = tokenFrom(c.req.header('authorization'), getCookie(c, SESSION_COOKIE));
      const signedIn = access ? await tokens.authenticate(access) : null;
      families.push(signedIn?.familyId ?? null);
      for (const family of new Set(families)) if (family) await tokens.revokeFamily(family);
      clearAuthCookies(c);
      return c.json({ ok: true }, 200);
    })
    .openapi(routes.password, async (c) => {
      const { currentPassword, newPassword } = c.req.valid('json');
      const user = c.get('user');
      refuseWeak(newPassword, user.email);
      const pair = pairKey('password-change', user.id);
      guesses.check(pair);
      const row = await db.user.findUnique({ where: { id: user.id } });
      if (!row || !(await verifyPassword(row.passwordHash, currentPassword))) {
        guesses.fail(pair);
        throw new AppError('UNAUTHORIZED', 'The current password is not right.');
      }
      guesses.succeed(pair);
      await db.user.update({
        where: { id: user.id },
        data: { passwordHash: await hashPassword(newPassword) },
      });
      await tokens.revokeOthers(user.id, c.get('signInId'));
      return c.json({ ok: true }, 200);
    })
    .openapi(routes.options, async (c) =>
      c.json({ signupEnabled: config.SIGNUP_ENABLED, demo: await demo() }, 200),
    )
    .openapi(routes.me, async (c) => {
      // A short-lived token of the same sign-in, for socket.io; it ends when the sign-in does.
      const user = c.get('user');
      const token = await tokens.accessTokenFor(user, c.get('signInId'));
      return c.json({ user, token }, 200);
    });
}

/** Prisma's "unique constraint failed" (here: the address already has an account). */
const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';

// A hash of a random string nobody knows, made once; used only to equalise timing.
let unknownHash: Promise<string> | undefined;
const unknownUserHash = () => (unknownHash ??= hashPassword(randomUUID()));

/** The demo credentials, only while the embedded default demo user exists with them. */
type DemoHint = { email: string; password: string } | null;
async function demoHint(deps: ApiDeps): Promise<DemoHint> {
  const demo = await deps.db.user.findUnique({ where: { email: DEMO_USER.email } });
  if (!demo || !(await verifyPassword(demo.passwordHash, DEMO_USER.password))) return null;
  return { email: DEMO_USER.email, password: DEMO_USER.password };
}
