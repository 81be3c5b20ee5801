import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

/**
 * The layers the UI may import from outside web/ (core/, and the API's types), by name rather than
 * by `../../../..`. Subpath imports (`#lib`) cannot point outside their package, so these two are
 * Vite aliases, mirrored for TypeScript in tsconfig.json's `paths`.
 */
const root = (folder: string) => fileURLToPath(new URL(`../${folder}/`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^#core\//, replacement: root('core') },
      { find: /^#api\//, replacement: root('api') },
    ],
  },
  plugins: [
    sveltekit({
      adapter: adapter({ out: 'build' }),
      // SvelteKit adds the hash of its inline bootstrap script; web/security-headers.js adds the
      // S3 endpoint to img-src and media-src at run time when media comes from a bucket.
      csp: {
        mode: 'hash',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          // Progress bars and previews set inline style attributes.
          'style-src': ['self', 'unsafe-inline'],
          'img-src': ['self', 'data:', 'blob:'],
          'media-src': ['self', 'blob:'],
          // socket.io (WebSocket and polling) on the same origin.
          'connect-src': ['self'],
          'font-src': ['self'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
    }),
  ],
  server: {
    // In `vite dev`, the API and socket.io are reached through the same origin, as in production.
    proxy: {
      '/api': process.env.API_URL ?? 'http://127.0.0.1:8787',
      '/socket.io': { target: process.env.API_URL ?? 'http://127.0.0.1:8787', ws: true },
    },
  },
});
