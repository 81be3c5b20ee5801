import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { AppError } from '../../core/errors';
import { isStorageKey } from '../../storage';
import { verifyFileUrl } from '../../storage/signing';
import { requireUser } from '../auth';
import type { ApiDeps, AppEnv } from '../deps';

/** Download names the studio gives its files (`<title>.mp4`, `<title>-9x16.mp4`). */
const DOWNLOAD_NAME = /^[\w.-]{1,120}$/;

/**
 * Serves stored files for the fs driver behind expiring signatures made by storage.signedUrl().
 * (With the s3 driver, signed URLs point at the bucket and this route is not used.) A page left
 * open for hours holds links that expired: a person who follows one is sent to a page that gets
 * a fresh link (`/link-expired`, through `GET /api/files-link`), never shown an error body.
 */
export function fileRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>()
    .get('/files/*', async (c) => {
      const key = decodedKey(c.req.path.replace(/^.*?\/files\//, ''));
      const exp = Number(c.req.query('exp'));
      const sig = c.req.query('sig') ?? '';
      const name = c.req.query('name') ?? '';
      // Only keys of the shapes the server builds; a signature cannot make a path out of one.
      if (!isStorageKey(key) || !verifyFileUrl(deps.config.JWT_SECRET, key, exp, name, sig)) {
        if (isStorageKey(key) && isNavigation(c.req.raw.headers)) {
          const query = new URLSearchParams({ key });
          if (DOWNLOAD_NAME.test(name)) query.set('name', name);
          return c.redirect(`/link-expired?${query.toString()}`, 303);
        }
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
    })
    .get('/files-link', requireUser(deps), async (c) => {
      const key = c.req.query('key') ?? '';
      const name = c.req.query('name') ?? '';
      if (!isStorageKey(key) || (name && !DOWNLOAD_NAME.test(name))) {
        throw new AppError('VALIDATION_FAILED', 'This is not a link to a file of the studio.');
      }
      if (!(await ownsKey(deps, c.get('user').id, key))) {
        throw new AppError('NOT_FOUND', 'This file is not in any of your sessions.');
      }
      const url = await deps.storage.signedUrl(key, {
        expiresInSeconds: deps.config.SIGNED_URL_TTL_SECONDS,
        downloadName: name || undefined,
      });
      return c.json({ url }, 200);
    });
}

/** The key in a link's path; a malformed escape is no key at all (never a server error). */
function decodedKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return '';
  }
}

/** A person following a link (a page load), not a player or an image fetching it. */
function isNavigation(headers: Headers): boolean {
  const mode = headers.get('sec-fetch-mode');
  if (mode) return mode === 'navigate';
  return (headers.get('accept') ?? '').includes('text/html');
}

/** Whether a storage key belongs to the user: one of their sessions' files or their upload. */
async function ownsKey(deps: ApiDeps, userId: string, key: string): Promise<boolean> {
  const [root, owner] = key.split('/');
  if (root === 'uploads') return owner === userId;
  const session = await deps.db.session.findFirst({
    where: { id: owner, userId },
    select: { id: true },
  });
  return session !== null;
}
