// Types of security-headers.js (plain JS: the web process runs without a build step).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlockList } from 'node:net';

export const STATIC_HEADERS: Record<string, string>;
export const FALLBACK_CSP: string;
export function mediaOrigins(env: Record<string, string | undefined>): string[];
export function widenCsp(policy: string, origins: string[]): string;
export function guardResponse(
  res: Pick<ServerResponse, 'setHeader' | 'writeHead' | 'removeHeader'>,
  origins: string[],
): void;
export function answerPagesWhole(req: Pick<IncomingMessage, 'headers'>): void;
export function trustedProxies(value?: string): BlockList;
export function forwardingHeaders(
  req: Pick<IncomingMessage, 'socket' | 'headers'>,
  proxies: BlockList,
): Record<'x-forwarded-for' | 'x-forwarded-host' | 'x-forwarded-proto', string>;
