import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';

/**
 * Who is calling. The direct peer is the client unless it is one of the configured trusted
 * proxies (TRUSTED_PROXIES, loopback by default: the studio's own web server); only then is
 * X-Forwarded-For read, from the right, skipping further trusted hops. A client cannot pick its
 * own address by sending the header.
 */

export type TrustedProxies = BlockList;

/** Parses "127.0.0.1, ::1, 10.0.0.0/8" into a list; throws naming a bad entry. */
export function parseTrustedProxies(value: string): TrustedProxies {
  const list = new BlockList();
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    if (!family) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
        throw new Error(`"${entry}" has an invalid prefix length`);
      list.addSubnet(address, prefix, type);
    }
  }
  return list;
}

/** "::ffff:127.0.0.1" (IPv4 on an IPv6 socket) is 127.0.0.1. */
const plain = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.)/i, '');

export function isTrusted(proxies: TrustedProxies, address: string): boolean {
  const ip = plain(address);
  const family = isIP(ip);
  return family !== 0 && proxies.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}

/** The socket's peer, as @hono/node-server passes it in c.env.incoming. */
export function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const address = env?.incoming?.socket?.remoteAddress;
  return address ? plain(address) : undefined;
}

export function clientAddress(c: Context, proxies: TrustedProxies): string {
  const peer = peerAddress(c);
  if (!peer) return 'unknown';
  if (!isTrusted(proxies, peer)) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map(plain)
    .filter((hop) => isIP(hop) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(proxies, hops[i]!)) return hops[i]!;
  }
  return hops[0] ?? peer;
}

/** True when the request reached the first trusted proxy over HTTPS. */
export function cameOverHttps(c: Context, proxies: TrustedProxies): boolean {
  const peer = peerAddress(c);
  if (!peer || !isTrusted(proxies, peer)) return new URL(c.req.url).protocol === 'https:';
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
}
