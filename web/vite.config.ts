import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit({ adapter: adapter({ out: 'build' }) })],
  server: {
    // In `vite dev`, the API and socket.io are reached through the same origin, as in production.
    proxy: {
      '/api': process.env.API_URL ?? 'http://127.0.0.1:8787',
      '/socket.io': { target: process.env.API_URL ?? 'http://127.0.0.1:8787', ws: true },
    },
  },
});
