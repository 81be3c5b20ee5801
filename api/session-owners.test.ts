import { describe, expect, it } from 'vitest';
import { createOwnerCache } from './session-owners';

/** Ownership answers come from memory: one lookup per session, a short memory for "missing". */
describe('session owner cache', () => {
  it('looks a session up once, however often and however concurrently it is asked', async () => {
    let lookups = 0;
    const cache = createOwnerCache({
      lookup: async (id) => {
        lookups++;
        await Promise.resolve();
        return id === 'session-a' ? 'user-1' : null;
      },
    });
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.ownerOf('session-a')));
    expect(new Set(answers)).toEqual(new Set(['user-1']));
    expect(await cache.ownerOf('session-a')).toBe('user-1');
    expect(lookups).toBe(1);
  });

  it('forgets a missing session after a while, and the least recently used first', async () => {
    let now = 0;
    const exists = new Set<string>();
    let lookups = 0;
    const cache = createOwnerCache({
      lookup: (id) => {
        lookups++;
        return Promise.resolve(exists.has(id) ? 'user-1' : null);
      },
      missingTtlMs: 1000,
      maxEntries: 2,
      now: () => now,
    });
    expect(await cache.ownerOf('session-new')).toBeNull();
    exists.add('session-new');
    expect(await cache.ownerOf('session-new')).toBeNull();
    now += 1000;
    expect(await cache.ownerOf('session-new')).toBe('user-1');
    expect(lookups).toBe(2);

    exists.add('session-b');
    exists.add('session-c');
    await cache.ownerOf('session-b');
    await cache.ownerOf('session-new');
    await cache.ownerOf('session-c');
    expect(cache.size).toBe(2);
    const before = lookups;
    await cache.ownerOf('session-new');
    expect(lookups).toBe(before);
    await cache.ownerOf('session-b');
    expect(lookups).toBe(before + 1);
  });
});
