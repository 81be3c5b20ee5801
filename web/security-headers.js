// Security headers of the web process. Pages get SvelteKit's CSP (its inline bootstrap script is
// allowed by hash; see vite.config.ts), widened here at run time to the S3 endpoint when media
// comes from a bucket; every answer also refuses framing and MIME sniffing.
import { BlockList, isIP } from 'node:net';

/** Sent with every answer of the web process (the API sets its own). */
export const STATIC_HEADERS = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** For answers SvelteKit gives no CSP of its own (static files, errors). */
export const FALLBACK_CSP =
  "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/**
 * Where signed media links point: nothing extra for the fs driver (the studio's own /api/files),
 * the bucket's origin for s3 (path-style under the endpoint, or the bucket's own host).
 */
export function mediaOrigins(env) {
  if (env.STORAGE_DRIVER !== 's3') return [];
  const bucket = env.S3_BUCKET ?? '';
  const pathStyle = env.S3_FORCE_PATH_STYLE === 'true';
  // Browsers fetch media from the public endpoint when one is set.
  const browserEndpoint = env.S3_PUBLIC_ENDPOINT || env.S3_ENDPOINT;
  if (browserEndpoint) {
    const endpoint = new URL(browserEndpoint);
    if (pathStyle || !bucket) return [endpoint.origin];
    return [endpoint.origin, `${endpoint.protocol}//${bucket}.${endpoint.host}`];
  }
  const region = env.S3_REGION || 'us-east-1';
  return [`https://${bucket}.s3.${region}.amazonaws.com`, `https://s3.${region}.amazonaws.com`];
}

/** Adds the media origins to img-src and media-src, and makes sure framing is refused. */
export function widenCsp(policy, origins) {
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);
  const widened = directives.map((directive) => {
    const [name] = directive.split(/\s+/);
    return origins.length && (name === 'img-src' || name === 'media-src')
      ? `${directive} ${origins.join(' ')}`
      : directive;
  });
  if (!directives.some((d) => d.startsWith('frame-ancestors'))) {
    widened.push("frame-ancestors 'none'");
  }
  return widened.join('; ');
}

/**
 * Sets the headers on a response before the app writes it, widening any CSP it sets. A 304 keeps
 * no fallback policy: the browser merges a 304's headers into the page it has cached, and the
 * fallback (no inline script) would then block the cached page's start-up script.
 */
export function guardResponse(res, origins) {
  for (const [name, value] of Object.entries(STATIC_HEADERS)) res.setHeader(name, value);
  res.setHeader('content-security-policy', FALLBACK_CSP);
  let ownPolicy = false;
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => {
    if (String(name).toLowerCase() !== 'content-security-policy') return setHeader(name, value);
    ownPolicy = true;
    return setHeader(name, widenCsp(String(value), origins));
  };
  const writeHead = res.writeHead.bind(res);
  res.writeHead = (status, ...rest) => {
    if (status === 304 && !ownPolicy) res.removeHeader('content-security-policy');
    return writeHead(status, ...rest);
  };
}

/**
 * Pages are always answered whole, never 304: a page's policy (the hash of its inline start-up
 * script, the media origins of this deployment) belongs to the answer that carries it, and a
 * page is a few kilobytes. Files under /_app/immutable/ keep their long-lived caching.
 */
export function answerPagesWhole(req) {
  const dest = req.headers['sec-fetch-dest'];
  const accept = String(req.headers.accept ?? '');
  const isPage = dest === 'document' || (dest === undefined && accept.includes('text/html'));
  if (!isPage) return;
  delete req.headers['if-none-match'];
  delete req.headers['if-modified-since'];
}

/** TRUSTED_PROXIES as the API reads it: the hops whose forwarding headers are believed. */
export function trustedProxies(value = '127.0.0.1,::1') {
  const list = new BlockList();
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address, bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(address)) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address`);
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

const plain = (address = '') => address.replace(/^::ffff:(?=\d+\.)/i, '');

/**
 * The forwarding headers for the API. The socket's peer is appended to any X-Forwarded-For
 * (the API reads the chain from the right, believing only trusted hops, so a client cannot
 * choose its own address); the scheme is passed on only from a trusted proxy in front of us.
 */
export function forwardingHeaders(req, proxies) {
  const peer = plain(req.socket.remoteAddress);
  const trusted = isIP(peer) !== 0 && proxies.check(peer, isIP(peer) === 6 ? 'ipv6' : 'ipv4');
  const before = req.headers['x-forwarded-for'];
  const chain = [before, peer].filter(Boolean).join(', ');
  const proto = trusted ? req.headers['x-forwarded-proto'] : undefined;
  return {
    'x-forwarded-for': chain,
    'x-forwarded-host': (trusted && req.headers['x-forwarded-host']) || req.headers.host || '',
    'x-forwarded-proto': typeof proto === 'string' && proto ? proto.split(',')[0].trim() : 'http',
  };
}
