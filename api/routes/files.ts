import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { AppError } from '../../core/errors';
import { isStorageKey } from '../../storage';
import { verifyFileUrl } from '../../storage/signing';
import type { ApiDeps } from '../deps';

/**
 * Serves stored files for the fs driver behind expiring signatures made by storage.signedUrl().
 * (With the s3 driver, signed URLs point at the bucket and this route is not used.)
 */
export function fileRoutes(deps: ApiDeps) {
  return new Hono().get('/files/*', async (c) => {
    const key = decodeURIComponent(c.req.path.replace(/^.*?\/files\//, ''));
    const exp = Number(c.req.query('exp'));
    const sig = c.req.query('sig') ?? '';
    const name = c.req.query('name') ?? '';
    // Only keys of the shapes the server builds; a signature cannot make a path out of one.
    if (!isStorageKey(key) || !verifyFileUrl(deps.config.JWT_SECRET, key, exp, name, sig)) {
      throw new AppError('FORBIDDEN', 'This link has expired or is not valid. Reload the page.');
    }
    const file = await deps.storage.open(key);
    if (!file) throw new AppError('NOT_FOUND', 'The file no longer exists.');
    const headers: Record<string, string> = {
      'content-type': file.info.contentType,
      'content-length': String(file.info.bytes),
      // A key's content never changes and its link stays the same until it expires (see
      // storage/signing.ts), so the browser may keep the file for as long as the link lives.
      'cache-control': `private, max-age=${Math.max(0, exp - Math.floor(Date.now() / 1000))}, immutable`,
    };
    if (name)
      headers['content-disposition'] = `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`;
    return new Response(Readable.toWeb(file.body) as ReadableStream, { status: 200, headers });
  });
}
