import type { IncomingMessage, ServerResponse } from 'node:http';
import { controlRoute } from './control-routes';
import { create } from './create-route';
import { answerRequestFault } from './fault-answers';
import { fileRoute, uploadRoute } from './file-routes';
import { HttpError, header, sendError, sendJson } from './http';
import { list } from './list-route';
import { resolveByName, resolveVersion } from './models';
import type { RouteDeps } from './route-deps';

/**
 * The HTTP surface: Replicate's predictions API under /v1 (Bearer token), output files under
 * /files (no auth, like Replicate's delivery URLs), and the fake's own controls under /_fake.
 */

export function createHandler(deps: RouteDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (!path.startsWith('/_fake/')) {
      res.on('close', () => {
        deps.requests.push({ method, path, status: res.writableFinished ? res.statusCode : 0 });
      });
    }
    try {
      if (path.startsWith('/_fake/')) await controlRoute(deps, req, res, method, path);
      else if (path.startsWith('/files/')) await fileRoute(deps, req, res, method, path);
      else if (path.startsWith('/v1/')) {
        authorize(deps, req);
        await apiRoute(deps, req, res, method, path, url);
      } else throw new HttpError(404, 'Not found.');
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      sendError(
        res,
        error instanceof HttpError ? error : new HttpError(500, 'Internal server error.'),
      );
    }
  };
}

function authorize(deps: RouteDeps, req: IncomingMessage): void {
  const match = /^(?:Bearer|Token)\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
  if (match?.[1] !== deps.token) {
    throw new HttpError(401, 'You did not pass a valid authentication token');
  }
}

async function apiRoute(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
  url: URL,
): Promise<void> {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  let m: RegExpExecArray | null;
  if (route === 'GET /v1/webhooks/default/secret') {
    sendJson(res, 200, { key: deps.webhookSecret });
  } else if ((m = /^POST \/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(route))) {
    const name = `${safeDecode(m[1]!)}/${safeDecode(m[2]!)}`;
    await create(deps, req, res, () => resolveByName(name));
  } else if (route === 'POST /v1/predictions') {
    await create(deps, req, res, (body) =>
      typeof body.version === 'string' && body.version
        ? resolveVersion(body.version)
        : { status: 422, detail: '- version: version is required' },
    );
  } else if (route === 'GET /v1/predictions') {
    if (answerRequestFault(deps, req, res, 'list', undefined)) return;
    list(deps, res, url);
  } else if ((m = /^GET \/v1\/predictions\/([a-z0-9]+)$/.exec(route))) {
    const prediction = deps.store.get(m[1]!);
    if (answerRequestFault(deps, req, res, 'get', prediction?.spec.name)) return;
    if (!prediction) throw new HttpError(404, 'Not found.');
    sendJson(res, 200, deps.store.toJson(prediction));
  } else if ((m = /^POST \/v1\/predictions\/([a-z0-9]+)\/cancel$/.exec(route))) {
    const prediction = deps.store.get(m[1]!);
    if (answerRequestFault(deps, req, res, 'cancel', prediction?.spec.name)) return;
    if (!prediction) throw new HttpError(404, 'Not found.');
    deps.store.cancel(prediction);
    sendJson(res, 200, deps.store.toJson(prediction));
  } else if (path.startsWith('/v1/files')) {
    await uploadRoute(deps, req, res, method, path);
  } else {
    throw new HttpError(404, 'Not found.');
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(404, 'Not found.');
  }
}
