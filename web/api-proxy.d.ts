// Types of api-proxy.js (plain JS: the web process runs without a build step).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlockList } from 'node:net';
import type { Duplex } from 'node:stream';

export function isApiPath(url?: string): boolean;
export function createApiProxy(options: { apiUrl: string; proxies: BlockList }): {
  request(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
};
