// The web process: serves the built SvelteKit app and passes /api and /socket.io (including
// WebSocket upgrades) to the API (see api-proxy.js), so the browser sees one origin.
import http from 'node:http';
import { createApiProxy, isApiPath } from './api-proxy.js';
import { loadWebConfig } from './config.js';
import {
  answerPagesWhole,
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
const media = mediaOrigins(process.env);
const proxy = createApiProxy({
  apiUrl: config.API_URL,
  proxies: trustedProxies(config.TRUSTED_PROXIES),
});

const server = http.createServer((req, res) => {
  if (isApiPath(req.url)) return proxy.request(req, res);
  guardResponse(res, media);
  answerPagesWhole(req);
  handler(req, res, () => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found');
  });
});
server.on('upgrade', (req, socket, head) => {
  if (isApiPath(req.url)) proxy.upgrade(req, socket, head);
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
