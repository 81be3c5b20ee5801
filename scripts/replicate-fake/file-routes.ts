import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerRequestFault } from './fault-answers';
import { HttpError, header, readBody, sendJson } from './http';
import type { RouteDeps } from './route-deps';

/**
 * Files in and out: prediction outputs at `/files/{id}/{name}` (no auth, like Replicate's
 * delivery URLs) and client uploads under `/v1/files`.
 */

export async function fileRoute(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<void> {
  const match = /^\/files\/([a-z0-9]+)\/([A-Za-z0-9_-]+\.[a-z0-9]+)$/.exec(path);
  const prediction = match ? deps.store.get(match[1]!) : undefined;
  if (answerRequestFault(deps, req, res, 'file', prediction?.spec.name)) return;
  if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'Method not allowed.');
  const file = match && prediction?.files.get(match[2]!);
  if (!file) throw new HttpError(404, 'Not found.');
  await sendFile(res, method, file.path, file.mime);
}

/** `/v1/files`: upload, metadata, download and delete of files sent by the client. */
export async function uploadRoute(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<void> {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  if (route === 'POST /v1/files') {
    await upload(deps, req, res);
    return;
  }
  const m = /^(GET|DELETE) \/v1\/files\/([a-f0-9]+)(\/download)?$/.exec(route);
  const file = m ? deps.uploads.get(m[2]!) : undefined;
  if (!m || !file) throw new HttpError(404, 'Not found.');
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
