import { createReadStream } from 'node:fs';
import { access, copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { hashFile } from './hash';
import { signFileUrl, signingWindow } from './signing';
import { requireStorageKey, type ObjectInfo, type Storage } from './types';

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  json: 'application/json',
};

export function contentTypeOf(key: string): string {
  return CONTENT_TYPES[key.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/** Files in a folder (default data/storage), served by the API through signed URLs. */
export function createFsStorage(options: {
  root: string;
  signingSecret: string;
  /** Path prefix of the API's file route, e.g. "/api/files". */
  urlPrefix: string;
}): Storage {
  const root = resolve(options.root);
  const pathOf = (key: string) => {
    requireStorageKey(key);
    const full = resolve(root, key);
    if (!full.startsWith(root + sep)) throw new Error(`Storage key escapes the store: ${key}`);
    return full;
  };
  const head = async (key: string): Promise<ObjectInfo | null> => {
    try {
      const info = await stat(pathOf(key));
      return info.isFile() ? { bytes: info.size, contentType: contentTypeOf(key) } : null;
    } catch {
      return null;
    }
  };
  return {
    driver: 'fs',
    async putFile(key, localPath) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(localPath, target);
      return { key, ...(await hashFile(target)) };
    },
    async getToFile(key, localPath) {
      await mkdir(dirname(localPath), { recursive: true });
      await copyFile(pathOf(key), localPath);
    },
    async open(key) {
      const info = await head(key);
      return info ? { body: createReadStream(pathOf(key)), info } : null;
    },
    head,
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    signedUrl(key, { expiresInSeconds, downloadName = '' }) {
      if (!options.signingSecret) throw new Error('This process cannot sign file URLs');
      requireStorageKey(key);
      const { expiresAt } = signingWindow(expiresInSeconds);
      const sig = signFileUrl(options.signingSecret, key, expiresAt, downloadName);
      const query = new URLSearchParams({ exp: String(expiresAt), sig });
      if (downloadName) query.set('name', downloadName);
      const path = key.split('/').map(encodeURIComponent).join('/');
      return Promise.resolve(`${options.urlPrefix}/${path}?${query.toString()}`);
    },
    async check() {
      await mkdir(root, { recursive: true });
      // The probe is the store's own file, not a key anyone can ask for.
      const probe = join(root, '.ready-probe');
      await writeFile(probe, String(Date.now()));
      await access(probe);
      await rm(probe, { force: true });
    },
  };
}
