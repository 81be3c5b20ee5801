import Replicate from 'replicate';

/**
 * The official client, given a `fetch` that fixes two of its measured pitfalls: its retry re-sends a POST after a network error (a create that
 * reached Replicate would be paid twice), and it retries a 429 at once, ignoring `Retry-After`.
 *
 * Our fetch never throws for a request that may have reached the server: it answers with a made-up
 * status the client does not retry, marked so the provider knows the outcome is unknown and
 * reconciles. A 429 is waited out here, honouring `Retry-After`, up to a limit.
 */

/** A status the client neither retries nor treats as success (it is < 500 and not 429). */
export const UNANSWERED_STATUS = 499;
export const OUTCOME_HEADER = 'x-studio-outcome';
export type Outcome = 'network' | 'rate-limited';
const THROTTLE_SLICE_MS = 5000;

export interface FetchHooks {
  /** Called at least every 5 s while a throttled request waits (activities heartbeat here). */
  onThrottled?: ((waitMs: number) => void) | undefined;
  /** The longest a single request may wait out 429s before giving up (RATE_LIMITED). */
  maxThrottleMs: number;
}

export function guardedFetch(base: typeof fetch, hooks: FetchHooks): typeof fetch {
  return async (url, init) => {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        // No HTTP cache between polls (a cached GET would never see the status change).
        response = await base(url, { ...init, cache: 'no-store' });
      } catch (error) {
        if (init?.signal?.aborted) throw error;
        return unanswered('network');
      }
      if (response.status !== 429) return response;
      const wait = retryAfterMs(response.headers.get('retry-after'), attempt);
      await response.body?.cancel();
      if (waited + wait > hooks.maxThrottleMs) return unanswered('rate-limited');
      // Waited in slices, so a long Retry-After still heartbeats the activity.
      for (let left = wait; left > 0; left -= THROTTLE_SLICE_MS) {
        hooks.onThrottled?.(left);
        await sleep(Math.min(left, THROTTLE_SLICE_MS), init?.signal ?? undefined);
      }
      waited += wait;
    }
  };
}

function unanswered(outcome: Outcome) {
  return new Response(JSON.stringify({ detail: `no answer (${outcome})` }), {
    status: UNANSWERED_STATUS,
    headers: { [OUTCOME_HEADER]: outcome, 'content-type': 'application/json' },
  });
}

/** `Retry-After` as seconds or an HTTP date; without one, 1, 2, 4... s up to 30 s. */
export function retryAfterMs(header: string | null, attempt: number, now = Date.now()): number {
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return Math.min(30_000, 1000 * 2 ** attempt);
}

/** Waits, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface ClientSettings {
  token: string;
  /** e.g. https://api.replicate.com/v1, or the local Replicate server's. */
  baseUrl: string;
  fetch?: typeof fetch | undefined;
}

export function createClient(settings: ClientSettings, hooks: FetchHooks): Replicate {
  return new Replicate({
    auth: settings.token,
    baseUrl: settings.baseUrl,
    fetch: guardedFetch(settings.fetch ?? globalThis.fetch, hooks),
    useFileOutput: false,
    userAgent: 'ad-studio/0.1',
  });
}
