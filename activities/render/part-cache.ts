import type { Logger } from '../../core/log';
import { assetKey } from '../../storage';
import type { Storage } from '../../storage';
import type { PartCache } from './parts-render';

/**
 * The session's encoded parts in storage, beside its finished ads: one object per part signature.
 * The cache only saves work, so its failures are warnings: a part that cannot be read is encoded
 * again, and one that cannot be stored is encoded again next time.
 */
/** Whether a storage key is one of these parts (a cache beside the finished ads, not an asset). */
export function isPartKey(key: string): boolean {
  return /^sessions\/[A-Za-z0-9_-]+\/final\/part-[0-9a-f]{32}\.ts$/.test(key);
}

export function storagePartCache(storage: Storage, sessionId: string, log: Logger): PartCache {
  // 128 bits of the signature: a collision is as unlikely as one of the whole hash in practice.
  const keyOf = (signature: string) =>
    assetKey(sessionId, 'final', `part-${signature.slice(0, 32)}`, 'ts');
  return {
    async fetch(signature, path) {
      const key = keyOf(signature);
      try {
        if (!(await storage.head(key))) return false;
        await storage.getToFile(key, path);
        return true;
      } catch (error) {
        log.warn('could not read a cached part; encoding it again', { key, error });
        return false;
      }
    },
    async store(signature, path) {
      const key = keyOf(signature);
      try {
        await storage.putFile(key, path, 'video/mp2t');
      } catch (error) {
        log.warn('could not store an encoded part', { key, error });
      }
    },
  };
}
