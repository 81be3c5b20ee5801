import { AppError } from '../core/errors';

/**
 * Slows password guessing without handing an attacker a way to lock the owner out. Failures are
 * counted per pair of client address and account: a few are free, then each further failure
 * makes that pair wait twice as long as the last (5 s, 10 s, 20 s, ... up to 15 minutes), and
 * while it waits even the right password is refused, so the guesser learns nothing. The owner,
 * signing in from their own address, is not in the guesser's pair and never waits for them.
 * A success clears the pair. Kept in this process's memory, like the other limits.
 */
export interface ThrottleOptions {
  freeFailures?: number;
  firstDelayMs?: number;
  longestDelayMs?: number;
  /** A pair that has not failed for this long starts over. */
  forgetAfterMs?: number;
  now?: () => number;
}

/** Memory bound: pairs kept at most. */
const MAX_PAIRS = 100_000;

interface Pair {
  failures: number;
  lastFailure: number;
  /** No attempt before this time (epoch ms). */
  until: number;
}

export function createSignInThrottle(options: ThrottleOptions = {}) {
  const free = options.freeFailures ?? 3;
  const first = options.firstDelayMs ?? 5_000;
  const longest = options.longestDelayMs ?? 15 * 60_000;
  const forget = options.forgetAfterMs ?? 24 * 3_600_000;
  const now = options.now ?? Date.now;
  const pairs = new Map<string, Pair>();

  const current = (key: string, at: number) => {
    const pair = pairs.get(key);
    if (pair && at - pair.lastFailure >= forget) {
      pairs.delete(key);
      return undefined;
    }
    return pair;
  };

  return {
    /** Throws RATE_LIMITED, with the seconds to wait, while the pair must wait. */
    check(key: string) {
      const at = now();
      const pair = current(key, at);
      if (!pair || pair.until <= at) return;
      const retryAfter = Math.max(1, Math.ceil((pair.until - at) / 1000));
      throw new AppError(
        'RATE_LIMITED',
        `Too many wrong passwords. Try again in ${retryAfter} s.`,
        { retryAfterSeconds: retryAfter },
      );
    },
    /** Counts a wrong password; past the free ones, the pair waits longer each time. */
    fail(key: string) {
      const at = now();
      const pair = current(key, at) ?? { failures: 0, lastFailure: at, until: 0 };
      pair.failures++;
      pair.lastFailure = at;
      const over = pair.failures - free;
      if (over > 0) pair.until = at + Math.min(longest, first * 2 ** Math.min(over - 1, 30));
      pairs.set(key, pair);
      if (pairs.size > MAX_PAIRS) {
        for (const [k, p] of pairs) if (at - p.lastFailure >= forget) pairs.delete(k);
        // Still too many: the oldest pairs go first (a Map keeps insertion order).
        for (const k of pairs.keys()) {
          if (pairs.size <= MAX_PAIRS) break;
          pairs.delete(k);
        }
      }
    },
    succeed(key: string) {
      pairs.delete(key);
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;

/** The throttle's key for an address trying an account. */
export const pairKey = (address: string, account: string) => `${address}\n${account}`;
