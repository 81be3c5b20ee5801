import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { requireUser } from './auth';
import type { ApiDeps, AppEnv } from './deps';
import { validationHook } from './validation';

/** How a signed-in client proves it, as the OpenAPI document names it. */
export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  cookie: { type: 'apiKey', in: 'cookie', name: 'studio_session' },
} as const;

/** The document's default: every route is for signed-in users, the access token as a bearer
 * token or in its cookie. */
export const SIGNED_IN: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];

/** A route anyone may call: the one way to opt out of signing in (OpenAPI's `security: []`). */
export const PUBLIC: Array<Record<string, string[]>> = [];

/** Whether a route declared itself public; any other route is for signed-in users. */
export const isPublic = (route: Pick<RouteConfig, 'security'>) => route.security?.length === 0;

/**
 * Every router of the API, made one way: typed by the API's environment, answering a request its
 * schemas refuse with the API's own error body (VALIDATION_FAILED, the first problem named), and
 * signing in on every route it serves unless the route's definition says `security: PUBLIC`. Auth
 * is read from the same field the OpenAPI document shows, so a new route cannot forget it.
 */
export function createRouter(deps: ApiDeps) {
  const router = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const signedIn = requireUser(deps);
  const openapi = router.openapi.bind(router);
  router.openapi = ((route: RouteConfig, ...rest: [never, never]) => {
    if (isPublic(route)) return openapi(route, ...rest);
    const own = route.middleware ? [route.middleware].flat() : [];
    return openapi({ ...route, middleware: [signedIn, ...own] }, ...rest);
  }) as typeof router.openapi;
  return router;
}
