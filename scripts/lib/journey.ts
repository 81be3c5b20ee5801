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

export function apiClient(baseUrl: string, options: { deadlineMs?: number } = {}) {
  const patience = options.deadlineMs ?? 120_000;
  let token = '';
  /** Every answer of 500 or more, by status: what a person would have seen as a fault. */
  const serverErrors = new Map<number, number>();

  /** One request; transient failures (no connection, 502-504) are tried again for a while. */
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const deadline = Date.now() + patience;
    for (;;) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await pause(500);
        continue;
      }
      const text = await response.text();
      const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (response.ok) return json as T;
      if (response.status >= 500) {
        serverErrors.set(response.status, (serverErrors.get(response.status) ?? 0) + 1);
      }
      if (TRANSIENT.has(response.status) && Date.now() < deadline) {
        // A busy studio says when to come back (Retry-After); a person would wait that long.
        const retryAfter = Number(response.headers.get('retry-after'));
        await pause(retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : 500);
        continue;
      }
      // The API's errors are `{ error: { code, message } }` (api/errors.ts).
      const { code, message } = (json.error ?? {}) as { code?: string; message?: string };
      throw new ApiError(
        response.status,
        code ?? 'UNKNOWN',
        `${method} ${path}: ${response.status} ${code ?? ''} ${message ?? text.slice(0, 200)}`,
      );
    }
  }

  return {
    call,
    serverErrors,
    async signIn(email: string, password: string) {
      token = (await call<{ token: string }>('POST', '/auth/login', { email, password })).token;
      return token;
    },
    get token() {
      return token;
    },
    async read(id: string) {
      const started = performance.now();
      const state = await call<SessionState>('GET', `/sessions/${id}`);
      return { state, ms: performance.now() - started };
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export async function createSession(api: ApiClient, prompt: string, imageCount = 4) {
  const state = await api.call<SessionState>('POST', '/sessions', {
    productPrompt: prompt,
    imageCount,
    budgetUsd: 5,
    provider: 'local',
  });
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
      await act(api, id, 'retry', {}, (s) => s.stage !== 'failed');
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
async function act(
  api: ApiClient,
  id: string,
  path: string,
  body: unknown,
  done: (state: SessionState) => boolean,
) {
  try {
    return await api.call<SessionState>('POST', `/sessions/${id}/${path}`, body);
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
    switch (state.stage) {
      case 'awaiting_image_approval':
        await act(
          api,
          id,
          'images/approve',
          {
            imageIds: state.images.slice(0, 2).map((image) => image.id),
            videoPrompt: 'slow camera moves, soft light',
          },
          after(['awaiting_image_approval']),
        );
        break;
      case 'awaiting_clip_approval':
        await act(
          api,
          id,
          'clips/approve',
          { clipIds: state.clips.map((clip) => clip.id) },
          after(['awaiting_clip_approval']),
        );
        break;
      case 'awaiting_composition':
        await act(
          api,
          id,
          'compose',
          {
            productName: 'Aero Pink',
            callToAction: 'Shop now',
            colors: { primary: '#1d1d1f', accent: '#ff5fa2', text: '#ffffff' },
            music: { enabled: true, genre: 'upbeat' },
          },
          after(['awaiting_composition']),
        );
        break;
      default:
        return state;
    }
  }
}
