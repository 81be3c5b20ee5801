import { goto } from '$app/navigation';
import { hc, type ClientResponse, type InferRequestType } from 'hono/client';
import type { AppType } from '#api/app.ts';
import type { SessionView } from '#api/routes/sessions.ts';
import { withFieldLabels } from './field-labels';
import { loginFor } from './safe-next';

export type { SessionView };

/** The JSON body an endpoint of the typed client takes, as the API declares it. */
export type JsonOf<Endpoint> = InferRequestType<Endpoint> extends { json: infer J } ? J : never;

/**
 * The one module that talks to the API. Types come from the API itself (Hono RPC), so a change
 * there shows up here at type-check time. The API is reached on the same origin (/api), which
 * the web server proxies.
 */
export const client = hc<AppType>(
  typeof location === 'undefined' ? 'http://localhost' : location.origin,
  {
    init: { credentials: 'same-origin' },
  },
);
export const api = client.api;

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The body type of the successful (2xx) responses among an endpoint's possible responses. */
type Success<R> =
  R extends ClientResponse<infer T, infer S, infer _F> ? (S extends 200 | 201 ? T : never) : never;

/** Pages anyone may see; a 401 there is an answer to show, not a reason to leave. */
const PUBLIC_PAGES = ['/login', '/signup'];

/**
 * The one place a lost sign-in is handled: any 401 from the API (other than a wrong password on
 * the sign-in routes) sends the person to the sign-in page, once.
 */
function signedOut(response: Response) {
  if (typeof location === 'undefined' || PUBLIC_PAGES.includes(location.pathname)) return;
  if (new URL(response.url, location.origin).pathname.startsWith('/api/auth/')) return;
  // Back to this page once signed in again.
  void goto(loginFor(`${location.pathname}${location.search}`));
}

/** Reads a response, turning the API's error body into an ApiError a page can show. */
export async function read<R extends ClientResponse<unknown, number, string>>(
  response: R,
): Promise<Success<R>> {
  if (response.ok) return (await response.json()) as Success<R>;
  if (response.status === 401) signedOut(response);
  let body: Partial<ApiErrorBody> = {};
  try {
    body = (await response.json()) as Partial<ApiErrorBody>;
  } catch {
    // Not JSON: a proxy or network error page.
  }
  throw new ApiError(
    response.status,
    body.error?.code ?? 'INTERNAL',
    body.error?.message !== undefined
      ? withFieldLabels(body.error.message)
      : `The studio did not answer (HTTP ${response.status}). Try again.`,
  );
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'Cannot reach the studio. Check that it is running.';
  return error instanceof Error ? error.message : String(error);
}
