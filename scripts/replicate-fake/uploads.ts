import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `POST /v1/files`: files the client uploads (its default strategy for Buffer and Blob inputs)
 * and then passes to a model as `{apiBase}/files/{id}`. Models on this server read them from
 * disk, as Replicate's runners do, instead of fetching them with a token.
 */

const LIFETIME_MS = 24 * 3600 * 1000;

export interface Upload {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  metadata: unknown;
  createdAt: Date;
  path: string;
}

export class UploadStore {
  private readonly byId = new Map<string, Upload>();

  constructor(
    private readonly dir: string,
    private readonly apiBase: string,
  ) {}

  async create(
    bytes: Buffer,
    name: string,
    contentType: string,
    metadata: unknown,
  ): Promise<Upload> {
    const id = randomBytes(16).toString('hex');
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, id);
    await writeFile(path, bytes);
    const upload: Upload = {
      id,
      name,
      contentType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      metadata,
      createdAt: new Date(),
      path,
    };
    this.byId.set(id, upload);
    return upload;
  }

  get(id: string): Upload | undefined {
    return this.byId.get(id);
  }

  async delete(id: string): Promise<boolean> {
    const upload = this.byId.get(id);
    if (!upload) return false;
    this.byId.delete(id);
    await rm(upload.path, { force: true });
    return true;
  }

  /** The local path behind `{apiBase}/files/{id}` (or `.../download`), if it is one of ours. */
  pathForUrl(url: string): string | undefined {
    const prefix = `${this.apiBase}/files/`;
    if (!url.startsWith(prefix)) return undefined;
    const id = url.slice(prefix.length).replace(/\/download$/, '');
    return this.byId.get(id)?.path;
  }

  toJson(u: Upload): Record<string, unknown> {
    return {
      id: u.id,
      name: u.name,
      content_type: u.contentType,
      size: u.size,
      etag: u.sha256.slice(0, 32),
      checksums: { sha256: u.sha256 },
      metadata: u.metadata,
      created_at: u.createdAt.toISOString(),
      expires_at: new Date(u.createdAt.getTime() + LIFETIME_MS).toISOString(),
      urls: { get: `${this.apiBase}/files/${u.id}` },
    };
  }
}
