import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './deps';
import { validationHook } from './validation';

/**
 * Every router of the API, made one way: typed by the API's environment, and answering a request
 * its schemas refuse with the API's own error body (VALIDATION_FAILED, the first problem named).
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

/** How a signed-in client proves it, as the OpenAPI document names it on each route. */
export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  cookie: { type: 'apiKey', in: 'cookie', name: 'studio_session' },
} as const;

/** A route for signed-in users: the access token as a bearer token or in its cookie. */
export const SIGNED_IN: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];
