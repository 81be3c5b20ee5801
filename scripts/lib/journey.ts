import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from '../../api/app';
import type { SessionState } from '../../core/session';
import type { Stage } from '../../core/stages';

/**
 * One person's whole journey over the HTTP API, as the studio's pages make it: create a session,
 * approve images with a video prompt, approve the clips, compose with music, wait for the ad. The
 * fault and load scripts drive sessions with it. Every call outlives a stack that is restarting
 * under it: refused connections and 503s are tried again until a deadline, and an action whose
 * answer was lost is recognised by the stage having moved on.
 */
export interface JourneyHooks {
  /** Every state read, with the time the read took (ms). */
  onState?: (state: SessionState, readMs: number) => void;
  /** A failed session was retried (as its owner would, with the retry button). */
  onRetry?: (state: SessionState) => void;
  /** A read the API answered with an error (the page would show it and read again). */
  onReadError?: (error: unknown) => void;
}

const TRANSIENT = new Set([502, 503, 504]);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A fetch that outlives a restarting or busy stack: no connection and 502-504 are tried again,
 * after the answer's Retry-After when it gives one (a person would wait that long). Every answer
 * of 500 or more is counted in `serverErrors`, by status: what a person would have seen as a fault.
 */
function patientFetch(patienceMs: number, serverErrors: Map<number, number>): typeof fetch {
  return async (input, init) => {
    const deadline = Date.now() + patienceMs;
    for (;;) {
      let wait = 500;
      try {
        const response = await fetch(input, { ...init, signal: AbortSignal.timeout(30_000) });
        if (response.status >= 500) {
          serverErrors.set(response.status, (serverErrors.get(response.status) ?? 0) + 1);
        }
        if (!TRANSIENT.has(response.status) || Date.now() > deadline) return response;
        const retryAfter = Number(response.headers.get('retry-after'));
        if (retryAfter > 0) wait = Math.min(retryAfter * 1000, 30_000);
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await pause(wait);
    }
  };
}

/** The body type of an endpoint's successful (2xx) answers, as the API declares them. */
type Success<R> =
  R extends ClientResponse<infer T, infer S, infer _F> ? (S extends 200 | 201 ? T : never) : never;

/** The body of a successful answer, or the API's error (`{ error: { code, message } }`) thrown. */
async function answer<R extends ClientResponse<unknown, number, string>>(
  response: R,
): Promise<Success<R>> {
  const text = await response.text();
  if (response.ok) return JSON.parse(text) as Success<R>;
  const { code, message } =
    (text.startsWith('{')
      ? (JSON.parse(text) as { error?: { code?: string; message?: string } })
      : {}
    ).error ?? {};
  throw new ApiError(
    response.status,
    code ?? 'UNKNOWN',
    `${response.url}: ${response.status} ${code ?? ''} ${message ?? text.slice(0, 200)}`,
  );
}

/**
 * The API's own typed client (Hono RPC over `AppType`, as the web uses it), signed in with a
 * bearer token, on a fetch that waits out restarts. `apiUrl` is the API's base (`…/api`).
 */
export function apiClient(apiUrl: string, options: { deadlineMs?: number } = {}) {
  let token = '';
  const serverErrors = new Map<number, number>();
  const client = hc<AppType>(new URL(apiUrl).origin, {
    fetch: patientFetch(options.deadlineMs ?? 120_000, serverErrors),
    headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
  }).api;

  return {
    /** Every route of the API, typed; read answers with `answer`. */
    api: client,
    answer,
    serverErrors,
    async signIn(email: string, password: string) {
      token = (await answer(await client.auth.login.$post({ json: { email, password } }))).token;
      return token;
    },
    get token() {
      return token;
    },
    async read(id: string) {
      const started = performance.now();
      const state = await answer(await client.sessions[':id'].$get({ param: { id } }));
      return { state, ms: performance.now() - started };
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export async function createSession(api: ApiClient, prompt: string, imageCount = 4) {
  const state = await answer(
    await api.api.sessions.$post({
      header: {},
      json: { productPrompt: prompt, imageCount, budgetUsd: 5, provider: 'local' },
    }),
  );
  return state.sessionId;
}

/** Reads the session until `reached` holds; a failed session is retried as its owner would. */
export async function waitFor(
  api: ApiClient,
  id: string,
  reached: (state: SessionState) => boolean,
  hooks: JourneyHooks = {},
  timeoutMs = 900_000,
): Promise<SessionState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let read: Awaited<ReturnType<ApiClient['read']>>;
    try {
      read = await api.read(id);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status < 500 || Date.now() > deadline) throw error;
      hooks.onReadError?.(error);
      await pause(400);
      continue;
    }
    const { state, ms } = read;
    hooks.onState?.(state, ms);
    if (reached(state)) return state;
    if (state.stage === 'failed') {
      hooks.onRetry?.(state);
      const session = api.api.sessions[':id'];
      await act(
        api,
        id,
        () => session.retry.$post({ param: { id }, json: {} }),
        (s) => s.stage !== 'failed',
      );
    } else if (state.stage === 'cancelled' || state.stage === 'expired') {
      throw new Error(`session ${id} ended as ${state.stage}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`session ${id} stayed at ${state.stage} for ${timeoutMs / 1000} s`);
    }
    await pause(400);
  }
}

/**
 * An action; if its answer is lost (a restart in between) and trying again is refused because
 * the session has moved on, that is the answer.
 */
async function act<R extends ClientResponse<unknown, number, string>>(
  api: ApiClient,
  id: string,
  send: () => Promise<R>,
  done: (state: SessionState) => boolean,
) {
  try {
    return await answer(await send());
  } catch (error) {
    const { state } = await api.read(id);
    if (done(state)) return state;
    throw error;
  }
}

const after = (stages: Stage[]) => (state: SessionState) => !stages.includes(state.stage);

const WAITING_FOR_A_PERSON: Stage[] = [
  'awaiting_image_approval',
  'awaiting_clip_approval',
  'awaiting_composition',
  'completed',
];

/**
 * From wherever the session is to its finished ad: each time it waits for a person, the person's
 * next action (two images with a video prompt, every clip, a composition with music).
 */
export async function completeJourney(api: ApiClient, id: string, hooks: JourneyHooks = {}) {
  for (;;) {
    const state = await waitFor(api, id, (s) => WAITING_FOR_A_PERSON.includes(s.stage), hooks);
    const session = api.api.sessions[':id'];
    const param = { id };
    switch (state.stage) {
      case 'awaiting_image_approval':
        await act(
          api,
          id,
          () =>
            session.images.approve.$post({
              param,
              json: {
                imageIds: state.images.slice(0, 2).map((image) => image.id),
                videoPrompt: 'slow camera moves, soft light',
              },
            }),
          after(['awaiting_image_approval']),
        );
        break;
      case 'awaiting_clip_approval':
        await act(
          api,
          id,
          () =>
            session.clips.approve.$post({
              param,
              json: { clipIds: state.clips.map((clip) => clip.id) },
            }),
          after(['awaiting_clip_approval']),
        );
        break;
      case 'awaiting_composition':
        await act(
          api,
          id,
          () =>
            session.compose.$post({
              param,
              json: {
                productName: 'Aero Pink',
                callToAction: 'Shop now',
                colors: { primary: '#1d1d1f', accent: '#ff5fa2', text: '#ffffff' },
                music: { enabled: true, genre: 'upbeat' },
              },
            }),
          after(['awaiting_composition']),
        );
        break;
      default:
        return state;
    }
  }
}
