// The web process's pass-through to the API: /api and /socket.io (with WebSocket upgrades), so
// the browser sees one origin and needs no CORS.
import http from 'node:http';
import net from 'node:net';
import { forwardingHeaders } from './security-headers.js';

export const isApiPath = (url = '') =>
  url === '/api' ||
  url.startsWith('/api/') ||
  url.startsWith('/api?') ||
  url.startsWith('/socket.io/');

/** Headers about one connection, never passed on by a proxy (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function withoutHopByHop(headers) {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)),
  );
}

/**
 * The most of a refused body read and thrown away so the browser's connection stays usable (the
 * API refuses JSON over 1 MB and photos over 10 MB); a client that sends more is disconnected.
 */
const MAX_DRAIN_BYTES = 12 * 1024 * 1024;

const SAFE_TO_RETRY = new Set(['GET', 'HEAD', 'OPTIONS']);

const unreachable = (res) => {
  if (res.headersSent) return res.destroy();
  res.writeHead(502, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      error: {
        code: 'SERVICE_UNAVAILABLE',
        message: 'The studio API is not reachable. Try again in a moment.',
      },
    }),
  );
};

/**
 * Reads and discards what is left of a request body the API has already refused, up to
 * MAX_DRAIN_BYTES, so the answer reaches the browser and its connection can carry the next
 * request; past that, the connection is closed once the answer is out.
 */
function drain(req, res) {
  let left = MAX_DRAIN_BYTES;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_DRAIN_BYTES) res.shouldKeepAlive = false;
  req.on('data', (chunk) => {
    left -= chunk.length;
    if (left < 0) {
      res.shouldKeepAlive = false;
      if (res.writableFinished) req.socket.destroy();
      else res.once('finish', () => req.socket.destroy());
    }
  });
  req.on('error', () => undefined);
  req.resume();
}

export function createApiProxy({ apiUrl, proxies }) {
  const api = new URL(apiUrl);
  const apiPort = Number(api.port || 80);
  // Connections to the API are reused, but only those that carried a whole request and answer.
  const agent = new http.Agent({ keepAlive: true });

  function forwardedHeaders(req) {
    return { ...req.headers, host: api.host, ...forwardingHeaders(req, proxies) };
  }

  /**
   * Passes one request on. A connection that carried a body the API refused is closed, never
   * pooled: the API answers such a request (a 413 for big JSON, a 401 or 422 for an upload)
   * before reading the body, then drains or drops the connection, and the next request sent on
   * it (often another user's) would fail. When the answer comes before the whole body was passed
   * on, the browser still gets it and the rest of its body is drained, so its connection lives on.
   */
  function request(req, res, attempt = 1) {
    let answered = false;
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 ||
      req.headers['transfer-encoding'] !== undefined;
    const upstream = http.request(
      {
        host: api.hostname,
        port: apiPort,
        method: req.method,
        path: req.url,
        headers: withoutHopByHop(forwardedHeaders(req)),
        agent,
      },
      (answer) => {
        answered = true;
        const early = !upstream.writableFinished;
        // Read by Node when the answer ends: the connection is closed instead of pooled.
        if (early || (hasBody && (answer.statusCode ?? 500) >= 400))
          upstream.shouldKeepAlive = false;
        if (early) {
          req.unpipe(upstream);
          drain(req, res);
        }
        answer.once('aborted', () => res.destroy());
        answer.once('error', () => res.destroy());
        res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      // After an early answer, the connection is being closed on purpose.
      if (answered) return;
      // A pooled connection the API closed as it was reused: a bodiless request is sent again.
      const retry =
        upstream.reusedSocket &&
        error.code === 'ECONNRESET' &&
        attempt === 1 &&
        SAFE_TO_RETRY.has(req.method) &&
        !req.headers['content-length'] &&
        !req.headers['transfer-encoding'];
      if (retry) return request(req, res, attempt + 1);
      unreachable(res);
    });
    // A bodiless request has been read already: its retry only needs the end.
    if (attempt > 1) upstream.end();
    else req.pipe(upstream);
  }

  function upgrade(req, socket, head) {
    const upstream = net.connect(apiPort, api.hostname, () => {
      const headers = Object.entries(forwardedHeaders(req)).map(([k, v]) => `${k}: ${v}`);
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
  }

  return { request, upgrade };
}
