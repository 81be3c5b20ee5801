import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { FaultBook } from './faults';
import { faultRuleSchema } from './faults';
import { parseDuration, parsePreferWait } from './headers';
import { HttpError, header, readBody, readJson, sendError, sendJson } from './http';
import { resolveByName, resolveVersion } from './models';
import type { Resolved } from './models';
import type { Prediction, PredictionStore } from './predictions';
import type { FakeStats, FaultOp, RequestFault } from './types';
import { WEBHOOK_EVENTS } from './types';
import type { UploadStore } from './uploads';
import type { WebhookSender } from './webhooks';

/**
 * The HTTP surface: Replicate's predictions API under /v1 (Bearer token), output files under
 * /files (no auth, like Replicate's delivery URLs), and the fake's own controls under /_fake.
 */

export interface RouteDeps {
  token: string;
  webhookSecret: string;
  apiBase: string;
  store: PredictionStore;
  uploads: UploadStore;
  faults: FaultBook;
  webhooks: WebhookSender;
  requests: FakeStats['requests'];
  stats(): FakeStats;
}

const PAGE_SIZE = 100;

const createBodySchema = z.object({
  input: z.record(z.string(), z.unknown(), { error: 'input must be an object' }),
  webhook: z
    .url({ protocol: /^https?$/, error: 'webhook must be an http(s) URL' })
    .optional()
    .nullable(),
  webhook_events_filter: z.array(z.enum(WEBHOOK_EVENTS)).optional().nullable(),
});

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
    if (requestFault(deps, req, res, 'list', undefined)) return;
    list(deps, res, url);
  } else if ((m = /^GET \/v1\/predictions\/([a-z0-9]+)$/.exec(route))) {
    const prediction = deps.store.get(m[1]!);
    if (requestFault(deps, req, res, 'get', prediction?.spec.name)) return;
    if (!prediction) throw new HttpError(404, 'Not found.');
    sendJson(res, 200, deps.store.toJson(prediction));
  } else if ((m = /^POST \/v1\/predictions\/([a-z0-9]+)\/cancel$/.exec(route))) {
    const prediction = deps.store.get(m[1]!);
    if (requestFault(deps, req, res, 'cancel', prediction?.spec.name)) return;
    if (!prediction) throw new HttpError(404, 'Not found.');
    deps.store.cancel(prediction);
    sendJson(res, 200, deps.store.toJson(prediction));
  } else if (route === 'POST /v1/files') {
    await upload(deps, req, res);
  } else if ((m = /^(GET|DELETE) \/v1\/files\/([a-f0-9]+)(\/download)?$/.exec(route))) {
    const file = deps.uploads.get(m[2]!);
    if (!file) throw new HttpError(404, 'Not found.');
    if (m[1] === 'DELETE' && !m[3]) {
      await deps.uploads.delete(file.id);
      res.writeHead(204).end();
    } else if (m[1] === 'GET' && m[3]) {
      await sendFile(res, method, file.path, file.contentType);
    } else if (m[1] === 'GET') {
      sendJson(res, 200, deps.uploads.toJson(file));
    } else {
      throw new HttpError(405, 'Method not allowed.');
    }
  } else {
    throw new HttpError(404, 'Not found.');
  }
}

/** Multipart `content` (the file) and `metadata` (JSON), as the client's files.create sends. */
async function upload(deps: RouteDeps, req: IncomingMessage, res: ServerResponse) {
  const body = await readBody(req);
  let form: FormData;
  try {
    form = await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': header(req, 'content-type') ?? '' },
      body,
    }).formData();
  } catch {
    throw new HttpError(400, 'The upload must be multipart/form-data.');
  }
  const content = form.get('content');
  if (!(content instanceof Blob)) throw new HttpError(422, '- content: a file is required');
  const metadataField = form.get('metadata');
  let metadata: unknown = {};
  try {
    const text = metadataField instanceof Blob ? await metadataField.text() : metadataField;
    if (text) metadata = JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(422, '- metadata: must be JSON');
  }
  const name = content instanceof File && content.name ? content.name : 'upload';
  const file = await deps.uploads.create(
    Buffer.from(await content.arrayBuffer()),
    name,
    content.type || 'application/octet-stream',
    metadata,
  );
  sendJson(res, 201, deps.uploads.toJson(file));
}

async function create(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  resolve: (body: Record<string, unknown>) => Resolved,
): Promise<void> {
  const body = await readJson(req);
  const resolved = resolve(body);
  const spec = 'spec' in resolved ? resolved.spec : undefined;
  const fault = deps.faults.takeRequestFault('create', spec?.name);
  if (fault && fault.kind !== 'reset-after-accept' && answerFault(fault, req, res)) return;
  if (!spec)
    throw new HttpError(
      (resolved as { status: number }).status,
      (resolved as { detail: string }).detail,
    );

  const parsedBody = createBodySchema.safeParse(body);
  if (!parsedBody.success) throw new HttpError(422, describeIssues(parsedBody.error, ''));
  const input = parsedBody.data.input;
  const parsedInput = spec.input.safeParse(input);
  if (!parsedInput.success) throw new HttpError(422, describeIssues(parsedInput.error, 'input'));
  let cancelAfterMs: number | undefined;
  try {
    cancelAfterMs = parseDuration(header(req, 'cancel-after'));
  } catch (error) {
    throw new HttpError(422, (error as Error).message);
  }
  const waitMs = parsePreferWait(header(req, 'prefer'));

  const prediction = deps.store.create({
    spec,
    input,
    parsedInput: parsedInput.data,
    webhook: parsedBody.data.webhook ?? null,
    webhookEventsFilter: parsedBody.data.webhook_events_filter ?? [...WEBHOOK_EVENTS],
    cancelAfterMs,
    faults: deps.faults.takeRunFaults(spec.name),
  });
  if (fault?.kind === 'reset-after-accept') {
    req.socket.destroy();
    return;
  }
  if (waitMs !== undefined) {
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    await deps.store.waitForEnd(prediction, waitMs, gone.signal);
  }
  sendJson(res, 201, deps.store.toJson(prediction), {
    location: `${deps.apiBase}/predictions/${prediction.id}`,
  });
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(404, 'Not found.');
  }
}

function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((issue) => {
      const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return `- ${where || 'body'}: ${issue.message}`;
    })
    .join('\n');
}

/** Answers a request-level fault; true when the request is done (answered or reset). */
function requestFault(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  op: FaultOp,
  model: string | undefined,
): boolean {
  const fault = deps.faults.takeRequestFault(op, model);
  return fault ? answerFault(fault, req, res) : false;
}

function answerFault(fault: RequestFault, req: IncomingMessage, res: ServerResponse): boolean {
  switch (fault.kind) {
    case 'rate-limit': {
      const seconds = fault.retryAfterSeconds ?? 1;
      sendJson(
        res,
        429,
        { detail: `Request was throttled. Your rate limit resets in ~${seconds}s.` },
        { 'retry-after': String(seconds) },
      );
      return true;
    }
    case 'server-error': {
      const status = fault.status ?? 503;
      sendJson(res, status, { detail: 'Internal server error', status });
      return true;
    }
    case 'reset-before-accept':
      req.socket.destroy();
      return true;
    case 'invalid-input':
      sendJson(res, 422, {
        detail: '- input: Input validation failed (injected invalid-input fault)',
        status: 422,
      });
      return true;
    default:
      return false;
  }
}

function list(deps: RouteDeps, res: ServerResponse, url: URL): void {
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

async function fileRoute(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<void> {
  const match = /^\/files\/([a-z0-9]+)\/([A-Za-z0-9_-]+\.[a-z0-9]+)$/.exec(path);
  const prediction = match ? deps.store.get(match[1]!) : undefined;
  if (requestFault(deps, req, res, 'file', prediction?.spec.name)) return;
  if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'Method not allowed.');
  const file = match && prediction?.files.get(match[2]!);
  if (!file) throw new HttpError(404, 'Not found.');
  await sendFile(res, method, file.path, file.mime);
}

/** Streams a file with its type and length; HEAD gets the headers only. */
async function sendFile(res: ServerResponse, method: string, path: string, mime: string) {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new HttpError(404, 'Not found.');
  }
  res.writeHead(200, {
    'content-type': mime,
    'content-length': size,
    'cache-control': 'private, max-age=3600',
  });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

async function controlRoute(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<void> {
  const route = `${method} ${path}`;
  if (route === 'POST /_fake/faults') {
    const parsed = faultRuleSchema.safeParse(await readJson(req));
    if (!parsed.success) throw new HttpError(400, describeIssues(parsed.error, ''));
    deps.faults.add(parsed.data);
    sendJson(res, 201, { added: parsed.data });
  } else if (route === 'DELETE /_fake/faults') {
    deps.faults.clear();
    res.writeHead(204).end();
  } else if (route === 'POST /_fake/release') {
    const body = await readJson(req);
    const id = typeof body.id === 'string' ? body.id : undefined;
    deps.store.release(id);
    sendJson(res, 200, { released: id ?? 'all' });
  } else if (route === 'GET /_fake/stats') {
    sendJson(res, 200, deps.stats());
  } else {
    throw new HttpError(404, 'Not found.');
  }
}
