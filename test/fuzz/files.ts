/**
 * Requests at /api/files and /api/files-link, which the OpenAPI document does not describe
 * (their keys are paths): the real signed links the API handed out, and those links bent every
 * way a hand-typed or hostile link can be. Deterministic (a seeded generator), so a failure can
 * be run again.
 */

/** xorshift32: small, seeded, good enough to pick mutations. */
function random(seed: number) {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const PIECES = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%c0%af',
  '%2e%2e/',
  '../',
  '..%2f',
  '%00',
  '\u0000',
  '//',
  '%2F',
  ';',
  'ü',
  '😀',
  '%F0%9F%98',
  'a'.repeat(300),
  '.',
  ' ',
  '%20',
  '?',
  '#',
  'sessions/',
  'uploads/',
  '.png',
  '.mp4',
];

const QUERY_VALUES = [
  '',
  '0',
  '-1',
  '1e309',
  'NaN',
  '99999999999999999999',
  'x',
  '%',
  '%zz',
  '\u0000',
  'a'.repeat(500),
];

/**
 * What a client can put on the wire: bytes outside printable ASCII (and `#`, which would end the
 * path) percent-encoded; a `%` stays as it is, so malformed escapes reach the server.
 */
function onTheWire(path: string): string {
  return [...Buffer.from(path, 'utf8')]
    .map((byte) =>
      byte <= 0x20 || byte >= 0x7f || byte === 0x23
        ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(byte),
    )
    .join('');
}

/** Paths and queries to send, each with whether to sign in (files-link needs a user). */
export function fileRequests(
  links: string[],
  count = 1500,
): Array<{ path: string; signedIn: boolean }> {
  const next = random(20261204);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const out: Array<{ path: string; signedIn: boolean }> = links.map((path) => ({
    path,
    signedIn: false,
  }));
  const bases = links.length ? links : ['/api/files/sessions/session-x/images/x.png?exp=1&sig=x'];
  for (let i = 0; i < count; i++) {
    const link = new URL(pick(bases), 'http://studio.test');
    const key = link.pathname.replace(/^\/api\/files\//, '');
    switch (Math.floor(next() * 6)) {
      case 0: {
        // A piece of trouble put somewhere in the key.
        const at = Math.floor(next() * (key.length + 1));
        out.push({
          path: `/api/files/${key.slice(0, at)}${pick(PIECES)}${key.slice(at)}${link.search}`,
          signedIn: false,
        });
        break;
      }
      case 1: {
        // A query value bent.
        const params = new URLSearchParams(link.search);
        const name = pick(['exp', 'sig', 'name', 'extra']);
        params.set(name, pick(QUERY_VALUES));
        out.push({ path: `/api/files/${key}?${params.toString()}`, signedIn: false });
        break;
      }
      case 2:
        // Raw, unencoded query text.
        out.push({
          path: `/api/files/${key}?exp=${pick(QUERY_VALUES)}&sig=${pick(PIECES)}&name=${pick(PIECES)}`,
          signedIn: false,
        });
        break;
      case 3:
        // A key of another shape entirely.
        out.push({
          path: `/api/files/${pick(PIECES)}${pick(PIECES)}${link.search}`,
          signedIn: false,
        });
        break;
      case 4: {
        // Asking for a fresh link to a key, signed in.
        const bent = next() < 0.5 ? key : `${key}${pick(PIECES)}`;
        out.push({
          path: `/api/files-link?key=${encodeURIComponent(bent)}&name=${encodeURIComponent(pick(PIECES))}`,
          signedIn: true,
        });
        break;
      }
      default:
        out.push({
          path: `/api/files-link?key=${pick(PIECES)}${pick(PIECES)}`,
          signedIn: next() < 0.7,
        });
    }
  }
  return out.map((request) => ({ ...request, path: onTheWire(request.path) }));
}
