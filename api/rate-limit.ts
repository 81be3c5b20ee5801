import { AppError } from '../core/errors';

/**
 * A fixed-window counter kept in this process's memory. Each API instance limits on its own,
 * which is enough to slow password guessing and runaway generation. Callers choose the keys:
 * the client's address (see client-address.ts), the account, the user.
 */
export function createLimiter(options: { limit: number; windowMs: number }) {
  const windows = new Map<string, { start: number; count: number }>();

  const current = (key: string, now: number) => {
    const window = windows.get(key);
    return window && now - window.start < options.windowMs ? window : undefined;
  };
  const refuse = (start: number, now: number): never => {
    const retryAfter = Math.max(1, Math.ceil((start + options.windowMs - now) / 1000));
    throw new AppError('RATE_LIMITED', `Too many attempts. Try again in ${retryAfter} s.`, {
      retryAfterSeconds: retryAfter,
    });
  };

  return {
    /** Throws RATE_LIMITED when the key has used up its window, without counting. */
    check(key: string) {
      const now = Date.now();
      const window = current(key, now);
      if (window && window.count >= options.limit) refuse(window.start, now);
    },
    /** Counts one attempt; throws RATE_LIMITED when it is one too many. */
    hit(key: string) {
      const now = Date.now();
      const window = current(key, now);
      if (!window) {
        windows.set(key, { start: now, count: 1 });
        if (windows.size > 10_000) {
          for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
        }
        return;
      }
      if (window.count >= options.limit) refuse(window.start, now);
      window.count++;
    },
  };
}

export type Limiter = ReturnType<typeof createLimiter>;
