import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

// Swagger UI is served from the installed package, so the docs page works offline.
const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

// A file of its own rather than an inline script, so the API's CSP can forbid inline scripts.
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs' });\n`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Ad Studio API</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
</head>
<body>
  <div id="docs"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/assets/init.js"></script>
</body>
</html>`;

export function docsRoutes() {
  return new Hono()
    .get('/docs', (c) => c.html(PAGE))
    .get('/docs/assets/:name', async (c) => {
      const name = c.req.param('name');
      if (name === 'init.js')
        return c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' });
      if (!Object.hasOwn(ASSETS, name)) return c.notFound();
      const body = await readFile(join(swaggerDir, name));
      return c.body(body, 200, {
        'content-type': ASSETS[name as keyof typeof ASSETS],
        'cache-control': 'public, max-age=86400',
      });
    });
}
