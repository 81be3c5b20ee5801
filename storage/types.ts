import type { Readable } from 'node:stream';

export const ASSET_FOLDERS = {
  image: 'images',
  clip: 'clips',
  music: 'audio',
  voice: 'audio',
  final: 'final',
  upload: 'uploads',
} as const;
export type AssetKind = keyof typeof ASSET_FOLDERS;

/** `sessions/<sessionId>/{images,clips,audio,final,uploads}/<assetId>.<ext>` */
export function assetKey(sessionId: string, kind: AssetKind, assetId: string, ext: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(sessionId) || !/^[A-Za-z0-9-]+$/.test(assetId)) {
    throw new Error('Session and asset ids must be plain identifiers');
  }
  return `sessions/${sessionId}/${ASSET_FOLDERS[kind]}/${assetId}.${ext.replace(/^\./, '')}`;
}

/** `uploads/<userId>/<uploadId>.<ext>`: a user's product photo, before any session uses it. */
export function uploadKey(userId: string, uploadId: string, ext: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(userId) || !/^[A-Za-z0-9-]+$/.test(uploadId)) {
    throw new Error('User and upload ids must be plain identifiers');
  }
  return `uploads/${userId}/${uploadId}.${ext.replace(/^\./, '')}`;
}

/**
 * The only shapes a storage key may have: the two built above. Drivers refuse anything else, so a
 * key that arrives from outside (a stored row, a signed link, a request) can never name a path
 * such as `uploads/a/../../sessions/b/...`, whatever the driver does with it.
 */
const KEY_SHAPES = [
  /^sessions\/[A-Za-z0-9_-]+\/(images|clips|audio|final|uploads)\/[A-Za-z0-9-]+\.[a-z0-9]{1,8}$/,
  /^uploads\/[A-Za-z0-9-]+\/[A-Za-z0-9-]+\.[a-z0-9]{1,8}$/,
];

export function isStorageKey(key: string): boolean {
  return KEY_SHAPES.some((shape) => shape.test(key));
}

/** Throws unless the key has one of the known shapes. */
export function requireStorageKey(key: string): string {
  if (!isStorageKey(key)) throw new Error('Not a storage key of a known shape');
  return key;
}

export interface StoredObject {
  key: string;
  bytes: number;
  sha256: string;
}

export interface ObjectInfo {
  bytes: number;
  contentType: string;
}

export interface Storage {
  readonly driver: 'fs' | 's3';
  /** Stores a local file under key. */
  putFile(key: string, localPath: string, contentType: string): Promise<StoredObject>;
  /** Copies an object to a local file (render and clip generation work on local files). */
  getToFile(key: string, localPath: string): Promise<void>;
  /** Streams an object; null when it does not exist. */
  open(key: string): Promise<{ body: Readable; info: ObjectInfo } | null>;
  head(key: string): Promise<ObjectInfo | null>;
  delete(key: string): Promise<void>;
  /** A URL a browser can fetch for a limited time. */
  signedUrl(
    key: string,
    options: { expiresInSeconds: number; downloadName?: string },
  ): Promise<string>;
  /** Throws when the store cannot be reached (readiness). */
  check(): Promise<void>;
}
