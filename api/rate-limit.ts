import { createMiddleware } from 'hono/factory';
import { AppError } from '../core/errors';

/**
 * A fixed-window limiter kept in this process's memory. Each API instance limits on its own,
 * which is enough to slow password guessing and runaway generation.
 */
export function rateLimit(options: {
  limit: number;
  windowMs: number;
  key: (ip: string) => string;
}) {
  const windows = new Map<string, { start: number; count: number }>();
  return createMiddleware(async (c, next) => {
    const ip =
      c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ??
      (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
        ?.socket?.remoteAddress ??
      'unknown';
    const key = options.key(ip);
    const now = Date.now();
    const current = windows.get(key);
    if (!current || now - current.start >= options.windowMs) {
      windows.set(key, { start: now, count: 1 });
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
      }
    } else if (++current.count > options.limit) {
      const retryAfter = Math.ceil((current.start + options.windowMs - now) / 1000);
      c.header('Retry-After', String(retryAfter));
      throw new AppError('RATE_LIMITED', `Too many attempts. Try again in ${retryAfter} s.`);
    }
    await next();
  });
}
