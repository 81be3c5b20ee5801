import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';

/**
 * Who is calling. The direct peer is the client unless it is one of the configured trusted
 * proxies (TRUSTED_PROXIES: loopback by default, where the studio's own web server runs; the
 * `web` service under docker-compose); only then is X-Forwarded-For read, from the right,
 * skipping further trusted hops. A client cannot pick its own address by sending the header.
 */

/**
 * The proxies whose forwarding headers are believed: addresses and CIDR ranges, and host names
 * (a compose service such as `web`: exactly that container, wherever Docker puts it), looked up
 * at start and again every 30 s, or after 5 s when an unknown peer calls (a restarted container
 * has a new address).
 */
export interface TrustedProxies {
  fixed: BlockList;
  hosts: readonly string[];
  /** What the host names resolved to at the last look-up. */
  readonly resolved: ReadonlySet<string>;
  /** Looks the host names up again (one look-up at a time). */
  refresh(): Promise<void>;
  /** Looks them up again when the last look-up is old enough, without waiting for it. */
  refreshIfStale(unknownPeer: boolean): void;
}

type Lookup = (host: string) => Promise<string[]>;
const systemLookup: Lookup = async (host) =>
  (await lookup(host, { all: true })).map((found) => found.address);

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const REFRESH_EVERY_MS = 30_000;
const UNKNOWN_PEER_REFRESH_MS = 5_000;

/** "::ffff:127.0.0.1" (IPv4 on an IPv6 socket) is 127.0.0.1. */
const plain = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.)/i, '');

/** Parses "127.0.0.1, ::1, 10.0.0.0/8, web" into a list; throws naming a bad entry. */
export function parseTrustedProxies(
  value: string,
  options: { lookup?: Lookup; now?: () => number } = {},
): TrustedProxies {
  const fixed = new BlockList();
  const hosts: string[] = [];
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    if (!family) {
      if (bits === undefined && HOST_NAME.test(entry) && !/^[\d.]+$/.test(entry)) {
        hosts.push(entry.toLowerCase());
        continue;
      }
      throw new Error(`"${entry}" is not an IP address, CIDR range or host name`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) fixed.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
        throw new Error(`"${entry}" has an invalid prefix length`);
      fixed.addSubnet(address, prefix, type);
    }
  }

  const resolveHost = options.lookup ?? systemLookup;
  const now = options.now ?? Date.now;
  let resolved = new Set<string>();
  let lastAttempt = -Infinity;
  let pending: Promise<void> | undefined;
  const refresh = () => {
    lastAttempt = now();
    pending ??= Promise.all(
      // A name that does not resolve yet (its container is still starting) trusts nothing.
      hosts.map((host) => resolveHost(host).catch(() => [] as string[])),
    )
      .then((found) => {
        resolved = new Set(found.flat().map(plain));
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  if (hosts.length) void refresh();
  return {
    fixed,
    hosts,
    get resolved() {
      return resolved;
    },
    refresh,
    refreshIfStale(unknownPeer) {
      if (!hosts.length || pending) return;
      const age = now() - lastAttempt;
      if (age >= REFRESH_EVERY_MS || (unknownPeer && age >= UNKNOWN_PEER_REFRESH_MS)) {
        void refresh();
      }
    },
  };
}

export function isTrusted(proxies: TrustedProxies, address: string): boolean {
  const ip = plain(address);
  const family = isIP(ip);
  if (family === 0) return false;
  if (proxies.fixed.check(ip, family === 6 ? 'ipv6' : 'ipv4')) return true;
  if (!proxies.hosts.length) return false;
  const known = proxies.resolved.has(ip);
  proxies.refreshIfStale(!known);
  return known;
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
