import { randomUUID } from 'node:crypto';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../core/errors';
import { SESSION_COOKIE, hashPassword, issueToken, requireUser, verifyPassword } from '../auth';
import type { ApiDeps, AppEnv } from '../deps';
import { rateLimit } from '../rate-limit';
import { validationHook } from '../validation';
import { UserSchema, errorResponse } from './schemas';

const LoginSchema = z
  .object({
    email: z.email('Enter a valid email address.').max(320),
    password: z.string().min(1, 'Enter your password.').max(1024),
  })
  .openapi('Login');

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  summary: 'Sign in with email and password',
  request: { body: { content: { 'application/json': { schema: LoginSchema } }, required: true } },
  responses: {
    200: {
      content: {
        'application/json': { schema: z.object({ user: UserSchema, token: z.string() }) },
      },
      description: 'Signed in; the session cookie is set and the token returned for socket.io',
    },
    400: errorResponse('Invalid input'),
    401: errorResponse('Wrong email or password'),
    429: errorResponse('Too many attempts'),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  summary: 'Sign out',
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } },
      description: 'Signed out',
    },
  },
});

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  summary: 'The signed-in user',
  responses: {
    200: {
      content: {
        'application/json': { schema: z.object({ user: UserSchema, token: z.string() }) },
      },
      description: 'The user and a fresh token for socket.io',
    },
    401: errorResponse('Not signed in'),
  },
});

export function authRoutes(deps: ApiDeps) {
  const { config } = deps;
  const loginLimit = rateLimit({
    limit: config.LOGIN_RATE_LIMIT_PER_MINUTE,
    windowMs: 60_000,
    key: (ip) => `login:${ip}`,
  });
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: config.COOKIE_SECURE,
    path: '/',
    maxAge: config.JWT_TTL_HOURS * 3600,
  };

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('/auth/login', loginLimit);
  app.use('/me', requireUser(config.JWT_SECRET));
  return app
    .openapi(loginRoute, async (c) => {
      const { email, password } = c.req.valid('json');
      const found = await deps.db.user.findUnique({ where: { email: email.toLowerCase() } });
      // Verify against a real hash even for unknown emails, so timing does not reveal accounts.
      const ok = await verifyPassword(found?.passwordHash ?? (await unknownUserHash()), password);
      if (!found || !ok) throw new AppError('UNAUTHORIZED', 'Wrong email or password.');
      const user = { id: found.id, email: found.email, name: found.name };
      const token = await issueToken(user, config.JWT_SECRET, config.JWT_TTL_HOURS);
      setCookie(c, SESSION_COOKIE, token, cookieOptions);
      return c.json({ user, token }, 200);
    })
    .openapi(logoutRoute, (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true }, 200);
    })
    .openapi(meRoute, async (c) => {
      const user = c.get('user');
      const token = await issueToken(user, config.JWT_SECRET, config.JWT_TTL_HOURS);
      return c.json({ user, token }, 200);
    });
}

// A hash of a random string nobody knows, made once; used only to equalise timing.
let unknownHash: Promise<string> | undefined;
const unknownUserHash = () => (unknownHash ??= hashPassword(randomUUID()));
