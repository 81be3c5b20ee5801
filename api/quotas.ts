import { AppError } from '../core/errors';
import { TERMINAL_STAGES } from '../core/stages';
import type { ApiDeps } from './deps';

/**
 * Per-user quotas on what every user shares: sessions open at once, money spent in any 24 hours
 * across sessions, and session actions a minute. Without them one signed-up user could open
 * sessions without end and regenerate, compose and preview as fast as a script can ask, slowing
 * the studio for everyone. A deployment sets each (QUOTA_* in api/config.ts; 0 turns one off).
 * Refusals are 429 RATE_LIMITED saying what to do, with Retry-After where waiting helps, and
 * `allowance()` tells a person what is left (GET /api/quota, shown by the UI).
 *
 * Open sessions and spend are read from the database, so every API instance agrees; actions are
 * counted in this process's memory per minute, like the other rate limits.
 */

/** Stages after which a session holds nothing: it does not count as open. */
const CLOSED_STAGES = ['completed', ...TERMINAL_STAGES];
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Actions never counted: stopping a session must always be possible. */
const UNCOUNTED_ACTIONS = new Set(['cancel']);
/**
 * Actions (workflow update names, and 'preview') that cannot spend money, so the daily spend
 * does not hold them back: choosing, ordering, stills and other formats of a finished ad.
 */
const FREE_ACTIONS = new Set([
  'cancel',
  'preview',
  'keepVariant',
  'reorderClips',
  'approveClips',
  'exportAspect',
]);

export interface Usage {
  limit: number | null;
  used: number;
  remaining: number | null;
  /** When waiting gives some back: seconds until it does. */
  resetsInSeconds: number | null;
}

export interface Allowance {
  openSessions: Usage;
  dailySpendUsd: Usage;
  actionsPerMinute: Usage;
}

const usage = (limit: number, used: number, resetsInSeconds: number | null = null): Usage => ({
  limit: limit || null,
  used,
  remaining: limit ? Math.max(0, round(limit - used)) : null,
  resetsInSeconds,
});
const round = (usd: number) => Math.round(usd * 10_000) / 10_000;
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function createQuotas(deps: Pick<ApiDeps, 'db' | 'config'>, now: () => number = Date.now) {
  const { db, config } = deps;
  const actions = new Map<string, { start: number; count: number }>();

  const openSessions = (userId: string) =>
    db.session.count({ where: { userId, stage: { notIn: CLOSED_STAGES } } });

  /** Dollars spent in the last 24 hours, and when enough of it ages out to be under the limit. */
  async function spend(userId: string) {
    const since = new Date(now() - DAY_MS);
    const costs = await db.generationCost.findMany({
      where: { session: { userId }, createdAt: { gte: since }, costUsd: { gt: 0 } },
      select: { costUsd: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    });
    const total = round(costs.reduce((sum, c) => sum + Number(c.costUsd), 0));
    const limit = config.QUOTA_DAILY_SPEND_USD;
    let left = total;
    let freedAt: number | null = null;
    if (limit && total >= limit) {
      for (const cost of costs) {
        left -= Number(cost.costUsd);
        if (left < limit) {
          freedAt = cost.createdAt.getTime() + DAY_MS;
          break;
        }
      }
    }
    return { total, resetsInSeconds: freedAt === null ? null : seconds(freedAt - now()) };
  }

  const refuseSpend = (spent: { total: number; resetsInSeconds: number | null }): never => {
    const wait = spent.resetsInSeconds ?? seconds(DAY_MS);
    throw new AppError(
      'RATE_LIMITED',
      `You have spent $${spent.total.toFixed(2)} in the last 24 hours, this studio's daily limit of $${config.QUOTA_DAILY_SPEND_USD.toFixed(2)}. More can be spent in ${describeWait(wait)}.`,
      {
        quota: 'daily_spend_usd',
        limit: config.QUOTA_DAILY_SPEND_USD,
        used: spent.total,
        retryAfterSeconds: wait,
      },
    );
  };

  const window = (userId: string) => {
    const at = now();
    let current = actions.get(userId);
    if (!current || at - current.start >= MINUTE_MS) {
      current = { start: at, count: 0 };
      actions.set(userId, current);
      if (actions.size > 10_000) {
        for (const [key, w] of actions) if (at - w.start >= MINUTE_MS) actions.delete(key);
      }
    }
    return { current, resetsInSeconds: seconds(current.start + MINUTE_MS - at) };
  };

  return {
    /**
     * Admits a session whose row was just created, or removes the row and refuses. Judged after
     * the insert, by the session's place among the user's open ones (oldest first), so two starts
     * at once on two API instances cannot both take the last place.
     */
    async admitSession(userId: string, sessionId: string) {
      try {
        const limit = config.QUOTA_OPEN_SESSIONS;
        if (limit) {
          const mine = await db.session.findUniqueOrThrow({
            where: { id: sessionId },
            select: { createdAt: true },
          });
          const ahead = await db.session.count({
            where: {
              userId,
              id: { not: sessionId },
              stage: { notIn: CLOSED_STAGES },
              OR: [
                { createdAt: { lt: mine.createdAt } },
                { createdAt: mine.createdAt, id: { lt: sessionId } },
              ],
            },
          });
          if (ahead >= limit) {
            throw new AppError(
              'RATE_LIMITED',
              `You have ${ahead} open sessions, the most this studio allows at once. Finish or cancel one to start another.`,
              { quota: 'open_sessions', limit, used: ahead },
            );
          }
        }
        if (config.QUOTA_DAILY_SPEND_USD) {
          const spent = await spend(userId);
          if (spent.total >= config.QUOTA_DAILY_SPEND_USD) refuseSpend(spent);
        }
      } catch (error) {
        await db.session.delete({ where: { id: sessionId } }).catch(() => undefined);
        throw error;
      }
    },

    /**
     * Counts one action on a session (named by its workflow update, or 'preview'); refuses past
     * the minute's allowance, and refuses what could spend once the day's spend is used up.
     */
    async countAction(userId: string, action: string) {
      if (UNCOUNTED_ACTIONS.has(action)) return;
      const limit = config.QUOTA_ACTIONS_PER_MINUTE;
      if (limit) {
        const { current, resetsInSeconds } = window(userId);
        if (current.count >= limit) {
          throw new AppError(
            'RATE_LIMITED',
            `You have taken ${limit} actions in the last minute, the most this studio allows. Try again in ${describeWait(resetsInSeconds)}.`,
            {
              quota: 'actions_per_minute',
              limit,
              used: current.count,
              retryAfterSeconds: resetsInSeconds,
            },
          );
        }
        current.count++;
      }
      if (config.QUOTA_DAILY_SPEND_USD && !FREE_ACTIONS.has(action)) {
        const spent = await spend(userId);
        if (spent.total >= config.QUOTA_DAILY_SPEND_USD) refuseSpend(spent);
      }
    },

    /** What the user has used and has left of each quota. */
    async allowance(userId: string): Promise<Allowance> {
      const [open, spent] = await Promise.all([openSessions(userId), spend(userId)]);
      const minute = actions.get(userId);
      const fresh = !minute || now() - minute.start >= MINUTE_MS;
      return {
        openSessions: usage(config.QUOTA_OPEN_SESSIONS, open),
        dailySpendUsd: usage(config.QUOTA_DAILY_SPEND_USD, spent.total, spent.resetsInSeconds),
        actionsPerMinute: usage(
          config.QUOTA_ACTIONS_PER_MINUTE,
          fresh ? 0 : minute.count,
          fresh ? null : seconds(minute.start + MINUTE_MS - now()),
        ),
      };
    },
  };
}

export type Quotas = ReturnType<typeof createQuotas>;

/** "45 s", "12 min", "3 h 20 min": a wait in words. */
export function describeWait(totalSeconds: number): string {
  if (totalSeconds < 90) return `${totalSeconds} s`;
  const minutes = Math.ceil(totalSeconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** One set of quotas per app (its routes share the counts), made on first use. */
const perApp = new WeakMap<object, Quotas>();
export function quotasOf(deps: Pick<ApiDeps, 'db' | 'config'>): Quotas {
  let quotas = perApp.get(deps);
  if (!quotas) {
    quotas = createQuotas(deps);
    perApp.set(deps, quotas);
  }
  return quotas;
}
