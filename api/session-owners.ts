/**
 * Who owns a session, answered from memory: a socket's join asks for every room it enters, and
 * asking the database each time let one socket's flood of joins fill the pool every request
 * shares. A session never changes owner, so an answer is kept until it falls out of the cache
 * (least recently used first); "no such session" is kept only briefly, since one may be created.
 * Lookups of one id already under way are shared.
 */
export interface OwnerCacheOptions {
  lookup: (sessionId: string) => Promise<string | null>;
  maxEntries?: number;
  missingTtlMs?: number;
  now?: () => number;
}

export function createOwnerCache(options: OwnerCacheOptions) {
  const max = options.maxEntries ?? 50_000;
  const missingTtl = options.missingTtlMs ?? 5_000;
  const now = options.now ?? Date.now;
  const known = new Map<string, { owner: string | null; at: number }>();
  const pending = new Map<string, Promise<string | null>>();

  const remember = (sessionId: string, owner: string | null) => {
    known.delete(sessionId);
    known.set(sessionId, { owner, at: now() });
    for (const oldest of known.keys()) {
      if (known.size <= max) break;
      known.delete(oldest);
    }
  };

  return {
    /** The owner's user id, or null for a session that does not exist. */
    ownerOf(sessionId: string): Promise<string | null> {
      const entry = known.get(sessionId);
      if (entry && (entry.owner !== null || now() - entry.at < missingTtl)) {
        // Most recently used goes to the end.
        known.delete(sessionId);
        known.set(sessionId, entry);
        return Promise.resolve(entry.owner);
      }
      const running = pending.get(sessionId);
      if (running) return running;
      const lookup = options.lookup(sessionId).then((owner) => {
        remember(sessionId, owner);
        return owner;
      });
      const shared = lookup.finally(() => pending.delete(sessionId));
      pending.set(sessionId, shared);
      return shared;
    },
    get size() {
      return known.size;
    },
  };
}

export type OwnerCache = ReturnType<typeof createOwnerCache>;
