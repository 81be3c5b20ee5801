import type { ServerResponse } from 'node:http';
import { HttpError, sendJson } from './http';
import type { Prediction } from './predictions';
import type { RouteDeps } from './route-deps';

/**
 * `GET /v1/predictions`: newest first, 100 a page, `next`/`previous` as absolute URLs carrying
 * an opaque cursor, filtered by `created_after` / `created_before`.
 */

const PAGE_SIZE = 100;

export function list(deps: RouteDeps, res: ServerResponse, url: URL): void {
  const after = readTime(url, 'created_after');
  const before = readTime(url, 'created_before');
  const cursor = readCursor(url.searchParams.get('cursor'));
  let items = deps.store
    .all()
    .filter(
      (p) =>
        (after === undefined || p.createdAt >= after) &&
        (before === undefined || p.createdAt < before),
    )
    .sort((a, b) => b.seq - a.seq);
  if (cursor?.dir === 'older') items = items.filter((p) => p.seq < cursor.seq);
  if (cursor?.dir === 'newer') items = items.filter((p) => p.seq > cursor.seq).slice(-PAGE_SIZE);
  const page = items.slice(0, PAGE_SIZE);
  const first = page[0];
  const last = page[page.length - 1];
  const link = (dir: 'older' | 'newer', p: Prediction) => {
    const params = new URLSearchParams(url.searchParams);
    params.set('cursor', Buffer.from(`${dir}:${p.seq}`).toString('base64url'));
    return `${deps.apiBase}/predictions?${params.toString()}`;
  };
  const hasOlder = last !== undefined && items.length > page.length;
  const hasNewer =
    first !== undefined && cursor !== undefined && deps.store.all().some((p) => p.seq > first.seq);
  sendJson(res, 200, {
    next: hasOlder ? link('older', last) : null,
    previous: hasNewer ? link('newer', first) : null,
    results: page.map((p) => deps.store.toListItem(p)),
  });
}

function readTime(url: URL, name: string): Date | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new HttpError(400, `${name} must be an ISO 8601 date-time.`);
  return time;
}

function readCursor(value: string | null): { dir: 'older' | 'newer'; seq: number } | undefined {
  if (value === null) return undefined;
  const match = /^(older|newer):(\d+)$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) throw new HttpError(400, 'Invalid cursor.');
  return { dir: match[1] as 'older' | 'newer', seq: Number(match[2]) };
}
