/**
 * Seeded helpers shared by the local studio. Everything the local provider makes must be
 * reproducible from a seed, so nothing here touches Math.random or the clock.
 */

/** Stable 32-bit FNV-1a hash of a string; used to turn a prompt into a seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mulberry32: tiny, fast and good enough for picking styles and humanising drum hits. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks one element; the list must not be empty. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length) % items.length];
  if (item === undefined) throw new Error('pick() needs a non-empty list');
  return item;
}

/** Derives an independent seed for a sub-task (e.g. the style) so adding one draw elsewhere does not reshuffle it. */
export function subSeed(seed: number, label: string): number {
  return hashString(`${seed >>> 0}:${label}`);
}
