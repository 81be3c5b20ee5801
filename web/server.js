// The web process: serves the built SvelteKit app and passes /api and /socket.io (including
// WebSocket upgrades) to the API, so the browser sees one origin and needs no CORS.
import http from 'node:http';
import net from 'node:net';
import { loadWebConfig } from './config.js';
import {
  answerPagesWhole,
  forwardingHeaders,
  guardResponse,
  mediaOrigins,
  trustedProxies,
} from './security-headers.js';

let config;
try {
  config = loadWebConfig();
} catch (error) {
  console.error(`[web] ${error.message}`);
  process.exit(1);
}
const { handler } = await import('./build/handler.js');
const api = new URL(config.API_URL);
const apiPort = Number(api.port || 80);
const proxies = trustedProxies(config.TRUSTED_PROXIES);
const media = mediaOrigins(process.env);

const isApiPath = (url = '') =>
  url === '/api' ||
  url.startsWith('/api/') ||
  url.startsWith('/api?') ||
  url.startsWith('/socket.io/');

function forwardedHeaders(req) {
  return { ...req.headers, host: api.host, ...forwardingHeaders(req, proxies) };
}

function proxyRequest(req, res) {
  const upstream = http.request(
    {
      host: api.hostname,
      port: apiPort,
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req),
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
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
  });
  req.pipe(upstream);
}

function proxyUpgrade(req, socket, head) {
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

const server = http.createServer((req, res) => {
  if (isApiPath(req.url)) return proxyRequest(req, res);
  guardResponse(res, media);
  answerPagesWhole(req);
  handler(req, res, () => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found');
  });
});
server.on('upgrade', (req, socket, head) => {
  if (isApiPath(req.url)) proxyUpgrade(req, socket, head);
  else socket.destroy();
});
server.on('error', (error) => {
  if (error.code === 'EADDRINUSE') {
    console.error(
      `[web] Port ${config.WEB_PORT} is already in use. Stop what uses it or set WEB_PORT.`,
    );
  } else {
    console.error('[web] server failed:', error);
  }
  process.exit(1);
});
server.listen(config.WEB_PORT, config.WEB_HOST, () => {
  console.log(`[web] listening on http://${config.WEB_HOST}:${config.WEB_PORT}`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
